package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.chainrule.Activation;
import dev.chainrule.Loss;
import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The generated networks against {@link ReferenceMlp}, a plain, independently derived MLP:
 * predictions, the batch mean loss and every gradient component, with the same random
 * parameters, on topologies that cover unrolled and tiled layers, sizes that are not multiples
 * of the tile, one to three hidden layers, every hidden activation, every loss and batch sizes 1,
 * 3 and 9.
 *
 * <p>Tolerances. DOUBLE: predictions and loss {@code |a - b| <= 1e-12 max(1, |a|, |b|)};
 * gradients {@code |a - b| <= 1e-9 max(1, |a|, |b|)}. FLOAT (the reference then runs in double
 * on the float-rounded parameters, inputs and targets): predictions and loss
 * {@code |a - b| <= 1e-5 max(1, |a|, |b|)}; gradients {@code |a - b| <= 1e-4 max(|a|, |b|, m)}
 * with {@code m} the largest reference gradient component of that batch.
 */
class ReferenceAgreementTest {

    private static final String PKG = "agree";
    private static final int[] BATCH_SIZES = {1, 3, 9};

    /** Layers with at most this many weights are generated fully unrolled, larger ones as tiled loops. */
    private static final int UNROLLED_MAX_WEIGHTS = 64;

    /** How targets are drawn. */
    enum Targets {
        /** Any real value in [-1, 1) (regression). */
        REAL,
        /** Independent values in [0, 1], a third of them exactly 0 or 1 (binary labels or soft labels). */
        BINARY,
        /** One-hot rows. */
        ONE_HOT,
        /** Probability rows: non-negative, summing to 1. */
        PROBABILITY_ROWS
    }

    /** {@code alphas}: the {@code @Dense(alpha)} of each layer, NaN where not given; null for none at all. */
    record Topology(String name, Precision precision, Loss loss, int inputSize, int[] units,
            Activation[] activations, double[] alphas, Targets targets, double huberDelta) {

        Topology(String name, Precision precision, Loss loss, int inputSize, int[] units, Activation[] activations,
                Targets targets) {
            this(name, precision, loss, inputSize, units, activations, null, targets, Double.NaN);
        }

        Topology(String name, Precision precision, Loss loss, int inputSize, int[] units, Activation[] activations,
                double[] alphas, Targets targets) {
            this(name, precision, loss, inputSize, units, activations, alphas, targets, Double.NaN);
        }

        String qualifiedSpec() {
            return PKG + "." + name;
        }

        String qualifiedNetwork() {
            return PKG + "." + name + "Network";
        }

        ReferenceMlp reference() {
            return new ReferenceMlp(inputSize, units, activations, alphas, loss,
                    Double.isNaN(huberDelta) ? 1.0 : huberDelta);
        }

        String source() {
            List<String> layers = Specs.dense(units, activations);
            if (alphas != null) {
                for (int l = 0; l < layers.size(); l++) {
                    if (!Double.isNaN(alphas[l])) {
                        layers.set(l, layers.get(l) + ", alpha = " + alphas[l]);
                    }
                }
            }
            return Specs.source(PKG, name, "loss = Loss." + loss + ", precision = Precision." + precision
                    + (Double.isNaN(huberDelta) ? "" : ", huberDelta = " + huberDelta), inputSize, layers);
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(name).append(" [").append(precision).append(", ").append(loss)
                    .append(Double.isNaN(huberDelta) ? "" : "(" + huberDelta + ")").append(": ").append(inputSize);
            int in = inputSize;
            for (int l = 0; l < units.length; l++) {
                s.append(" -> ").append(units[l]).append(' ').append(activations[l])
                        .append(alphas != null && !Double.isNaN(alphas[l]) ? "(" + alphas[l] + ")" : "")
                        .append((long) in * units[l] <= UNROLLED_MAX_WEIGHTS ? " (unrolled)" : " (tiled)");
                in = units[l];
            }
            return s.append(']').toString();
        }
    }

    private static Topology dbl(String name, Loss loss, int inputSize, int[] units, Activation[] activations,
            Targets targets) {
        return new Topology(name, Precision.DOUBLE, loss, inputSize, units, activations, targets);
    }

    private static Topology flt(String name, Loss loss, int inputSize, int[] units, Activation[] activations,
            Targets targets) {
        return new Topology(name, Precision.FLOAT, loss, inputSize, units, activations, targets);
    }

