package dev.chainrule;

/**
 * How a {@link Dense} layer's weights start ({@link Dense#init()}); biases always start at 0.
 * Every value is drawn in {@code double} from the network's {@code SplittableRandom(seed)}, layer
 * by layer in the public parameter order (weights {@code [out][in]}), and rounded to the
 * network's precision. {@code fanIn} is the layer's input size, {@code fanOut} its units. Normal
 * draws are {@code σ · nextGaussian()}, untruncated, as PyTorch's {@code nn.init} does.
 */
public enum Init {
    /**
     * By activation, {@link #forActivation}: He uniform for the ReLU family (RELU, LEAKY_RELU,
     * ELU, SOFTPLUS, SILU, GELU), LeCun normal for SELU (which needs it to self-normalise), Glorot
     * uniform otherwise (LINEAR, SIGMOID, TANH, SOFTMAX). The default.
     */
    AUTO,
    /** Glorot (Xavier) uniform: {@code U(-a, a)} with {@code a = √(6 / (fanIn + fanOut))}. */
    GLOROT_UNIFORM,
    /** Glorot (Xavier) normal: {@code N(0, σ²)} with {@code σ = √(2 / (fanIn + fanOut))}. */
    GLOROT_NORMAL,
    /** He (Kaiming) uniform: {@code U(-a, a)} with {@code a = √(6 / fanIn)}. */
    HE_UNIFORM,
    /** He (Kaiming) normal: {@code N(0, σ²)} with {@code σ = √(2 / fanIn)}. */
    HE_NORMAL,
    /** LeCun normal: {@code N(0, σ²)} with {@code σ = √(1 / fanIn)}. */
    LECUN_NORMAL,
    /** Every weight 0; draws no random numbers. Breaks no symmetry: for output layers, not hidden ones. */
    ZEROS;

    /** What {@link #AUTO} means for a layer with this activation: never {@code AUTO} itself. */
    public static Init forActivation(Activation activation) {
        return switch (activation) {
            case RELU, LEAKY_RELU, ELU, SOFTPLUS, SILU, GELU -> HE_UNIFORM;
            case SELU -> LECUN_NORMAL;
            case LINEAR, SIGMOID, TANH, SOFTMAX -> GLOROT_UNIFORM;
        };
    }
}
