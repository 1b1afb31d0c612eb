package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chainrule.Activation;
import dev.chainrule.Loss;
import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import dev.chainrule.check.GradientCheck;
import dev.chainrule.data.Dataset;
import dev.chainrule.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code @Dense(dropout)}: with dropout on, a training step's loss and gradient are those of the
 * network with its activations multiplied by the masks of the documented stream (checked against
 * {@link ReferenceMlp} given the same masks); with it off, and in {@code forward} and
 * {@code loss} always, nothing is dropped; the trainer drops while fitting, with masks that a
 * resumed run repeats.
 */
class DropoutTest {

    record Topology(String name, Loss loss, int input, int[] units, Activation[] activations, double[] rates) {

        String source(String name, Precision precision) {
            List<String> layers = new ArrayList<>();
            for (int l = 0; l < units.length; l++) {
                layers.add("units = " + units[l] + ", activation = Activation." + activations[l]
                        + (rates[l] > 0 ? ", dropout = " + rates[l] : ""));
            }
            return Specs.source("drop", name, "loss = Loss." + loss + ", precision = Precision." + precision, input,
                    layers);
        }

        ReferenceMlp reference() {
            return new ReferenceMlp(input, units, activations, loss);
        }
    }

    static final List<Topology> TOPOLOGIES = List.of(
            // tiled, tiled with an input gradient through a mask, unrolled reading a masked RELU's a,
            // unrolled reading a masked SILU's a and z
            new Topology("Deep", Loss.MEAN_SQUARED_ERROR, 6, new int[] {11, 9, 4, 3},
                    new Activation[] {Activation.TANH, Activation.RELU, Activation.SILU, Activation.LINEAR},
                    new double[] {0.3, 0.5, 0.25, 0}),
            // a tiled output layer whose input gradient goes through a masked GELU
            new Topology("Wide", Loss.CATEGORICAL_CROSS_ENTROPY, 5, new int[] {20, 17},
                    new Activation[] {Activation.GELU, Activation.SOFTMAX}, new double[] {0.4, 0}));

    static CompiledNetworks compiled;

    @BeforeAll
    static void compile() {
        Map<String, String> sources = new LinkedHashMap<>();
        for (Topology t : TOPOLOGIES) {
            for (Precision precision : Precision.values()) {
                sources.put("drop." + name(t, precision), t.source(name(t, precision), precision));
            }
            Topology none = new Topology(t.name() + "None", t.loss(), t.input(), t.units(), t.activations(),
                    new double[t.units().length]);
            sources.put("drop." + name(none, Precision.DOUBLE), none.source(name(none, Precision.DOUBLE),
                    Precision.DOUBLE));
        }
        compiled = CompiledNetworks.compile(sources);
    }

    static String name(Topology t, Precision precision) {
        return t.name() + precision.name().charAt(0);
    }

    static Model network(Topology t, Precision precision, String suffix) {
        return compiled.newNetwork("drop." + t.name() + suffix + precision.name().charAt(0) + "Network", 3L);
    }

    /** The masks the documented stream gives: SplitMix64 from {@code seed}, layer, sample, unit. */
    static double[][][] masks(long seed, int batch, Topology t, double[] rates, boolean isFloat) {
        long state = seed;
        double[][][] masks = new double[batch][t.units().length][];
        for (int l = 0; l < t.units().length; l++) {
            if (rates[l] <= 0) {
                continue;
            }
            double scale = 1.0 / (1.0 - rates[l]);
            if (isFloat) {
                scale = (float) scale;
            }
            for (int s = 0; s < batch; s++) {
                masks[s][l] = new double[t.units()[l]];
                for (int j = 0; j < t.units()[l]; j++) {
                    state += 0x9E3779B97F4A7C15L;
                    long z = state;
                    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
                    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
                    double u = ((z ^ (z >>> 31)) >>> 11) * 0x1.0p-53;
                    masks[s][l][j] = u < rates[l] ? 0 : scale;
                }
            }
        }
        return masks;
    }