    private static final Loss MSE = Loss.MEAN_SQUARED_ERROR;
    private static final Loss BCE = Loss.BINARY_CROSS_ENTROPY;
    private static final Loss CCE = Loss.CATEGORICAL_CROSS_ENTROPY;
    private static final Loss MAE = Loss.MEAN_ABSOLUTE_ERROR;
    private static final Loss HUBER = Loss.HUBER;
    private static final Activation LINEAR = Activation.LINEAR;
    private static final Activation SIGMOID = Activation.SIGMOID;
    private static final Activation TANH = Activation.TANH;
    private static final Activation RELU = Activation.RELU;
    private static final Activation LEAKY = Activation.LEAKY_RELU;
    private static final Activation SOFTMAX = Activation.SOFTMAX;
    private static final Activation ELU = Activation.ELU;
    private static final Activation SELU = Activation.SELU;
    private static final Activation SOFTPLUS = Activation.SOFTPLUS;
    private static final Activation SILU = Activation.SILU;
    private static final Activation GELU = Activation.GELU;
    private static final double NONE = Double.NaN;

    static final List<Topology> DOUBLE_TOPOLOGIES = List.of(
            // 42 and 21 weights: both unrolled; one hidden layer
            dbl("TanhSmall", MSE, 6, new int[] {7, 3}, new Activation[] {TANH, LINEAR}, Targets.REAL),
            // 143, 91 tiled, 35 unrolled; two hidden layers; softmax + CCE with one-hot targets
            dbl("ReluLeakyCce", CCE, 11, new int[] {13, 7, 5}, new Activation[] {RELU, LEAKY, SOFTMAX},
                    Targets.ONE_HOT),
            // 770, 66 tiled, 18, 3 unrolled; three hidden layers; sigmoid + BCE with one output
            dbl("DeepBce", BCE, 70, new int[] {11, 6, 3, 1}, new Activation[] {SIGMOID, TANH, LINEAR, SIGMOID},
                    Targets.BINARY),
            // 63 unrolled (the largest below the limit), 117 tiled, 39 unrolled; BCE with three outputs
            dbl("LeakyLinearBce", BCE, 7, new int[] {9, 13, 3}, new Activation[] {LEAKY, LINEAR, SIGMOID},
                    Targets.BINARY),
            // 78 tiled, 24 unrolled; softmax output trained with MSE (softmax Jacobian without fusion)
            dbl("SoftmaxMse", MSE, 13, new int[] {6, 4}, new Activation[] {SIGMOID, SOFTMAX},
                    Targets.PROBABILITY_ROWS),
            // 350 and 420 tiled, a hidden layer of 70 units; tanh output with MSE
            dbl("WideRelu", MSE, 5, new int[] {70, 6}, new Activation[] {RELU, TANH}, Targets.REAL),
            // 63, 49, 21 unrolled; CCE with probability-row (soft) targets
            dbl("SoftTargetsCce", CCE, 9, new int[] {7, 7, 3}, new Activation[] {RELU, LEAKY, SOFTMAX},
                    Targets.PROBABILITY_ROWS),
            // exactly 64 weights per layer: the largest unrolled layers; relu output with MSE
            dbl("EightByEight", MSE, 8, new int[] {8, 8}, new Activation[] {LEAKY, RELU}, Targets.REAL),
            // sizes that are multiples of the tile: 192 tiled, 48 unrolled; leaky output with MSE
            dbl("TileMultiples", MSE, 16, new int[] {12, 4}, new Activation[] {SIGMOID, LEAKY}, Targets.REAL),
            // no hidden layer: 910 weights tiled, linear regression with 13 outputs
            dbl("LinearWide", MSE, 70, new int[] {13}, new Activation[] {LINEAR}, Targets.REAL),
            // 6 and 6 weights unrolled; softmax of two classes
            dbl("TinySoftmax", CCE, 2, new int[] {3, 2}, new Activation[] {SIGMOID, SOFTMAX}, Targets.ONE_HOT),
            // every newer activation hidden, tiled and unrolled, with alphas away from the defaults;
            // SILU keeps its pre-activations for the input gradient of a tiled layer
            new Topology("NewerTiled", Precision.DOUBLE, CCE, 10, new int[] {12, 9, 8, 4},
                    new Activation[] {ELU, SILU, LEAKY, SOFTMAX}, new double[] {0.4, NONE, 0.25, NONE}, Targets.ONE_HOT),
            dbl("NewerUnrolled", MSE, 5, new int[] {6, 7, 3}, new Activation[] {SELU, GELU, SOFTPLUS}, Targets.REAL),
            // as outputs with MSE: GELU and SILU read their logits in the output gradient
            dbl("GeluOut", MSE, 7, new int[] {13, 3}, new Activation[] {SOFTPLUS, GELU}, Targets.REAL),
            dbl("SiluOut", MSE, 4, new int[] {9, 20}, new Activation[] {SELU, SILU}, Targets.REAL),
            new Topology("EluOut", Precision.DOUBLE, MSE, 4, new int[] {5, 2}, new Activation[] {GELU, ELU},
                    new double[] {NONE, 2.5}, Targets.REAL),
            // the regression losses with kinks: tiled and unrolled outputs, a delta away from 1
            dbl("MaeTiled", MAE, 9, new int[] {10, 17}, new Activation[] {TANH, LINEAR}, Targets.REAL),
            dbl("MaeSigmoid", MAE, 5, new int[] {6, 3}, new Activation[] {RELU, SIGMOID}, Targets.BINARY),
            new Topology("HuberHalf", Precision.DOUBLE, HUBER, 8, new int[] {9, 4},
                    new Activation[] {LEAKY, LINEAR}, null, Targets.REAL, 0.5),
            dbl("HuberGelu", HUBER, 6, new int[] {20, 12}, new Activation[] {SELU, GELU}, Targets.REAL),
            // softmax outputs under MAE and HUBER (warned about): the softmax Jacobian
            dbl("SoftmaxMae", MAE, 5, new int[] {6, 4}, new Activation[] {TANH, SOFTMAX}, Targets.PROBABILITY_ROWS),
            new Topology("SoftmaxHuber", Precision.DOUBLE, HUBER, 5, new int[] {6, 4},
                    new Activation[] {TANH, SOFTMAX}, null, Targets.PROBABILITY_ROWS, 0.1));

