package dev.chainrule;

/**
 * The loss a {@link Network} minimises. Each is a mean, as PyTorch and Keras define it, and a
 * mini-batch's gradient is the gradient of that mean.
 */
public enum Loss {
    /** The mean over every output of every sample of {@code (ŷ - y)²}. */
    MEAN_SQUARED_ERROR,
    /**
     * The mean over every output of every sample of {@code -[y log p + (1 - y) log(1 - p)]}.
     * Requires a {@link Activation#SIGMOID} output; computed from the logits, so it never takes
     * the log of zero, and its output gradient is fused to {@code p - y}.
     */
    BINARY_CROSS_ENTROPY,
    /**
     * The mean over samples of {@code -Σ y log p}. Requires a {@link Activation#SOFTMAX} output;
     * {@code log p} is computed as a log-softmax, and the output gradient is fused to
     * {@code p Σy - y} ({@code p - y} for one-hot targets).
     */
    CATEGORICAL_CROSS_ENTROPY,
    /**
     * The mean over every output of every sample of {@code |ŷ - y|} (PyTorch's {@code L1Loss}).
     * Its gradient is {@code sign(ŷ - y)}, 0 where {@code ŷ = y} (as {@code torch.sign}).
     */
    MEAN_ABSOLUTE_ERROR,
    /**
     * The mean over every output of every sample of {@code h(ŷ - y)} with
     * {@code h(e) = e²/2} for {@code |e| < δ} and {@code δ (|e| - δ/2)} otherwise (PyTorch's
     * {@code HuberLoss}): squared error near the target, absolute error far from it. {@code δ}
     * is {@link Network#huberDelta()}.
     */
    HUBER
}
