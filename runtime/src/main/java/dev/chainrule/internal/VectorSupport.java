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

    private VectorSupport() {}

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