    static final List<Topology> FLOAT_TOPOLOGIES = List.of(
            flt("FloatCce", CCE, 11, new int[] {13, 7, 5}, new Activation[] {TANH, RELU, SOFTMAX}, Targets.ONE_HOT),
            flt("FloatBce", BCE, 70, new int[] {6, 2}, new Activation[] {LEAKY, SIGMOID}, Targets.BINARY),
            flt("FloatMse", MSE, 6, new int[] {7, 3}, new Activation[] {SIGMOID, LINEAR}, Targets.REAL),
            new Topology("FloatNewer", Precision.FLOAT, CCE, 10, new int[] {12, 9, 8, 7, 4},
                    new Activation[] {ELU, SILU, GELU, SELU, SOFTMAX}, new double[] {0.7, NONE, NONE, NONE, NONE},
                    Targets.ONE_HOT),
            flt("FloatSoftplusOut", MSE, 6, new int[] {18, 3}, new Activation[] {SOFTPLUS, SOFTPLUS}, Targets.REAL),
            flt("FloatGeluOut", MSE, 6, new int[] {5, 17}, new Activation[] {SILU, GELU}, Targets.REAL),
            flt("FloatMae", MAE, 7, new int[] {11, 3}, new Activation[] {TANH, LINEAR}, Targets.REAL),
            new Topology("FloatHuber", Precision.FLOAT, HUBER, 7, new int[] {11, 18},
                    new Activation[] {ELU, LINEAR}, null, Targets.REAL, 0.3));

    private static final String HAND_ONE = PKG + ".HandOne";
    private static final String HAND_TWO_OUTPUTS = PKG + ".HandTwoOutputs";
    private static final String HAND_MAE = PKG + ".HandMae";
    private static final String HAND_HUBER = PKG + ".HandHuber";

    private static CompiledNetworks compiled;

    /**
     * The specs the processor warns about (MSE on a softmax output: valid, but it learns slowly).
     * {@link CompiledNetworks#compile} fails on any warning, so they are compiled apart, with that
     * warning required and nothing else allowed.
     */
    private static CompiledNetworks warnedAbout;

    private static boolean expectsWarning(Topology t) {
        return t.loss() != CCE && t.activations()[t.activations().length - 1] == SOFTMAX;
    }

