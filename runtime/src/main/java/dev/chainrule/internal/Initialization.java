package dev.chainrule.internal;

import java.util.SplittableRandom;

/**
 * The seeded initial values of a generated network. Every value is drawn in {@code double}
 * from one {@link SplittableRandom}, layer by layer in the public parameter order (weights
 * {@code [out][in]}, then biases), so a FLOAT and a DOUBLE network with the same seed start
 * from the same values up to float rounding.
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

    /**
     * He (Kaiming) uniform: {@code U(-a, a)} with {@code a = sqrt(6 / fanIn)}, which keeps the
     * variance of ReLU activations constant through the layers. The default for the ReLU family.
     */
    public static void heUniform(SplittableRandom random, double[] into, int offset, int fanOut, int fanIn) {
        uniform(random, into, offset, fanOut * fanIn, Math.sqrt(6.0 / fanIn));
    }

    private static void uniform(SplittableRandom random, double[] into, int offset, int count, double limit) {
        for (int k = 0; k < count; k++) {
            into[offset + k] = limit * (2.0 * random.nextDouble() - 1.0);
        }
    }
}
