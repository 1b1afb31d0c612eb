package dev.chainrule.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Activation;
import dev.chainrule.Init;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The initialisers: the documented draws exactly, and the distributions they are meant to have. */
class InitializationTest {

    @FunctionalInterface
    interface Initializer {
        void fill(SplittableRandom random, double[] into, int offset, int fanOut, int fanIn);
    }

    /** Fills 3 sentinels, then fanOut x fanIn weights, then 3 sentinels, from seed 7. */
    private static double[] draw(Initializer init, int fanOut, int fanIn) {
        double[] into = new double[fanOut * fanIn + 6];
        java.util.Arrays.fill(into, 99.0);
        init.fill(new SplittableRandom(7L), into, 3, fanOut, fanIn);
        for (int k : new int[] {0, 1, 2, into.length - 3, into.length - 2, into.length - 1}) {
            assertEquals(99.0, into[k], "only the layer's weights are written");
        }
        return java.util.Arrays.copyOfRange(into, 3, into.length - 3);
    }

    @Test
    void uniformDrawsAreLimitTimesTwoUMinusOne() {
        double[] he = draw(Initialization::heUniform, 5, 8);
        double[] glorot = draw(Initialization::glorotUniform, 5, 8);
        SplittableRandom random = new SplittableRandom(7L);
        SplittableRandom again = new SplittableRandom(7L);
        for (int k = 0; k < he.length; k++) {
            assertEquals(Math.sqrt(6.0 / 8) * (2.0 * random.nextDouble() - 1.0), he[k], 0.0);
            assertEquals(Math.sqrt(6.0 / 13) * (2.0 * again.nextDouble() - 1.0), glorot[k], 0.0);
        }
    }

    @Test
    void normalDrawsAreSigmaTimesNextGaussian() {
        double[][] drawn = {
            draw(Initialization::heNormal, 5, 8), draw(Initialization::glorotNormal, 5, 8),
            draw(Initialization::lecunNormal, 5, 8)
        };
        double[] sigmas = {Math.sqrt(2.0 / 8), Math.sqrt(2.0 / 13), Math.sqrt(1.0 / 8)};
        for (int d = 0; d < drawn.length; d++) {
            SplittableRandom random = new SplittableRandom(7L);
            for (int k = 0; k < drawn[d].length; k++) {
                assertEquals(sigmas[d] * random.nextGaussian(), drawn[d][k], 0.0);
            }
        }
    }

    @Test
    void zerosWritesZerosAndDrawsNothing() {
        SplittableRandom random = new SplittableRandom(7L);
        double[] into = {1, 2, 3, 4, 5};
        Initialization.zeros(random, into, 1, 1, 3);
        assertEquals(java.util.List.of(1.0, 0.0, 0.0, 0.0, 5.0), java.util.Arrays.stream(into).boxed().toList());
        assertEquals(new SplittableRandom(7L).nextLong(), random.nextLong(), "the stream is where it was");
    }

    /** Mean and standard deviation of 200 x 300 draws against the distribution's. */
    @Test
    void distributionsHaveTheDocumentedSpread() {
        int fanOut = 200;
        int fanIn = 300;
        check(draw(Initialization::heUniform, fanOut, fanIn), Math.sqrt(6.0 / fanIn) / Math.sqrt(3), Math.sqrt(6.0 / fanIn));
        check(draw(Initialization::glorotUniform, fanOut, fanIn), Math.sqrt(6.0 / (fanIn + fanOut)) / Math.sqrt(3),
                Math.sqrt(6.0 / (fanIn + fanOut)));
        check(draw(Initialization::heNormal, fanOut, fanIn), Math.sqrt(2.0 / fanIn), Double.POSITIVE_INFINITY);
        check(draw(Initialization::glorotNormal, fanOut, fanIn), Math.sqrt(2.0 / (fanIn + fanOut)),
                Double.POSITIVE_INFINITY);
        check(draw(Initialization::lecunNormal, fanOut, fanIn), Math.sqrt(1.0 / fanIn), Double.POSITIVE_INFINITY);
    }

    private static void check(double[] values, double sigma, double bound) {
        double sum = 0;
        double squares = 0;
        double largest = 0;
        for (double v : values) {
            sum += v;
            squares += v * v;
            largest = Math.max(largest, Math.abs(v));
        }
        double mean = sum / values.length;
        double std = Math.sqrt(squares / values.length - mean * mean);
        assertEquals(0.0, mean, 0.02 * sigma, "mean");
        assertEquals(sigma, std, 0.02 * sigma, "standard deviation");
        assertTrue(largest <= bound, "within the uniform limit");
        if (bound == Double.POSITIVE_INFINITY) {
            assertTrue(largest > 3 * sigma, "untruncated: some draws beyond 3 sigma among " + values.length);
        }
    }

    @Test
    void autoChoosesByActivation() {
        for (Activation a : Activation.values()) {
            assertNotEquals(Init.AUTO, Init.forActivation(a), a.name());
        }
        for (Activation a : new Activation[] {Activation.RELU, Activation.LEAKY_RELU, Activation.ELU,
            Activation.SOFTPLUS, Activation.SILU, Activation.GELU}) {
            assertEquals(Init.HE_UNIFORM, Init.forActivation(a), a.name());
        }
        assertEquals(Init.LECUN_NORMAL, Init.forActivation(Activation.SELU));
        for (Activation a : new Activation[] {Activation.LINEAR, Activation.SIGMOID, Activation.TANH,
            Activation.SOFTMAX}) {
            assertEquals(Init.GLOROT_UNIFORM, Init.forActivation(a), a.name());
        }
    }
}