    @BeforeAll
    static void compileAll() {
        Map<String, String> sources = new LinkedHashMap<>();
        List<JavaFileObject> warned = new ArrayList<>();
        for (Topology t : DOUBLE_TOPOLOGIES) {
            if (expectsWarning(t)) {
                warned.add(JavaFileObjects.forSourceString(t.qualifiedSpec(), t.source()));
            } else {
                sources.put(t.qualifiedSpec(), t.source());
            }
        }
        for (Topology t : FLOAT_TOPOLOGIES) {
            sources.put(t.qualifiedSpec(), t.source());
        }
        if (!warned.isEmpty()) {
            Compilation compilation = CompiledNetworks.javac().compile(warned);
            assertEquals(Compilation.Status.SUCCESS, compilation.status(), compilation.diagnostics().toString());
            List<String> problems = compilation.diagnostics().stream()
                    .filter(d -> d.getKind() != Diagnostic.Kind.NOTE)
                    .map(d -> d.getMessage(Locale.ROOT))
                    .collect(Collectors.toList());
            assertEquals(warned.size(), problems.size(), problems.toString());
            assertTrue(problems.stream().allMatch(m -> m.contains("[chainrule/SquaredErrorOnSoftmax]")
                    || m.contains("[chainrule/RegressionLossOnSoftmax]")), problems.toString());
            warnedAbout = CompiledNetworks.of(compilation);
        }
        sources.put(HAND_ONE, Specs.source(PKG, "HandOne", MSE, Precision.DOUBLE, 1, new int[] {1},
                new Activation[] {LINEAR}));
        sources.put(HAND_TWO_OUTPUTS, Specs.source(PKG, "HandTwoOutputs", MSE, Precision.DOUBLE, 1,
                new int[] {2}, new Activation[] {LINEAR}));
        sources.put(HAND_MAE, Specs.source(PKG, "HandMae", MAE, Precision.DOUBLE, 1, new int[] {2},
                new Activation[] {LINEAR}));
        sources.put(HAND_HUBER, Specs.source(PKG, "HandHuber", HUBER, Precision.DOUBLE, 1, new int[] {2},
                new Activation[] {LINEAR}));
        compiled = CompiledNetworks.compile(sources);
    }

    // ---------------------------------------------------------------------------------------
    // The topologies cover what they claim to cover.

    @Test
    void topologiesCoverUnrolledTiledSizesDepthsActivationsAndLosses() {
        boolean unrolled = false;
        boolean tiled = false;
        boolean exactlyAtLimit = false;
        boolean notMultipleOfFour = false;
        Set<Integer> hiddenCounts = new java.util.TreeSet<>();
        Set<Activation> hidden = EnumSet.noneOf(Activation.class);
        Set<Loss> losses = EnumSet.noneOf(Loss.class);
        for (Topology t : DOUBLE_TOPOLOGIES) {
            int in = t.inputSize();
            notMultipleOfFour |= in % 4 != 0;
            for (int l = 0; l < t.units().length; l++) {
                long weights = (long) in * t.units()[l];
                unrolled |= weights <= UNROLLED_MAX_WEIGHTS;
                tiled |= weights > UNROLLED_MAX_WEIGHTS;
                exactlyAtLimit |= weights == UNROLLED_MAX_WEIGHTS;
                notMultipleOfFour |= t.units()[l] % 4 != 0;
                if (l < t.units().length - 1) {
                    hidden.add(t.activations()[l]);
                }
                in = t.units()[l];
            }
            hiddenCounts.add(t.units().length - 1);
            losses.add(t.loss());
        }
        assertTrue(unrolled && tiled && exactlyAtLimit && notMultipleOfFour);
        assertTrue(hiddenCounts.containsAll(List.of(1, 2, 3)), "hidden layer counts " + hiddenCounts);
        assertEquals(EnumSet.complementOf(EnumSet.of(SOFTMAX)), hidden);
        assertEquals(EnumSet.allOf(Loss.class), losses);
    }

    // ---------------------------------------------------------------------------------------
    // The reference itself: its gradient against central differences of its own loss.