    static double[][] data(SplittableRandom random, int rows, int width) {
        double[][] values = new double[rows][width];
        for (double[] row : values) {
            for (int i = 0; i < width; i++) {
                row[i] = random.nextDouble(-1, 1);
            }
        }
        return values;
    }

    static double[][] targets(SplittableRandom random, int rows, Topology t) {
        int outputs = t.units()[t.units().length - 1];
        if (t.loss() == Loss.CATEGORICAL_CROSS_ENTROPY) {
            double[][] y = new double[rows][outputs];
            for (double[] row : y) {
                row[random.nextInt(outputs)] = 1;
            }
            return y;
        }
        return data(random, rows, outputs);
    }

    static TrainingStep loaded(Model net, double[][] x, double[][] y) {
        TrainingStep step = net.newTrainingStep(x.length);
        for (int s = 0; s < x.length; s++) {
            step.load(s, x[s], 0, y[s], 0);
        }
        return step;
    }

    static double[] gradient(Model net, TrainingStep step) {
        double[] g = new double[net.parameterCount()];
        step.gradients(g);
        return g;
    }

    @TestFactory
    List<DynamicTest> theGradientIsTheMaskedNetworksGradient() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Topology t : TOPOLOGIES) {
            for (Precision precision : Precision.values()) {
                tests.add(DynamicTest.dynamicTest(t.name() + " " + precision, () -> {
                    boolean isFloat = precision == Precision.FLOAT;
                    Model net = network(t, precision, "");
                    SplittableRandom random = new SplittableRandom(t.name().hashCode());
                    double[][] x = data(random, 7, t.input());
                    double[][] y = targets(random, 7, t);
                    if (isFloat) {
                        round(x);
                        round(y);
                    }
                    double[] params = net.parameters();
                    ReferenceMlp reference = t.reference();
                    TrainingStep step = loaded(net, x, y);
                    for (long seed : new long[] {1L, -99L}) {
                        step.setDropout(true, seed);
                        double[][][] masks = masks(seed, x.length, t, t.rates(), isFloat);
                        double loss = step.computeGradients(x.length);
                        double tolerance = isFloat ? 1e-4 : 1e-10;
                        double[] expected = reference.gradient(params, x, y, masks);
                        double largest = 0;
                        for (double g : expected) {
                            largest = Math.max(largest, Math.abs(g));
                        }
                        assertEquals(reference.loss(params, x, y, masks), loss, tolerance * Math.max(1, loss), "loss");
                        double[] actual = gradient(net, step);
                        for (int k = 0; k < expected.length; k++) {
                            if (!(Math.abs(expected[k] - actual[k]) <= tolerance * Math.max(largest, 1e-3))) {
                                fail(String.format(Locale.ROOT, "%s %s seed %d: gradient %d is %.17g, the masked"
                                        + " reference %.17g", t.name(), precision, seed, k, actual[k], expected[k]));
                            }
                        }
                        // the masks drop some units and keep others
                        int dropped = 0;
                        int kept = 0;
                        for (double[][] sample : masks) {
                            for (double[] layer : sample) {
                                for (int j = 0; layer != null && j < layer.length; j++) {
                                    if (layer[j] == 0) {
                                        dropped++;
                                    } else {
                                        kept++;
                                    }
                                }
                            }
                        }
                        assertTrue(dropped > 0 && kept > 0, dropped + " dropped, " + kept + " kept");
                        // forward and loss never drop, even now
                        assertEquals(reference.loss(params, x, y), step.loss(x.length), tolerance, "loss() never drops");
                    }
                    // off: the network without masks
                    step.setDropout(false, 5L);
                    step.computeGradients(x.length);
                    double[] plain = reference.gradient(params, x, y);
                    double[] actual = gradient(net, step);
                    for (int k = 0; k < plain.length; k++) {
                        assertEquals(plain[k], actual[k], isFloat ? 1e-4 : 1e-10, "dropout off, gradient " + k);
                    }
                }));
            }
        }
        return tests;
    }

    private static void round(double[][] rows) {
        for (double[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) row[j];
            }
        }
    }

    @Test
    void theRateCanBeOverriddenAtRunTime() {
        Topology t = TOPOLOGIES.get(0);
        Model net = network(t, Precision.DOUBLE, "");
        SplittableRandom random = new SplittableRandom(8L);
        double[][] x = data(random, 5, t.input());
        double[][] y = targets(random, 5, t);
        TrainingStep step = loaded(net, x, y);
        double[] params = net.parameters();
        ReferenceMlp reference = t.reference();

        step.setDropoutRate(0.0);
        step.setDropout(true, 4L);
        step.computeGradients(x.length);
        assertArrayEquals(reference.gradient(params, x, y), gradient(net, step), 1e-10, "rate 0: nothing dropped");

        step.setDropoutRate(0.8);
        step.setDropout(true, 4L);
        step.computeGradients(x.length);
        double[] rates = {0.8, 0.8, 0.8, 0};
        assertArrayEquals(reference.gradient(params, x, y, masks(4L, x.length, t, rates, false)), gradient(net, step),
                1e-10, "every declared layer at 0.8, the output still without");
        for (double bad : new double[] {-0.1, 1.0, Double.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> step.setDropoutRate(bad));
        }
    }

    @Test
    void predictionAndTheGradientCheckSeeNoDropout() {
        for (Topology t : TOPOLOGIES) {
            Model net = network(t, Precision.DOUBLE, "");
            Model none = network(t, Precision.DOUBLE, "None");
            assertArrayEquals(none.parameters(), net.parameters(), "the same start");
            SplittableRandom random = new SplittableRandom(2L);
            double[][] x = data(random, 6, t.input());
            double[][] y = targets(random, 6, t);
            for (double[] row : x) {
                assertArrayEquals(none.predict(row), net.predict(row), 0.0);
            }
            GradientCheck.Report report = GradientCheck.check(net, x, y);
            assertTrue(report.maxRelativeError() < GradientCheckMatrixTest.DOUBLE_BOUND, t.name() + ": " + report);
        }
    }

    @Test
    void theTrainerDropsWhileFittingAndAResumedRunRepeatsTheMasks(@TempDir Path dir) throws IOException {
        Topology t = TOPOLOGIES.get(0);
        SplittableRandom random = new SplittableRandom(21L);
        Dataset data = Dataset.of(data(random, 40, t.input()), targets(random, 40, t));

        Model straight = network(t, Precision.FLOAT, "");
        trainer(straight).epochs(6).fit(data);
        Path checkpoint = dir.resolve("dropout.ckpt");
        trainer(network(t, Precision.FLOAT, "")).epochs(3).checkpointEvery(3, checkpoint).fit(data);
        Model resumed = network(t, Precision.FLOAT, "");
        trainer(resumed).epochs(6).resumeFrom(checkpoint).fit(data);
        assertArrayEquals(straight.parameters(), resumed.parameters(), "3 + 3 epochs equal 6, masks included");

        // the trainer really drops: without dropout the run ends elsewhere; at rate 0 exactly where
        // the network without dropout layers does
        Model rateZero = network(t, Precision.DOUBLE, "");
        trainer(rateZero).dropout(0.0).epochs(2).fit(data);
        Model none = network(t, Precision.DOUBLE, "None");
        trainer(none).epochs(2).fit(data);
        assertArrayEquals(none.parameters(), rateZero.parameters(), "rate 0 is no dropout, bit for bit");
        Model dropping = network(t, Precision.DOUBLE, "");
        trainer(dropping).epochs(2).fit(data);
        assertFalse(java.util.Arrays.equals(none.parameters(), dropping.parameters()), "declared dropout is used");
        assertThrows(IllegalArgumentException.class, () -> trainer(none).dropout(1.0));
    }

    private static Trainer trainer(Model net) {
        return Trainer.of(net).learningRate(0.05).batchSize(8).seed(5L);
    }
}
