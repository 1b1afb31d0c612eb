package dev.chainrule.processor.plan;

import dev.chainrule.Activation;

/**
 * The facts about an activation's math that decide the shape of the code: which buffers a layer
 * keeps and which passes may use Vector API kernels. The math itself (values, derivatives,
 * formulas) is the emitter's {@code ActivationMath} table, and it must agree with these answers.
 */
public final class ActivationTraits {

    private ActivationTraits() {}

    /**
     * Whether the backward pass writes {@code f'} in terms of the pre-activation {@code z}
     * (SILU, GELU: their derivative is not a function of {@code a = f(z)} alone), so that the
     * layer keeps its pre-activations beside its activations. Every other element-wise
     * activation's derivative is written in terms of {@code a}.
     */
    public static boolean derivativeNeedsPreActivation(Activation activation) {
        return activation == Activation.SILU || activation == Activation.GELU;
    }

    /**
     * Whether {@code g · f'(a)} needs nothing but additions, multiplications, comparisons and
     * blends, so that a Vector API kernel computes it lane by lane bit-identically to the
     * portable code. Derivatives that call {@code exp}, {@code tanh} or {@code log} (SOFTPLUS,
     * SILU, GELU) would round differently in the Vector API's versions of those functions: the
     * input-gradient pass of the layer after one of them stays portable.
     */
    public static boolean laneWiseDerivative(Activation activation) {
        return switch (activation) {
            case LINEAR, SIGMOID, TANH, RELU, LEAKY_RELU, ELU, SELU -> true;
            case SOFTPLUS, SILU, GELU, SOFTMAX -> false;
        };
    }

    /**
     * Whether the vector forward kernel applies {@code f} itself, lane by lane and
     * bit-identically (LINEAR, RELU, LEAKY_RELU). Any other activation is applied afterwards by
     * the portable scalar code, which calls the same helper as the portable kernel.
     */
    public static boolean laneWiseValue(Activation activation) {
        return activation == Activation.LINEAR || activation == Activation.RELU
                || activation == Activation.LEAKY_RELU;
    }
}
