package dev.chainrule;

/** Which kernels the processor generates for a {@link Network}'s larger layers. */
public enum Simd {
    /**
     * The Vector API kernels when the compilation can see {@code jdk.incubator.vector}
     * ({@code --add-modules jdk.incubator.vector}), else the portable ones. The default.
     */
    AUTO,
    /** Only plain Java loops, which C2 auto-vectorises: any JDK 17+, no flags. */
    PORTABLE,
    /**
     * The Vector API kernels, and a compile error if the module is not visible. At run time a
     * network falls back to its portable kernels, with one log line, where the module is missing.
     */
    VECTOR
}
