package dev.chainrule;

/**
 * The activation function of a {@link Dense} layer. The formulas, and those of each derivative
 * the backward pass uses, are in docs/math.md.
 */
public enum Activation {
    /** {@code f(z) = z}. */
    LINEAR,
    /** {@code f(z) = 1 / (1 + e^-z)}. */
    SIGMOID,
    /** {@code f(z) = tanh(z)}. */
    TANH,
    /** {@code f(z) = max(0, z)}; the derivative at 0 is taken as 0, as PyTorch does. */
    RELU,
    /**
     * {@code f(z) = z} for {@code z > 0}, else {@code α z}, with the slope {@code α} from
     * {@link Dense#alpha()}: by default {@value Dense#LEAKY_RELU_DEFAULT_ALPHA}, PyTorch's default.
     */
    LEAKY_RELU,
    /**
     * {@code f(z) = z} for {@code z > 0}, else {@code α (e^z - 1)}, with {@code α} from
     * {@link Dense#alpha()}: by default {@value Dense#ELU_DEFAULT_ALPHA}, as in PyTorch.
     */
    ELU,
    /**
     * Self-normalising ELU: {@code f(z) = λ z} for {@code z > 0}, else {@code λ α (e^z - 1)},
     * with PyTorch's constants {@code λ = }{@value #SELU_SCALE} and {@code α = }{@value #SELU_ALPHA}.
     * Its layers start with LeCun normal weights unless {@link Dense#init()} says otherwise.
     */
    SELU,
    /**
     * {@code f(z) = log(1 + e^z)}, a smooth ReLU, computed as {@code max(z, 0) + log(1 + e^-|z|)}
     * so that it never overflows.
     */
    SOFTPLUS,
    /** SiLU (swish): {@code f(z) = z σ(z) = z / (1 + e^-z)}. */
    SILU,
    /**
     * GELU in its tanh approximation (PyTorch's {@code approximate="tanh"}):
     * {@code f(z) = z/2 (1 + tanh(√(2/π) (z + 0.044715 z³)))}.
     */
    GELU,
    /**
     * {@code f(z)_j = e^(z_j) / Σ_k e^(z_k)}, computed with the maximum subtracted. Output layer
     * only; with {@link Loss#CATEGORICAL_CROSS_ENTROPY} the output gradient is fused to {@code p - y}.
     */
    SOFTMAX;

    /** SELU's {@code λ}, PyTorch's value. */
    public static final double SELU_SCALE = 1.0507009873554804934193349852946;

    /** SELU's {@code α}, PyTorch's value. */
    public static final double SELU_ALPHA = 1.6732632423543772848170429916717;
}
