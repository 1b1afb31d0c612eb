package dev.chainrule.processor.plan;

/** How the kernels of one layer are written out. */
public enum KernelStyle {
    /** Straight-line code with constant indices, one statement per multiply-add: tiny layers only. */
    UNROLLED,
    /**
     * Loops with constant bounds over rows of the weight matrix, {@value NetworkPlanner#TILE} rows
     * (or samples) per pass, so that the inner loop indexes only {@code row[j]} and C2 vectorises it.
     */
    TILED
}