    @TestFactory
    Stream<DynamicTest> referenceGradientMatchesFiniteDifferences() {
        return DOUBLE_TOPOLOGIES.stream().map(t -> DynamicTest.dynamicTest(t.toString(), () -> {
            ReferenceMlp ref = t.reference();
            SplittableRandom random = new SplittableRandom(1000 + t.name().hashCode());
            double[] params = uniform(random, ref.parameterCount(), 0.5);
            double[][] x = inputs(random, 3, t.inputSize());
            double[][] y = targets(random, 3, ref.outputSize(), t.targets());
            double[] analytic = ref.gradient(params, x, y);
            double h = 1e-5;
            for (int k = 0; k < params.length; k++) {
                double saved = params[k];
                params[k] = saved + h;
                double plus = ref.loss(params, x, y);
                params[k] = saved - h;
                double minus = ref.loss(params, x, y);
                params[k] = saved;
                double numeric = (plus - minus) / (2 * h);
                double scale = Math.max(1e-3, Math.max(Math.abs(numeric), Math.abs(analytic[k])));
                int index = k;
                assertTrue(Math.abs(numeric - analytic[k]) <= 1e-6 * scale,
                        () -> t.name() + " " + describe(t, index) + ": numeric " + numeric + ", reference "
                                + analytic[index]);
            }
        }));
    }

    /**
     * {@code setGradients} is the inverse of {@code gradients} in the public order, and the update
     * step applies what it was given: a gradient that is 1 at one public index and 0 elsewhere,
     * applied with plain SGD at rate 1, lowers exactly that parameter by 1. (Distributed trainers
     * sum gradients elsewhere and hand them back this way.)
     */
    @TestFactory
    Stream<DynamicTest> setGradientsIsTheInverseOfGradients() {
        return Stream.concat(DOUBLE_TOPOLOGIES.stream(), FLOAT_TOPOLOGIES.stream()).map(t -> DynamicTest.dynamicTest(
                t.toString(), () -> {
                    Model model = newNetwork(t);
                    int p = model.parameterCount();
                    SplittableRandom random = new SplittableRandom(11L);
                    TrainingStep step = model.newTrainingStep(3);
                    for (int s = 0; s < 3; s++) {
                        double[] x = random.doubles(model.inputSize(), -1, 1).toArray();
                        double[] y = new double[model.outputSize()];
                        y[random.nextInt(y.length)] = 1.0;
                        step.load(s, x, 0, y, 0);
                    }
                    step.computeGradients(3);
                    double[] computed = new double[p];
                    step.gradients(computed);

                    Model copy = model.copy();
                    TrainingStep other = copy.newTrainingStep(1);
                    other.setGradients(computed);
                    double[] back = new double[p];
                    other.gradients(back);
                    assertArrayEquals(computed, back, 0.0, "gradients(setGradients(g)) == g");
                    step.applyGradients(0.25);
                    other.applyGradients(0.25);
                    assertArrayEquals(model.parameters(), copy.parameters(), 0.0, "the same update from either step");

                    for (int k : new int[] {0, p / 3, p / 2, p - 1}) {
                        double[] before = copy.parameters();
                        double[] unit = new double[p];
                        unit[k] = 1.0;
                        other.setGradients(unit);
                        other.applyGradients(1.0);
                        double[] after = copy.parameters();
                        for (int i = 0; i < p; i++) {
                            double expected = i == k ? (t.precision() == Precision.FLOAT
                                    ? (double) ((float) before[i] - 1.0f) : before[i] - 1.0) : before[i];
                            assertEquals(expected, after[i], 0.0, "parameter " + i + " after a unit gradient at " + k);
                        }
                    }
                    IllegalArgumentException wrong = org.junit.jupiter.api.Assertions.assertThrows(
                            IllegalArgumentException.class, () -> other.setGradients(new double[p + 1]));
                    assertEquals("gradient array has " + (p + 1) + " elements, expected " + p, wrong.getMessage());
                }));
    }

    // ---------------------------------------------------------------------------------------
    // Hand-checked tiny cases.

    @Test
    void handCheckedSingleLinearUnit() {
        // y_hat = w x + b = 2*3 + 1 = 7; L = (7 - 5)^2 = 4;
        // dL/dw = 2 (7 - 5) 3 = 12; dL/db = 2 (7 - 5) = 4.
        double[] params = {2, 1};
        double[] x = {3};
        double[] y = {5};
        Model model = compiled.newNetwork(HAND_ONE + "Network", 0L);
        assertEquals(2, model.parameterCount());
        model.setParameters(params);
        assertArrayEquals(new double[] {7}, model.predict(x), 0);
        TrainingStep step = model.newTrainingStep(1);
        step.load(0, x, 0, y, 0);
        assertEquals(4, step.computeGradients(1), 0);
        double[] gradient = new double[2];
        step.gradients(gradient);
        assertArrayEquals(new double[] {12, 4}, gradient, 0);
        assertEquals(4, step.loss(1), 0);

        ReferenceMlp ref = new ReferenceMlp(1, new int[] {1}, new Activation[] {LINEAR}, MSE);
        assertArrayEquals(new double[] {7}, ref.predict(params, x), 0);
        assertEquals(4, ref.loss(params, new double[][] {x}, new double[][] {y}), 0);
        assertArrayEquals(new double[] {12, 4}, ref.gradient(params, new double[][] {x}, new double[][] {y}), 0);
    }

