package dev.chainrule.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/** The warm-up that keeps interpreted Vector API kernels off the training path. */
class VectorSupportTest {

    /** Slow for the first {@code slowCalls} calls (as interpreted kernels are), then fast. */
    private static IntConsumer compilesAfter(int slowCalls, AtomicInteger counter) {
        return rows -> {
            if (rows == 0) {
                return; // a call with no rows does nothing
            }
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

    /**
     * Counts "allocations": {@code bytesPerSlowCall} for each of the first {@code slowCalls} calls
     * with rows; calls with no rows allocate nothing and are counted apart.
     */
    private static final class FakeKernels implements IntConsumer {
        final int slowCalls;
        final long bytesPerSlowCall;
        int calls;
        int emptyCalls;
        int emptyCallsAfterLastCall;
        long allocated;

        FakeKernels(int slowCalls, long bytesPerSlowCall) {
            this.slowCalls = slowCalls;
            this.bytesPerSlowCall = bytesPerSlowCall;
        }

        @Override
        public void accept(int rows) {
            if (rows == 0) {
                emptyCalls++;
                emptyCallsAfterLastCall++;
                return;
            }
            assertEquals(VectorSupport.WARM_UP_ROWS, rows, "every real call uses all the dummy rows");
            emptyCallsAfterLastCall = 0;
            calls++;
            if (calls <= slowCalls) {
                allocated += bytesPerSlowCall;
            } else {
                allocated += 16; // a stray object is not boxed vectors
            }
        }
    }

    @Test
    void compiledOnceThreeCallsInARowAllocateNothing() {
        FakeKernels kernels = new FakeKernels(7, 1_000_000);
        assertTrue(VectorSupport.runUntilCompiled(kernels, 10_000_000_000L, () -> kernels.allocated));
        assertEquals(7 + VectorSupport.QUIET_CALLS, kernels.calls, "7 allocating calls, then 3 quiet ones");
        assertEquals(kernels.calls * VectorSupport.EMPTY_CALLS, kernels.emptyCalls,
                "each real call followed by calls with no rows, which count towards the JIT's thresholds");
        assertEquals(VectorSupport.EMPTY_CALLS, kernels.emptyCallsAfterLastCall);
    }

    @Test
    void callsThatStillAllocateAreNotCompiledEvenIfFast() {
        // C1-compiled Vector API code is fast next to the interpreter, but still boxes: not ready.
        FakeKernels kernels = new FakeKernels(Integer.MAX_VALUE, 4096);
        long start = System.nanoTime();
        assertFalse(VectorSupport.runUntilCompiled(kernels, 100_000_000L, () -> kernels.allocated),
                "gives up at the limit, so the network stays on its portable kernels");
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "stopped near the 100 ms limit");
        assertTrue(kernels.calls > 10, "kept calling until the limit: " + kernels.calls);
    }

    @Test
    void withoutAllocationCountsSettlesForFastAndSteadyCalls() {
        AtomicInteger counter = new AtomicInteger();
        assertTrue(VectorSupport.runUntilCompiled(compilesAfter(7, counter), 10_000_000_000L, () -> -1));
        assertTrue(counter.get() >= 12 && counter.get() <= 40, "7 slow calls, then 5 steady fast ones: " + counter);
    }

    @Test
    void warmUpRunsTheKernelsOnABackgroundThreadThenSignalsReady() throws InterruptedException {
        AtomicInteger counter = new AtomicInteger();
        CountDownLatch ready = new CountDownLatch(1);
        String caller = Thread.currentThread().getName();
        StringBuilder thread = new StringBuilder();
        IntConsumer kernels = compilesAfter(3, counter);
        VectorSupport.warmUp(VectorSupportTest.class, rows -> {
            if (thread.length() == 0) {
                thread.append(Thread.currentThread().getName());
            }
            kernels.accept(rows);
        }, ready::countDown);
        assertTrue(ready.await(10, TimeUnit.SECONDS), "ready signalled");
        assertTrue(counter.get() >= VectorSupport.QUIET_CALLS,
                "the kernels ran until their calls stopped allocating: " + counter.get());
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
            VectorSupport.warmUp(VectorSupportTest.class, rows -> kernels.incrementAndGet(), ready::incrementAndGet);
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
