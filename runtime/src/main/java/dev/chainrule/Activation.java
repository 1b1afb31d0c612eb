package dev.chainrule;

/** The activation function of a {@link Dense} layer. */
public enum Activation {
    /** {@code f(z) = z}. */
    LINEAR,
    /** {@code f(z) = 1 / (1 + e^-z)}. */
    SIGMOID,
    /** {@code f(z) = tanh(z)}. */
    TANH,
    /** {@code f(z) = max(0, z)}; the derivative at 0 is taken as 0, as PyTorch does. */
    RELU,
    /** {@code f(z) = z} for {@code z > 0}, else {@code 0.01 z} (PyTorch's default slope). */
    LEAKY_RELU,
    /**
     * {@code f(z)_j = e^(z_j) / Σ_k e^(z_k)}, computed with the maximum subtracted. Output layer
     * only; with {@link Loss#CATEGORICAL_CROSS_ENTROPY} the output gradient is fused to {@code p - y}.
     */
    SOFTMAX
}