    @Test
    void handCheckedBatchMean() {
        // Two samples through w = 2, b = 1: (x=3, y=5) -> 7, error 2; (x=1, y=0) -> 3, error 3.
        // L = (4 + 9) / 2 = 6.5; dL/dw = (2*2*3 + 2*3*1) / 2 = 9; dL/db = (2*2 + 2*3) / 2 = 5.
        double[][] x = {{3}, {1}};
        double[][] y = {{5}, {0}};
        Model model = compiled.newNetwork(HAND_ONE + "Network", 0L);
        model.setParameters(new double[] {2, 1});
        TrainingStep step = model.newTrainingStep(2);
        step.load(0, x[0], 0, y[0], 0);
        step.load(1, x[1], 0, y[1], 0);
        assertEquals(6.5, step.computeGradients(2), 0);
        double[] gradient = new double[2];
        step.gradients(gradient);
        assertArrayEquals(new double[] {9, 5}, gradient, 0);
    }

    @Test
    void handCheckedMeanOverOutputs() {
        // One input, two linear outputs: w = [1, 2], b = [0, 0], x = 1, y = [0, 0] -> [1, 2].
        // MSE is the mean over every output: L = (1 + 4) / 2 = 2.5;
        // dL/dw_j = 2 (a_j - y_j) x / 2 = a_j: [1, 2]; dL/db the same: [1, 2].
        double[] params = {1, 2, 0, 0};
        Model model = compiled.newNetwork(HAND_TWO_OUTPUTS + "Network", 0L);
        model.setParameters(params);
        assertArrayEquals(new double[] {1, 2}, model.predict(new double[] {1}), 0);
        TrainingStep step = model.newTrainingStep(1);
        step.load(0, new double[] {1}, 0, new double[] {0, 0}, 0);
        assertEquals(2.5, step.computeGradients(1), 0);
        double[] gradient = new double[4];
        step.gradients(gradient);
        assertArrayEquals(new double[] {1, 2, 1, 2}, gradient, 0);

        ReferenceMlp ref = new ReferenceMlp(1, new int[] {2}, new Activation[] {LINEAR}, MSE);
        assertEquals(2.5, ref.loss(params, new double[][] {{1}}, new double[][] {{0, 0}}), 0);
        assertArrayEquals(new double[] {1, 2, 1, 2},
                ref.gradient(params, new double[][] {{1}}, new double[][] {{0, 0}}), 0);
    }

    @Test
    void handCheckedMeanAbsoluteErrorIsFlatAtZeroError() {
        // One input, two linear outputs: w = [1, 2], b = [0, 0], x = 1 -> a = [1, 2]; y = [1, 0].
        // L = (|1 - 1| + |2 - 0|) / 2 = 1; dL/da = sign(a - y) / 2 = [0, 0.5] (sign(0) = 0, as
        // torch.sign); dL/dw = dL/da x = [0, 0.5]; dL/db = [0, 0.5].
        double[] params = {1, 2, 0, 0};
        Model model = compiled.newNetwork(HAND_MAE + "Network", 0L);
        model.setParameters(params);
        TrainingStep step = model.newTrainingStep(1);
        step.load(0, new double[] {1}, 0, new double[] {1, 0}, 0);
        assertEquals(1, step.computeGradients(1), 0);
        double[] gradient = new double[4];
        step.gradients(gradient);
        assertArrayEquals(new double[] {0, 0.5, 0, 0.5}, gradient, 0);
        ReferenceMlp ref = new ReferenceMlp(1, new int[] {2}, new Activation[] {LINEAR}, MAE);
        assertArrayEquals(new double[] {0, 0.5, 0, 0.5},
                ref.gradient(params, new double[][] {{1}}, new double[][] {{1, 0}}), 0);
    }

