package dev.chainrule.internal;

import java.lang.System.Logger.Level;

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
     * run in the interpreter, where every vector operation allocates, hundreds of times slower than
     * the portable kernels: the first epochs of an MNIST-sized network would take seconds. So a
     * daemon thread calls {@code kernels} (every kernel once, on small dummy data) until its calls
     * have become fast and steady, then runs {@code ready}; the network uses its portable kernels
     * until then. Both compute bit-identical results, so the switch changes nothing but speed.
     *
     * <p>{@code -Dchainrule.vectorWarmUp=false} switches the vector kernels on at once, without a
     * thread (for tests that must run them from the first call).
     */
    public static void warmUp(Class<?> network, Runnable kernels, Runnable ready) {
        if (!Boolean.parseBoolean(System.getProperty("chainrule.vectorWarmUp", "true"))) {
            ready.run();
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                runUntilCompiled(kernels, WARM_UP_LIMIT_NANOS);
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.WARNING, "{0}: Vector API warm-up failed, switching to them anyway: {1}",
                        network.getSimpleName(), e);
            } finally {
                ready.run();
            }
        }, "chainrule-vector-warm-up-" + network.getSimpleName());
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    /**
     * Calls {@code kernels} until a call takes under a tenth of the first one and the last five
     * calls stay within 25% of the fastest seen (compiled and steady), or the time limit passes.
     * Returns the number of calls.
     */
    static int runUntilCompiled(Runnable kernels, long limitNanos) {
        long start = System.nanoTime();
        long first = -1;
        long fastest = Long.MAX_VALUE;
        int steady = 0;
        int calls = 0;
        while (System.nanoTime() - start < limitNanos) {
            long before = System.nanoTime();
            kernels.run();
            long took = System.nanoTime() - before;
            calls++;
            if (first < 0) {
                first = took;
            }
            if (took < fastest) {
                // The calls counted as steady so far were steady around a slower time: they count
                // only if they are within 25% of the new fastest too, which they are not after
                // the kernels got compiled (the run of steady calls starts again with this one).
                steady = took + took / 4 >= fastest ? steady + 1 : 1;
                fastest = took;
            } else {
                steady = took <= fastest + fastest / 4 ? steady + 1 : 0;
            }
            if ((fastest * 10 < first || calls >= 1000) && steady >= 5) {
                break;
            }
        }
        return calls;
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
