package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Layer;
import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.check.GradientCheck;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * "Predefined values from arrays for any layer": every dense layer of a generated network takes
 * its weights and biases from arrays ({@link Layer#setWeights}, {@link Layer#setBiases}), on tiled
 * layers (whose kernels keep a transposed copy) and unrolled ones alike; the network then computes
 * with exactly those values (checked against a forward pass written out in this test), and a
 * wrong shape is refused with a message naming the layer, the expected and the actual size,
 * changing nothing.
 */
class PredefinedValuesTest {

    /** 6 -> 11 tanh (tiled, first) -> 7 sigmoid (tiled, with an input gradient) -> 3 linear (unrolled). */
    static final int[] SIZES = {6, 11, 7, 3};

    static CompiledNetworks compiled;

    @BeforeAll
    static void compile() {
        Map<String, String> sources = new LinkedHashMap<>();
        for (Precision precision : Precision.values()) {
            sources.put("predefined.Net" + precision.name().charAt(0), Specs.source("predefined",
                    "Net" + precision.name().charAt(0), "loss = Loss.MEAN_SQUARED_ERROR, precision = Precision."
                            + precision, SIZES[0], List.of("units = 11, activation = Activation.TANH",
                                    "units = 7, activation = Activation.SIGMOID", "units = 3")));
        }
        compiled = CompiledNetworks.compile(sources);
    }

    static Model network(Precision precision) {
        return compiled.newNetwork("predefined.Net" + precision.name().charAt(0) + "Network", 1L);
    }

    /** Values that are exact in float too: multiples of 1/64 in [-1, 1]. */
    static double value(SplittableRandom random) {
        return random.nextInt(-64, 65) / 64.0;
    }

    static double activate(int layer, double z) {
        return switch (layer) {
            case 0 -> Math.tanh(z);
            case 1 -> 1 / (1 + Math.exp(-z));
            default -> z;
        };
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void everyLayerTakesItsValuesFromArrays(Precision precision) {
        Model net = network(precision);
        SplittableRandom random = new SplittableRandom(17L);
        double[][][] w = new double[3][][];
        double[][] b = new double[3][];
        for (int l = 0; l < 3; l++) {
            w[l] = new double[SIZES[l + 1]][SIZES[l]];
            b[l] = new double[SIZES[l + 1]];
            for (int j = 0; j < SIZES[l + 1]; j++) {
                for (int i = 0; i < SIZES[l]; i++) {
                    w[l][j][i] = value(random);
                }
                b[l][j] = value(random);
            }
            Layer layer = net.layers().get(l + 1);
            layer.setWeights(w[l]);
            layer.setBiases(b[l]);
        }
        // read back exactly, and in PyTorch's public order: per layer W[out][in] row-major, then b
        double[] expected = new double[net.parameterCount()];
        int k = 0;
        for (int l = 0; l < 3; l++) {
            assertArrayEquals(w[l], net.layers().get(l + 1).weights(), "weights of layer " + (l + 1));
            assertArrayEquals(b[l], net.layers().get(l + 1).biases(), "biases of layer " + (l + 1));
            for (double[] row : w[l]) {
                for (double v : row) {
                    expected[k++] = v;
                }
            }
            for (double v : b[l]) {
                expected[k++] = v;
            }
        }
        assertArrayEquals(expected, net.parameters(), "parameters() in the public order");

        // the forward pass uses them: a = f(W a + b), layer by layer, written out here
        double tolerance = precision == Precision.DOUBLE ? 1e-12 : 1e-5;
        for (int s = 0; s < 5; s++) {
            double[] a = new double[SIZES[0]];
            for (int i = 0; i < a.length; i++) {
                a[i] = value(random);
            }
            double[] input = a.clone();
            for (int l = 0; l < 3; l++) {
                double[] next = new double[SIZES[l + 1]];
                for (int j = 0; j < next.length; j++) {
                    double z = b[l][j];
                    for (int i = 0; i < a.length; i++) {
                        z += w[l][j][i] * a[i];
                    }
                    next[j] = activate(l, z);
                }
                a = next;
            }
            assertArrayEquals(a, net.predict(input), tolerance, "prediction of sample " + s);
        }

        // and so does the backward pass (the tiled layers' transposed copies were updated too)
        if (precision == Precision.DOUBLE) {
            double[][] x = {{0.5, -0.25, 1, 0.75, -1, 0.125}, {-0.5, 0.25, 0, -0.75, 1, 0.5}};
            double[][] y = {{1, 0, -1}, {0.5, 0.5, 2}};
            GradientCheck.Report report = GradientCheck.check(net, x, y);
            assertTrue(report.maxRelativeError() < GradientCheckMatrixTest.DOUBLE_BOUND, report.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void aWrongShapeIsRefusedWithTheExpectedAndActualSizes(Precision precision) {
        Model net = network(precision);
        double[] before = net.parameters();
        Layer hidden = net.layers().get(1);
        assertEquals("layer0", hidden.name());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> hidden.setWeights(new double[10][6]));
        assertEquals("weights of layer 'layer0' have 10 rows, expected 11 (one per unit)", e.getMessage());

        double[][] ragged = new double[11][6];
        ragged[3] = new double[5];
        e = assertThrows(IllegalArgumentException.class, () -> hidden.setWeights(ragged));
        assertEquals("row 3 of the weights of layer 'layer0' has 5 elements, expected 6", e.getMessage());

        // PyTorch's orientation is [out][in]: the transposed matrix is refused, not silently misread
        e = assertThrows(IllegalArgumentException.class, () -> hidden.setWeights(new double[6][11]));
        assertEquals("weights of layer 'layer0' have 6 rows, expected 11 (one per unit)", e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> net.layers().get(3).setBiases(new double[4]));
        assertEquals("biases of layer 'layer2' has 4 elements, expected 3", e.getMessage());

        NullPointerException n = assertThrows(NullPointerException.class, () -> hidden.setWeights(null));
        assertTrue(n.getMessage().contains("layer0"), n.getMessage());
        n = assertThrows(NullPointerException.class, () -> hidden.setBiases(null));
        assertTrue(n.getMessage().contains("layer0"), n.getMessage());

        UnsupportedOperationException u = assertThrows(UnsupportedOperationException.class,
                () -> net.layers().get(0).setWeights(new double[0][0]));
        assertTrue(u.getMessage().contains("input layer 'features'"), u.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> net.layers().get(0).setBiases(new double[0]));

        e = assertThrows(IllegalArgumentException.class, () -> net.setParameters(new double[before.length + 1]));
        assertTrue(e.getMessage().contains((before.length + 1) + " elements, expected " + before.length),
                e.getMessage());

        assertArrayEquals(before, net.parameters(), "a refused write changes nothing");
    }
}