    @Test
    void handCheckedHuberOnBothSidesOfDelta() {
        // a = [1, 2] as above, y = [0.5, -3], delta = 1: errors 0.5 (inside delta) and 5 (outside).
        // L = (0.5^2 / 2 + 1 (5 - 1/2)) / 2 = (0.125 + 4.5) / 2 = 2.3125;
        // dL/da = clamp(e, -1, 1) / 2 = [0.25, 0.5] = dL/dw = dL/db.
        double[] params = {1, 2, 0, 0};
        Model model = compiled.newNetwork(HAND_HUBER + "Network", 0L);
        model.setParameters(params);
        TrainingStep step = model.newTrainingStep(1);
        step.load(0, new double[] {1}, 0, new double[] {0.5, -3}, 0);
        assertEquals(2.3125, step.computeGradients(1), 0);
        double[] gradient = new double[4];
        step.gradients(gradient);
        assertArrayEquals(new double[] {0.25, 0.5, 0.25, 0.5}, gradient, 0);
        ReferenceMlp ref = new ReferenceMlp(1, new int[] {2}, new Activation[] {LINEAR}, HUBER);
        assertEquals(2.3125, ref.loss(params, new double[][] {{1}}, new double[][] {{0.5, -3}}), 0);
    }

    // ---------------------------------------------------------------------------------------
    // Generated networks against the reference.

    @TestFactory
    Stream<DynamicTest> doubleNetworksAgreeWithReference() {
        return DOUBLE_TOPOLOGIES.stream().map(t -> DynamicTest.dynamicTest(t.toString(), () -> agree(t)));
    }

    @TestFactory
    Stream<DynamicTest> floatNetworksAgreeWithReference() {
        return FLOAT_TOPOLOGIES.stream().map(t -> DynamicTest.dynamicTest(t.toString(), () -> agree(t)));
    }

    private void agree(Topology t) {
        boolean isFloat = t.precision() == Precision.FLOAT;
        double valueTolerance = isFloat ? 1e-5 : 1e-12;
        double gradientTolerance = isFloat ? 1e-4 : 1e-9;
        ReferenceMlp ref = t.reference();
        Model model = newNetwork(t);
        assertEquals(t.precision(), model.precision(), t.name());
        assertEquals(t.loss(), model.loss(), t.name());
        assertEquals(t.inputSize(), model.inputSize(), t.name());
        assertEquals(ref.outputSize(), model.outputSize(), t.name());
        assertEquals(ref.parameterCount(), model.parameterCount(), t.name());

        List<String> failures = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(t.name().hashCode());
        TrainingStep shared = model.newTrainingStep(9);
        int[] sharedOrder = {9, 3, 1}; // largest first, so stale rows or gradients would show
        for (int round = 0; round < BATCH_SIZES.length; round++) {
            int batch = sharedOrder[round];
            double[] drawn = uniform(random, ref.parameterCount(), 0.5);
            model.setParameters(drawn);
            double[] params = model.parameters();
            if (!isFloat) {
                assertArrayEquals(drawn, params, 0, t.name() + ": parameters() must return setParameters()'s values");
            } else {
                for (int k = 0; k < drawn.length; k++) {
                    assertEquals((float) drawn[k], (float) params[k], t.name() + ": parameter " + k);
                }
            }
            double[][] x = inputs(random, batch, t.inputSize());
            double[][] y = targets(random, batch, ref.outputSize(), t.targets());
            if (isFloat) {
                roundToFloat(x);
                roundToFloat(y);
            }
            String where = t.name() + " batch " + batch;

            // predictions
            for (int s = 0; s < batch; s++) {
                compare(failures, where + " predict sample " + s, ref.predict(params, x[s]), model.predict(x[s]),
                        valueTolerance, 1);
            }

            double expectedLoss = ref.loss(params, x, y);
            double[] expectedGradient = ref.gradient(params, x, y);
            double gradientFloor = isFloat ? Math.max(1e-30, maxAbs(expectedGradient)) : 1;

            for (TrainingStep step : List.of(model.newTrainingStep(batch), shared)) {
                String which = where + (step == shared ? " (shared step of 9)" : " (step of " + batch + ")");
                for (int s = 0; s < batch; s++) {
                    step.load(s, x[s], 0, y[s], 0);
                }
                compare(failures, which + " loss(n)", expectedLoss, step.loss(batch), valueTolerance, 1);
                double lossFromGradients = step.computeGradients(batch);
                compare(failures, which + " computeGradients(n) loss", expectedLoss, lossFromGradients,
                        valueTolerance, 1);
                double[] gradient = new double[ref.parameterCount()];
                step.gradients(gradient);
                for (int k = 0; k < gradient.length; k++) {
                    compare(failures, which + " gradient of " + describe(t, k), expectedGradient[k], gradient[k],
                            gradientTolerance, gradientFloor);
                }
                double[] out = new double[ref.outputSize()];
                for (int s = 0; s < batch; s++) {
                    step.output(s, out);
                    compare(failures, which + " output(" + s + ")", ref.predict(params, x[s]), out, valueTolerance,
                            1);
                }
            }
        }
        if (!failures.isEmpty()) {
            fail(t + ": " + failures.size() + " disagreement(s) with the reference, the first ones:\n"
                    + String.join("\n", failures.subList(0, Math.min(25, failures.size()))));
        }
    }

