package dev.chainrule.internal;

import java.util.SplittableRandom;

/**
 * The seeded initial values of a generated network ({@link dev.chainrule.Init}). Every value is
 * drawn in {@code double} from one {@link SplittableRandom}, layer by layer in the public
 * parameter order (weights {@code [out][in]}, then biases, which stay 0 and draw nothing), so a
 * FLOAT and a DOUBLE network with the same seed start from the same values up to float rounding.
 * A uniform value is {@code a (2 u - 1)} with {@code u = nextDouble()}; a normal one
 * {@code σ nextGaussian()}.
 */
public final class Initialization {

    private Initialization() {}

    /**
     * Glorot (Xavier) uniform: {@code U(-a, a)} with {@code a = sqrt(6 / (fanIn + fanOut))}.
     * The default for sigmoid, tanh, softmax and linear layers.
     */
    public static void glorotUniform(SplittableRandom random, double[] into, int offset, int fanOut, int fanIn) {
        uniform(random, into, offset, fanOut * fanIn, Math.sqrt(6.0 / (fanIn + fanOut)));
    }

    /** Glorot (Xavier) normal: {@code N(0, σ²)} with {@code σ = sqrt(2 / (fanIn + fanOut))}. */
    public static void glorotNormal(SplittableRandom random, double[] into, int offset, int fanOut, int fanIn) {
        normal(random, into, offset, fanOut * fanIn, Math.sqrt(2.0 / (fanIn + fanOut)));
    }

    /**
     * He (Kaiming) uniform: {@code U(-a, a)} with {@code a = sqrt(6 / fanIn)}, which keeps the
     * variance of ReLU activations constant through the layers. The default for the ReLU family.
     */
    public static void heUniform(SplittableRandom random, double[] into, int offset, int fanOut, int fanIn) {
        uniform(random, into, offset, fanOut * fanIn, Math.sqrt(6.0 / fanIn));
    }

    /** He (Kaiming) normal: {@code N(0, σ²)} with {@code σ = sqrt(2 / fanIn)}. */
    public static void heNormal(SplittableRandom random, double[] into, int offset, int fanOut, int fanIn) {
        normal(random, into, offset, fanOut * fanIn, Math.sqrt(2.0 / fanIn));
    }

    /** LeCun normal: {@code N(0, σ²)} with {@code σ = sqrt(1 / fanIn)}. The default for SELU. */
    public static void lecunNormal(SplittableRandom random, double[] into, int offset, int fanOut, int fanIn) {
        normal(random, into, offset, fanOut * fanIn, Math.sqrt(1.0 / fanIn));
    }

    /** Every weight 0; draws nothing from {@code random}. */
    public static void zeros(SplittableRandom random, double[] into, int offset, int fanOut, int fanIn) {
        java.util.Arrays.fill(into, offset, offset + fanOut * fanIn, 0.0);
    }

    private static void uniform(SplittableRandom random, double[] into, int offset, int count, double limit) {
        for (int k = 0; k < count; k++) {
            into[offset + k] = limit * (2.0 * random.nextDouble() - 1.0);
        }
    }

    private static void normal(SplittableRandom random, double[] into, int offset, int count, double sigma) {
        for (int k = 0; k < count; k++) {
            into[offset + k] = sigma * random.nextGaussian();
        }
    }
}
