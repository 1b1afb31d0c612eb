package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Model;
import dev.chainrule.TrainingStep;
import dev.chainrule.check.GradientCheck;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The loops an unrolled layer runs over its units and inputs ({@code LayerPlan.loopsOverUnits},
 * {@code loopsOverInputs}) and relu's branch-free derivative, against what they replace.
 */
class UnrolledFormsTest {

    /**
     * The same network twice: every layer but the first unrolled ({@code unrollMaxWeights = 128}:
     * a 16-to-8 layer that loops over its units and its inputs, reading a transposed copy, and an
     * 8-to-3 softmax stored by unit, whose gradient, update and input gradient loop over its
     * inputs), and every layer tiled ({@code 0}). The tiled
     * kernels add in the same order, so gradients and parameters must agree bit for bit, over
     * batches of different sizes, with dropout on the layer whose derivative the loops take.
     * (The first layer is tiled in both: a tiled first layer adds its bias last.)
     */
    @ParameterizedTest
    @ValueSource(strings = {"FLOAT", "DOUBLE"})
    void loopsGiveTheBitsOfTheTiledKernels(String precision) {
        List<String> layers = List.of("units = 16, activation = Activation.SILU, dropout = 0.2",
                "units = 8, activation = Activation.RELU", "units = 3, activation = Activation.SOFTMAX");
        String network = "loss = Loss.CATEGORICAL_CROSS_ENTROPY, precision = Precision." + precision
                + ", unrollMaxWeights = ";
        CompiledNetworks compiled = CompiledNetworks.compile(Map.of(
                "forms.Unrolled", Specs.source("forms", "Unrolled", network + 128, 20, layers),
                "forms.Tiled", Specs.source("forms", "Tiled", network + 0, 20, layers)));
        Model unrolled = compiled.newNetwork("forms.UnrolledNetwork", 3L);
        Model tiled = compiled.newNetwork("forms.TiledNetwork", 3L);
        TrainingStep u = unrolled.newTrainingStep(16);
        TrainingStep t = tiled.newTrainingStep(16);
        u.setDropout(true, 5L);
        t.setDropout(true, 5L);
        SplittableRandom random = new SplittableRandom(1);
        for (int batch : new int[] {1, 5, 16, 3}) {
            for (int s = 0; s < batch; s++) {
                double[] x = random.doubles(20, -2, 2).toArray();
                x[random.nextInt(20)] = 0; // exact zeros, for the signs of zero products
                double[] y = new double[3];
                y[random.nextInt(3)] = 1;
                u.load(s, x, 0, y, 0);
                t.load(s, x, 0, y, 0);
            }
            assertEquals(t.computeGradients(batch), u.computeGradients(batch), precision + " loss, batch " + batch);
            double[] expected = new double[tiled.parameterCount()];
            double[] actual = new double[unrolled.parameterCount()];
            t.gradients(expected);
            u.gradients(actual);
            assertArrayEquals(expected, actual, precision + " gradients, batch " + batch);
            t.applyGradients(0.1);
            u.applyGradients(0.1);
            assertArrayEquals(tiled.parameters(), unrolled.parameters(), precision + " parameters, batch " + batch);
        }
    }

    /**
     * {@code reluSlope(a) = min(a * 2^149, 1)} (2^1074 in DOUBLE) must be 1 for the smallest
     * positive activation, not just for ordinary ones: a 1-8-1 network whose first hidden unit is
     * active with the smallest positive value and whose second is off.
     */
    @ParameterizedTest
    @ValueSource(strings = {"FLOAT", "DOUBLE"})
    void reluSlopeIsOneForTheSmallestPositiveActivation(String precision) {
        String name = "Tiny" + precision;
        Model net = CompiledNetworks.compile(Map.of("forms." + name, Specs.source("forms", name,
                        "loss = Loss.MEAN_SQUARED_ERROR, precision = Precision." + precision, 1,
                        List.of("units = 8, activation = Activation.RELU", "units = 1"))))
                .newNetwork("forms." + name + "Network", 1L);
        double tiny = precision.equals("FLOAT") ? Float.MIN_VALUE : Double.MIN_VALUE;
        // public order: hidden weights [unit][input] (8), hidden biases (8), output weights (8), output bias
        double[] theta = new double[net.parameterCount()];
        theta[0] = tiny; // unit 0: a = 1 * tiny
        for (int j = 0; j < 8; j++) {
            theta[16 + j] = 1;
        }
        net.setParameters(theta);
        TrainingStep step = net.newTrainingStep(1);
        step.load(0, new double[] {1}, 0, new double[] {2}, 0);
        step.computeGradients(1);
        double[] gradient = new double[net.parameterCount()];
        step.gradients(gradient);
        // output = tiny, dL/doutput = 2 (tiny - 2); unit 0 passes it on with slope 1, unit 1 with 0
        assertEquals(2 * (tiny - 2), gradient[0], 1e-6, precision + " weight of the active unit");
        assertEquals(0.0, gradient[1], precision + " weight of the inactive unit");
    }

    /**
     * A first layer stored by unit ({@code LayerPlan.unitMajor}: 12 inputs, 5 units, unrolled)
     * under a written-out softmax layer: its predictions equal a plain computation from the public
     * parameter order ({@code [unit][input]} weights, then biases, layer by layer), and its
     * gradient passes the finite-difference check.
     */
    @Test
    void firstLayerStoredByUnitKeepsThePublicOrderAndItsGradient() {
        Model net = CompiledNetworks.compile(Map.of("forms.ByUnit", Specs.source("forms", "ByUnit",
                        "loss = Loss.CATEGORICAL_CROSS_ENTROPY, precision = Precision.DOUBLE", 12,
                        List.of("units = 5, activation = Activation.TANH", "units = 3, activation = Activation.SOFTMAX"))))
                .newNetwork("forms.ByUnitNetwork", 1L);
        SplittableRandom random = new SplittableRandom(7);
        double[] theta = random.doubles(net.parameterCount(), -1, 1).toArray();
        net.setParameters(theta);
        assertArrayEquals(theta, net.parameters(), "parameters round trip");
        double[][] x = new double[4][];
        double[][] y = new double[4][3];
        for (int s = 0; s < x.length; s++) {
            x[s] = random.doubles(12, -2, 2).toArray();
            y[s][random.nextInt(3)] = 1;
            // the public order: hidden weights [unit][input] (60), hidden biases (5), then the output layer's
            double[] h = new double[5];
            for (int j = 0; j < 5; j++) {
                double z = theta[60 + j];
                for (int i = 0; i < 12; i++) {
                    z += x[s][i] * theta[12 * j + i];
                }
                h[j] = Math.tanh(z);
            }
            double[] z = new double[3];
            double sum = 0;
            for (int k = 0; k < 3; k++) {
                z[k] = theta[65 + 15 + k];
                for (int j = 0; j < 5; j++) {
                    z[k] += h[j] * theta[65 + 5 * k + j];
                }
                sum += Math.exp(z[k]);
            }
            double[] p = net.predict(x[s]);
            for (int k = 0; k < 3; k++) {
                assertEquals(Math.exp(z[k]) / sum, p[k], 1e-12, "sample " + s + ", output " + k);
            }
        }
        GradientCheck.Report report = GradientCheck.check(net, x, y);
        assertTrue(report.maxRelativeError() < 1e-6, report.toString());
    }
}
