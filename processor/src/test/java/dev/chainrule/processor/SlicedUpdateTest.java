package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Model;
import dev.chainrule.Optimizer;
import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The generated methods that work on one slice of the parameters ({@link TrainingStep}'s slices):
 * combining parts slice by slice equals {@code scaleGradients} and {@code addGradients} bit for
 * bit, and applying every slice then completing the update equals {@code applyGradients}, for
 * every update rule in both precisions, on unrolled narrow layers and on tiled layers that keep
 * transposed weights, with more slices than some layers have rows.
 */
class SlicedUpdateTest {

    static CompiledNetworks compiled;

    /** Narrow: 2 -> 4 tanh -> 3 linear, every layer unrolled with rows of 4 and 3. */
    static final List<String> NARROW = List.of("units = 4, activation = Activation.TANH", "units = 3");

    /**
     * Wide: 6 -> 20 tanh -> 12 relu -> 3 linear. The first two are tiled (the second keeps a
     * transposed copy of its weights for the input gradient), the update's loop kernel runs rows of
     * 20 and 12, the last layer is unrolled; dropout on the first.
     */
    static final List<String> WIDE = List.of("units = 20, activation = Activation.TANH, dropout = 0.25",
            "units = 12, activation = Activation.RELU", "units = 3");

    static String name(String shape, Optimizer optimizer, Precision precision) {
        return shape + OptimizerTest.name(optimizer, precision);
    }

    @BeforeAll
    static void compile() {
        Map<String, String> sources = new LinkedHashMap<>();
        for (Optimizer optimizer : Optimizer.values()) {
            for (Precision precision : Precision.values()) {
                String network = "loss = Loss.MEAN_SQUARED_ERROR, precision = Precision." + precision
                        + ", optimizer = Optimizer." + optimizer;
                for (String shape : new String[] {"Narrow", "Wide"}) {
                    String name = name(shape, optimizer, precision);
                    sources.put("sliced." + name, Specs.source("sliced", name, network, shape.equals("Narrow") ? 2 : 6,
                            shape.equals("Narrow") ? NARROW : WIDE));
                }
            }
        }
        compiled = CompiledNetworks.compile(sources);
    }

    static Model network(String shape, Optimizer optimizer, Precision precision) {
        return compiled.newNetwork("sliced." + name(shape, optimizer, precision) + "Network", 5L);
    }

    /** {@code rows} samples of random features and targets, drawn from {@code seed}. */
    static TrainingStep loaded(Model net, int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        TrainingStep step = net.newTrainingStep(rows);
        for (int s = 0; s < rows; s++) {
            double[] x = new double[net.inputSize()];
            double[] y = new double[net.outputSize()];
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextDouble(-1.5, 1.5);
            }
            for (int j = 0; j < y.length; j++) {
                y[j] = random.nextDouble(-1, 1);
            }
            step.load(s, x, 0, y, 0);
        }
        return step;
    }

    static double[] gradients(Model net, TrainingStep step) {
        double[] g = new double[net.parameterCount()];
        step.gradients(g);
        return g;
    }

    static final int[] SLICE_COUNTS = {1, 2, 3, 5};

    /**
     * Two networks from the same seed take the same steps, one with {@code applyGradients(lr)},
     * the other slice by slice (in reverse order, to show the order does not matter) and then
     * {@code completeUpdate()}: parameters and update state stay bit-identical step after step,
     * and so do the next gradients, which read the transposed weight copies.
     */
    @TestFactory
    List<DynamicTest> applyingEverySliceEqualsApplyingTheWhole() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String shape : new String[] {"Narrow", "Wide"}) {
            for (Optimizer optimizer : Optimizer.values()) {
                for (Precision precision : Precision.values()) {
                    tests.add(DynamicTest.dynamicTest(shape + " " + optimizer + " " + precision, () -> {
                        for (int slices : SLICE_COUNTS) {
                            String what = shape + " " + optimizer + " " + precision + ", " + slices + " slices";
                            Model whole = network(shape, optimizer, precision);
                            Model sliced = network(shape, optimizer, precision);
                            TrainingStep a = loaded(whole, 5, 9L);
                            TrainingStep b = loaded(sliced, 5, 9L);
                            a.setUpdateSettings(OptimizerTest.SETTINGS);
                            b.setUpdateSettings(OptimizerTest.SETTINGS);
                            a.setDropout(true, 3L);
                            b.setDropout(true, 3L);
                            double[] before = whole.parameters();
                            for (int t = 0; t < 4; t++) {
                                a.computeGradients(5);
                                b.computeGradients(5);
                                assertArrayEquals(gradients(whole, a), gradients(sliced, b), what + ", gradient " + t);
                                double lr = learningRate(optimizer, t);
                                a.applyGradients(lr);
                                for (int s = slices - 1; s >= 0; s--) {
                                    b.applyGradients(lr, s, slices);
                                }
                                b.completeUpdate();
                                assertArrayEquals(whole.parameters(), sliced.parameters(), what + ", step " + (t + 1));
                                assertArrayEquals(whole.optimizerState(), sliced.optimizerState(),
                                        what + ", state after step " + (t + 1));
                            }
                            assertTrue(!Arrays.equals(before, whole.parameters()), what + ": the steps move");
                            if (optimizer != Optimizer.SGD) {
                                assertEquals(4.0, sliced.optimizerState()[0], what + ": four steps counted");
                            }
                            // the forward pass reads the transposed copies too: predictions agree
                            double[] x = {0.3, -0.7, 1.1, 0.2, -0.4, 0.9};
                            assertArrayEquals(whole.predict(Arrays.copyOf(x, whole.inputSize())),
                                    sliced.predict(Arrays.copyOf(x, sliced.inputSize())), what);
                        }
                    }));
                }
            }
        }
        return tests;
    }

    /**
     * OptimizerTest's rates, but Rprop's first (the only one it reads) is above the largest step
     * size of {@link OptimizerTest#SETTINGS}, so that the first step clamps every step size.
     */
    static double learningRate(Optimizer optimizer, int step) {
        return OptimizerTest.learningRate(optimizer, step) * (optimizer == Optimizer.RPROP ? 4 : 1);
    }

    /**
     * Parts with different data combined with {@code scaleGradients} and {@code addGradients} on
     * one side and {@code combineGradients} slice by slice on the other give the same bits, the
     * slices' norms add up to {@code gradientSquaredNorm()}, a part with factor 0 is not read (its
     * gradient is NaN), and the sliced {@code scaleGradients} equals the whole one.
     */
    @TestFactory
    List<DynamicTest> combiningEverySliceEqualsScaleAndAdd() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String shape : new String[] {"Narrow", "Wide"}) {
            for (Precision precision : Precision.values()) {
                // the combination does not depend on the update rule: two suffice
                for (Optimizer optimizer : new Optimizer[] {Optimizer.SGD, Optimizer.ADAM}) {
                    tests.add(DynamicTest.dynamicTest(shape + " " + optimizer + " " + precision, () -> {
                        Model net = network(shape, optimizer, precision);
                        double[] factors = {0.4, 0.35, 0.25, 0.0};
                        for (int slices : SLICE_COUNTS) {
                            String what = shape + " " + precision + ", " + slices + " slices";
                            TrainingStep[] serial = parts(net, factors.length);
                            TrainingStep[] sliced = parts(net, factors.length);
                            serial[0].scaleGradients(factors[0]);
                            for (int k = 1; k < factors.length; k++) {
                                if (factors[k] != 0) {
                                    serial[0].addGradients(serial[k], factors[k]);
                                }
                            }
                            double norm = 0;
                            for (int s = 0; s < slices; s++) {
                                norm += sliced[0].combineGradients(sliced, factors, s, slices);
                            }
                            double[] expected = gradients(net, serial[0]);
                            assertArrayEquals(expected, gradients(net, sliced[0]), what);
                            double squares = serial[0].gradientSquaredNorm();
                            assertEquals(squares, norm, 1e-13 * squares, what + ": the slices' norms");
                            assertTrue(norm > 0, what);
                            serial[0].scaleGradients(0.3);
                            for (int s = 0; s < slices; s++) {
                                sliced[0].scaleGradients(0.3, s, slices);
                            }
                            assertArrayEquals(gradients(net, serial[0]), gradients(net, sliced[0]), what + ", scaled");
                        }
                        // one part alone: combining is scaling
                        TrainingStep[] one = parts(net, 1);
                        TrainingStep[] other = parts(net, 1);
                        one[0].scaleGradients(0.5);
                        other[0].combineGradients(other, new double[] {0.5}, 0, 1);
                        assertArrayEquals(gradients(net, one[0]), gradients(net, other[0]), shape + " one part");
                    }));
                }
            }
        }
        return tests;
    }

    /** Steps with the gradients of different samples; the last one's gradient is NaN (an empty part's stale buffer). */
    private static TrainingStep[] parts(Model net, int count) {
        TrainingStep[] parts = new TrainingStep[count];
        for (int k = 0; k < count; k++) {
            parts[k] = loaded(net, 3, 20L + k);
            parts[k].computeGradients(3);
        }
        if (count > 1) {
            double[] nan = new double[net.parameterCount()];
            Arrays.fill(nan, Double.NaN);
            parts[count - 1].setGradients(nan);
        }
        return parts;
    }

    /** What the trainer checks before it shares combining and updating between its threads. */
    @Test
    void generatedStepsDeclareEverySlicedMethod() throws NoSuchMethodException {
        for (String shape : new String[] {"Narrow", "Wide"}) {
            Class<?> step = network(shape, Optimizer.SGD, Precision.FLOAT).newTrainingStep(1).getClass();
            step.getDeclaredMethod("combineGradients", TrainingStep[].class, double[].class, int.class, int.class);
            step.getDeclaredMethod("scaleGradients", double.class, int.class, int.class);
            step.getDeclaredMethod("applyGradients", double.class, int.class, int.class);
            step.getDeclaredMethod("completeUpdate");
        }
    }

    /**
     * A learning rate that is NaN, infinite or negative is refused by both updates before
     * anything changes, for every update rule (a NaN rate would make every parameter NaN).
     */
    @TestFactory
    List<DynamicTest> badLearningRatesAreRefusedAndChangeNothing() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Optimizer optimizer : Optimizer.values()) {
            for (Precision precision : Precision.values()) {
                tests.add(DynamicTest.dynamicTest(optimizer + " " + precision, () -> {
                    Model net = network("Wide", optimizer, precision);
                    TrainingStep step = loaded(net, 3, 7L);
                    step.computeGradients(3);
                    double[] parameters = net.parameters();
                    double[] state = net.optimizerState();
                    for (double rate : new double[] {Double.NaN, Double.POSITIVE_INFINITY, -0.1}) {
                        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                                () -> step.applyGradients(rate));
                        assertEquals("learning rate is " + rate + "; it must be finite and not negative", e.getMessage());
                        e = assertThrows(IllegalArgumentException.class, () -> step.applyGradients(rate, 0, 2));
                        assertEquals("learning rate is " + rate + "; it must be finite and not negative", e.getMessage());
                        assertArrayEquals(parameters, net.parameters(), optimizer + ": parameters unchanged");
                        assertArrayEquals(state, net.optimizerState(), optimizer + ": update state unchanged");
                    }
                    step.applyGradients(0.0); // a rate of 0 is allowed
                }));
            }
        }
        return tests;
    }

    @Test
    void badPartsAndSlicesAreRefused() {
        Model net = network("Narrow", Optimizer.SGD, Precision.FLOAT);
        Model another = network("Narrow", Optimizer.ADAM, Precision.FLOAT);
        TrainingStep a = loaded(net, 2, 1L);
        TrainingStep b = loaded(net, 2, 2L);
        TrainingStep foreign = loaded(another, 2, 3L);
        double[] half = {0.5, 0.5};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.combineGradients(new TrainingStep[] {b, a}, half, 0, 1));
        assertEquals("the first part must be the step the gradients are combined into", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> a.combineGradients(new TrainingStep[] {a, b}, new double[] {1.0}, 0, 1));
        assertEquals("2 parts but 1 factors", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> a.combineGradients(new TrainingStep[] {a, foreign}, half, 0, 1));
        assertTrue(e.getMessage().startsWith("not a training step of this network: "), e.getMessage());
        IndexOutOfBoundsException o = assertThrows(IndexOutOfBoundsException.class,
                () -> a.combineGradients(new TrainingStep[] {a, b}, half, 2, 2));
        assertEquals("slice 2 is outside 0..1 of 2 slices", o.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> a.scaleGradients(1.0, -1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> a.applyGradients(0.1, 0, 0));
    }
}
