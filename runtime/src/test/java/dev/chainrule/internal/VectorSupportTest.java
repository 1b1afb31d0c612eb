package dev.chainrule.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The warm-up that keeps interpreted Vector API kernels off the training path. */
class VectorSupportTest {

    /** Slow for the first {@code slowCalls} calls (as interpreted kernels are), then fast. */
    private static Runnable compilesAfter(int slowCalls, AtomicInteger counter) {
        return () -> {
            if (counter.incrementAndGet() <= slowCalls) {
                busy(2_000_000);
            } else {
                busy(20_000);
            }
        };
    }

    private static void busy(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    @Test
    void stopsSoonAfterTheCallsBecomeFastAndSteady() {
        AtomicInteger counter = new AtomicInteger();
        int calls = VectorSupport.runUntilCompiled(compilesAfter(7, counter), 10_000_000_000L);
        assertTrue(calls >= 12 && calls <= 40, "7 slow calls, then 5 steady fast ones: " + calls);
    }

    @Test
    void givesUpAtTheTimeLimit() {
        AtomicInteger counter = new AtomicInteger();
        long start = System.nanoTime();
        // 200 ms: room for 100 slow calls, so that at least 10 fit even on a loaded machine.
        VectorSupport.runUntilCompiled(compilesAfter(Integer.MAX_VALUE, counter), 200_000_000L);
        long took = System.nanoTime() - start;
        assertTrue(took < 2_000_000_000L, "stopped near the 200 ms limit, took " + took / 1_000_000 + " ms");
        assertTrue(counter.get() >= 10, "kept calling until the limit: " + counter.get());
    }

    @Test
    void warmUpRunsTheKernelsOnABackgroundThreadThenSignalsReady() throws InterruptedException {
        AtomicInteger counter = new AtomicInteger();
        CountDownLatch ready = new CountDownLatch(1);
        String caller = Thread.currentThread().getName();
        StringBuilder thread = new StringBuilder();
        VectorSupport.warmUp(VectorSupportTest.class, () -> {
            if (thread.length() == 0) {
                thread.append(Thread.currentThread().getName());
            }
            compilesAfter(3, counter).run();
        }, ready::countDown);
        assertTrue(ready.await(10, TimeUnit.SECONDS), "ready signalled");
        assertTrue(counter.get() >= 8, "the kernels ran until fast and steady: " + counter.get());
        assertTrue(!thread.toString().equals(caller) && thread.toString().startsWith("chainrule-vector-warm-up"),
                "ran on its own thread: " + thread);
    }

    @Test
    void withoutWarmUpReadyIsImmediate() {
        String old = System.getProperty("chainrule.vectorWarmUp");
        System.setProperty("chainrule.vectorWarmUp", "false");
        try {
            AtomicInteger ready = new AtomicInteger();
            AtomicInteger kernels = new AtomicInteger();
            VectorSupport.warmUp(VectorSupportTest.class, kernels::incrementAndGet, ready::incrementAndGet);
            assertEquals(1, ready.get());
            assertEquals(0, kernels.get());
        } finally {
            if (old == null) {
                System.clearProperty("chainrule.vectorWarmUp");
            } else {
                System.setProperty("chainrule.vectorWarmUp", old);
            }
        }
    }
}
