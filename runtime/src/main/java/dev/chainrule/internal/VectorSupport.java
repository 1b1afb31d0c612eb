package dev.chainrule.internal;

import java.lang.System.Logger.Level;
import java.util.function.IntConsumer;

/**
 * Decides, once per network class, whether its Vector API kernels can run: only when the
 * {@code jdk.incubator.vector} module is in the boot layer and the kernel class links. Otherwise
 * the network runs its portable kernels (the same results, slower) and says so in one log line.
 */
public final class VectorSupport {

    private static final String MODULE = "jdk.incubator.vector";
    private static final System.Logger LOG = System.getLogger("dev.chainrule");

    /** The longest a warm-up runs before the Vector API kernels are switched on anyway. */
    static final long WARM_UP_LIMIT_NANOS = 30_000_000_000L;

    private VectorSupport() {}

    /**
     * Gets the Vector API kernels compiled before they are used. Until C2 has compiled them they
     * run in the interpreter or C1, where every vector operation allocates, tens to hundreds of
     * times slower than the portable kernels: the first epochs of an MNIST-sized network would
     * take seconds. So a low-priority daemon thread calls {@code kernels} (every kernel on
     * {@link #WARM_UP_ROWS} rows of dummy data) until its calls stop allocating, which happens
     * only once C2 has compiled every kernel with the vector intrinsics, then runs {@code ready};
     * the network uses its portable kernels until then. Both compute bit-identical results, so
     * the switch changes nothing but speed. If the kernels are still not compiled after
     * {@link #WARM_UP_LIMIT_NANOS} (a starved or unusual JIT), the network keeps its portable
     * kernels and says so in one log line, rather than run slow vector code.
     *
     * <p>C2 compiles a method only after hundreds of invocations, and until then each real call
     * is slow; so after each one the thread makes {@link #EMPTY_CALLS} calls with no rows, which
     * cost nothing but count. An MNIST-sized network's warm-up took 2.4 s with real calls only and
     * 1.5-1.6 s with 10 empty calls each (alone, quiet machine). 100 gave 0.7 s, but C2 then
     * compiled the kernels for a profile in which their loops were rarely entered, and a training
     * step ran about 5-10% slower; with 10 no difference showed within the noise.
     *
     * <p>{@code -Dchainrule.vectorWarmUp=false} switches the vector kernels on at once, without a
     * thread (for tests that must run them from the first call).
     */
    public static void warmUp(Class<?> network, IntConsumer kernels, Runnable ready) {
        if (!Boolean.parseBoolean(System.getProperty("chainrule.vectorWarmUp", "true"))) {
            ready.run();
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                if (runUntilCompiled(kernels, WARM_UP_LIMIT_NANOS, VectorSupport::allocatedBytes)) {
                    ready.run();
                } else {
                    LOG.log(Level.WARNING, "{0}: the Vector API kernels were not compiled within {1} s;"
                            + " staying on the portable kernels", network.getSimpleName(),
                            WARM_UP_LIMIT_NANOS / 1_000_000_000L);
                }
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.WARNING, "{0}: Vector API warm-up failed, staying on the portable kernels: {1}",
                        network.getSimpleName(), e);
            }
        }, "chainrule-vector-warm-up-" + network.getSimpleName());
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    /** The rows of dummy data the generated {@code warmUp()} allocates: one 4-row block and one leftover row. */
    public static final int WARM_UP_ROWS = 5;

    /**
     * Calls with no rows after each real call, to bring the kernels to C2's invocation thresholds
     * sooner; more would skew the profile C2 compiles for (see {@link #warmUp}).
     */
    static final int EMPTY_CALLS = 10;

    /** Calls in a row that must allocate (almost) nothing before the kernels count as compiled. */
    static final int QUIET_CALLS = 3;

    /** Below this many bytes a call counts as allocation-free (a stray object, not boxed vectors). */
    static final long QUIET_BYTES = 1024;

    /**
     * Calls {@code kernels} on {@link #WARM_UP_ROWS} rows, each time followed by
     * {@link #EMPTY_CALLS} calls on none, until {@link #QUIET_CALLS} calls in a row allocate less than
     * {@link #QUIET_BYTES} each, as measured by {@code allocated} (this thread's allocated bytes),
     * and returns true; returns false if {@code limitNanos} pass first. Where the JVM cannot count
     * allocations ({@code allocated} returns a negative number), it settles for calls that have
     * become ten times faster than the first and steady.
     */
    static boolean runUntilCompiled(IntConsumer kernels, long limitNanos, java.util.function.LongSupplier allocated) {
        long start = System.nanoTime();
        long first = -1;
        long fastest = Long.MAX_VALUE;
        int steady = 0;
        int quiet = 0;
        while (System.nanoTime() - start < limitNanos) {
            long bytesBefore = allocated.getAsLong();
            long before = System.nanoTime();
            kernels.accept(WARM_UP_ROWS);
            long took = System.nanoTime() - before;
            long bytes = allocated.getAsLong() - bytesBefore;
            for (int call = 0; call < EMPTY_CALLS; call++) {
                kernels.accept(0);
            }
            if (bytesBefore >= 0) {
                quiet = bytes < QUIET_BYTES ? quiet + 1 : 0;
                if (quiet >= QUIET_CALLS) {
                    return true;
                }
                continue;
            }
            if (first < 0) {
                first = took;
            }
            if (took < fastest) {
                steady = took + took / 4 >= fastest ? steady + 1 : 1;
                fastest = took;
            } else {
                steady = took <= fastest + fastest / 4 ? steady + 1 : 0;
            }
            if (fastest * 10 < first && steady >= 5) {
                return true;
            }
        }
        return false;
    }

    /** This thread's allocated bytes, or -1 where the JVM does not count them. */
    private static long allocatedBytes() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        if (threads instanceof com.sun.management.ThreadMXBean counting && counting.isThreadAllocatedMemoryEnabled()) {
            return counting.getCurrentThreadAllocatedBytes();
        }
        return -1;
    }

    /**
     * Whether {@code network}'s Vector API kernels, in the nested class {@code kernels}, can be
     * used in this JVM. Never throws.
     */
    public static boolean available(Class<?> network, String kernels) {
        if (Boolean.getBoolean("chainrule.portable")) {
            LOG.log(Level.INFO, "{0}: portable kernels (-Dchainrule.portable=true)", network.getSimpleName());
            return false;
        }
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            LOG.log(Level.INFO, "{0}: portable kernels, because module " + MODULE
                    + " is not present; run with --add-modules " + MODULE + " for the faster Vector API kernels",
                    network.getSimpleName());
            return false;
        }
        try {
            Class.forName(network.getName() + "$" + kernels, true, network.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.log(Level.WARNING, "{0}: portable kernels, because the Vector API kernels failed to load: {1}",
                    network.getSimpleName(), e);
            return false;
        }
    }
}