    private static Model newNetwork(Topology t) {
        if (!expectsWarning(t)) {
            return compiled.newNetwork(t.qualifiedNetwork(), 0L);
        }
        return warnedAbout.newNetwork(t.qualifiedNetwork(), 0L);
    }

    private static void compare(List<String> failures, String what, double[] expected, double[] actual,
            double tolerance, double floor) {
        if (expected.length != actual.length) {
            failures.add(what + ": length " + actual.length + ", expected " + expected.length);
            return;
        }
        for (int j = 0; j < expected.length; j++) {
            compare(failures, what + "[" + j + "]", expected[j], actual[j], tolerance, floor);
        }
    }

    /** Records a failure unless {@code |a - b| <= tolerance * max(floor, |a|, |b|)}. */
    private static void compare(List<String> failures, String what, double expected, double actual,
            double tolerance, double floor) {
        double scale = Math.max(floor, Math.max(Math.abs(expected), Math.abs(actual)));
        double difference = Math.abs(expected - actual);
        if (!(difference <= tolerance * scale)) {
            failures.add(String.format(Locale.ROOT, "%s: generated %.17g, reference %.17g (difference %.3g, relative %.3g)",
                    what, actual, expected, difference, difference / scale));
        }
    }

    /** Names a parameter of the public order: layer, weight [out][in] or bias. */
    private static String describe(Topology t, int index) {
        int in = t.inputSize();
        int offset = 0;
        for (int l = 0; l < t.units().length; l++) {
            int units = t.units()[l];
            if (index < offset + units * in) {
                int k = index - offset;
                return "layer" + l + " weight[" + (k / in) + "][" + (k % in) + "] (#" + index + ")";
            }
            offset += units * in;
            if (index < offset + units) {
                return "layer" + l + " bias[" + (index - offset) + "] (#" + index + ")";
            }
            offset += units;
            in = units;
        }
        return "#" + index;
    }

    // ---------------------------------------------------------------------------------------
    // Data.

    static double[] uniform(SplittableRandom random, int n, double bound) {
        double[] values = new double[n];
        for (int k = 0; k < n; k++) {
            values[k] = random.nextDouble(-bound, bound);
        }
        return values;
    }

    static double[][] inputs(SplittableRandom random, int batch, int size) {
        double[][] x = new double[batch][];
        for (int s = 0; s < batch; s++) {
            x[s] = uniform(random, size, 1.0);
        }
        return x;
    }

    static double[][] targets(SplittableRandom random, int batch, int size, Targets kind) {
        double[][] y = new double[batch][size];
        for (int s = 0; s < batch; s++) {
            switch (kind) {
                case REAL -> y[s] = uniform(random, size, 1.0);
                case BINARY -> {
                    for (int j = 0; j < size; j++) {
                        y[s][j] = random.nextInt(3) == 0 ? random.nextInt(2) : random.nextDouble();
                    }
                }
                case ONE_HOT -> y[s][random.nextInt(size)] = 1;
                case PROBABILITY_ROWS -> {
                    double sum = 0;
                    for (int j = 0; j < size; j++) {
                        y[s][j] = random.nextDouble(0.05, 1.0);
                        sum += y[s][j];
                    }
                    for (int j = 0; j < size; j++) {
                        y[s][j] /= sum;
                    }
                }
            }
        }
        return y;
    }

    private static void roundToFloat(double[][] rows) {
        for (double[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) row[j];
            }
        }
    }

    private static double maxAbs(double[] values) {
        return Arrays.stream(values).map(Math::abs).max().orElse(0);
    }
}
