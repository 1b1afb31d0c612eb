package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainrule.Model;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code @Dense(init)}: a generated network starts from exactly the documented draws, layer by
 * layer from {@code SplittableRandom(seed)} in the public order, with AUTO resolved by activation.
 */
class InitializerTest {

    static CompiledNetworks compiled;

    static final List<String> LAYERS = List.of(
            "units = 5, activation = Activation.TANH, init = Init.HE_NORMAL",
            "units = 4, activation = Activation.SELU",
            "units = 6, activation = Activation.GELU, init = Init.GLOROT_NORMAL",
            "units = 3, activation = Activation.RELU",
            "units = 4, activation = Activation.SIGMOID, init = Init.LECUN_NORMAL",
            "units = 2, activation = Activation.SILU",
            "units = 3, init = Init.ZEROS");

    @BeforeAll
    static void compile() {
        compiled = CompiledNetworks.compile(Map.of(
                "init.Inits", Specs.source("init", "Inits", "loss = Loss.MEAN_SQUARED_ERROR, precision = Precision.DOUBLE",
                        3, LAYERS),
                "init.FloatInits", Specs.source("init", "FloatInits", "loss = Loss.MEAN_SQUARED_ERROR", 3, LAYERS)));
    }

    /** The documented algorithm, written out for the layers above. */
    static double[] expected(long seed) {
        int[] units = {5, 4, 6, 3, 4, 2, 3};
        // HE_NORMAL, AUTO for SELU = LECUN_NORMAL, GLOROT_NORMAL, AUTO for RELU = HE_UNIFORM,
        // LECUN_NORMAL, AUTO for SILU = HE_UNIFORM, ZEROS
        String[] kinds = {"heNormal", "lecunNormal", "glorotNormal", "heUniform", "lecunNormal", "heUniform", "zeros"};
        SplittableRandom random = new SplittableRandom(seed);
        int total = 0;
        int in = 3;
        for (int u : units) {
            total += u * in + u;
            in = u;
        }
        double[] theta = new double[total];
        int k = 0;
        in = 3;
        for (int l = 0; l < units.length; l++) {
            int fanIn = in;
            int fanOut = units[l];
            for (int w = 0; w < fanOut * fanIn; w++) {
                theta[k++] = switch (kinds[l]) {
                    case "heNormal" -> Math.sqrt(2.0 / fanIn) * random.nextGaussian();
                    case "lecunNormal" -> Math.sqrt(1.0 / fanIn) * random.nextGaussian();
                    case "glorotNormal" -> Math.sqrt(2.0 / (fanIn + fanOut)) * random.nextGaussian();
                    case "heUniform" -> Math.sqrt(6.0 / fanIn) * (2.0 * random.nextDouble() - 1.0);
                    default -> 0.0;
                };
            }
            k += fanOut; // biases stay 0
            in = fanOut;
        }
        return theta;
    }

    @Test
    void everyLayerStartsFromItsInitialiserInPublicOrder() {
        for (long seed : new long[] {0L, 42L}) {
            Model net = compiled.newNetwork("init.InitsNetwork", seed);
            assertArrayEquals(expected(seed), net.parameters(), 0.0, "seed " + seed);
        }
    }

    @Test
    void floatNetworksStartFromTheSameValuesRounded() {
        double[] expected = expected(42L);
        double[] actual = compiled.newNetwork("init.FloatInitsNetwork", 42L).parameters();
        for (int k = 0; k < expected.length; k++) {
            assertEquals((float) expected[k], (float) actual[k], "parameter " + k);
        }
    }
}
