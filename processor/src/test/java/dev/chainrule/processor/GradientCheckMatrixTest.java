package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Activation;
import dev.chainrule.Loss;
import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.check.GradientCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Central finite differences against the generated backward pass, in both precisions: the
 * seed's activations as hidden layers x every valid (loss, output activation) over them; each
 * newer activation (ELU, SELU, SOFTPLUS, SILU, GELU) as the hidden layers under each kind of
 * head and as an MSE output; and activation parameters away from their defaults. All on two
 * topologies that between them use
 * every kernel shape: unrolled and tiled layers, tiled layers with and without an input
 * gradient, sizes that are not multiples of the tile, and a batch with a partial tile.
 */
class GradientCheckMatrixTest {

    /** DOUBLE: the bound the issue sets. */
    static final double DOUBLE_BOUND = 1e-6;

    /**
     * FLOAT: the loss itself is only accurate to about 1e-7 relative, so the smallest gradients
     * cannot be resolved by differences; FLOAT networks are held to this bound on the largest
     * difference relative to the largest gradient ({@code Report.maxScaledError}).
     */
    static final double FLOAT_BOUND = 2e-2;

    /** FLOAT against DOUBLE kernels: max |difference| / max |gradient|, float rounding only. */
    static final double TWIN_BOUND = 1e-4;

    /** The activations of the seed, checked against every head. */
    static final Activation[] HIDDEN = {
        Activation.LINEAR, Activation.SIGMOID, Activation.TANH, Activation.RELU, Activation.LEAKY_RELU
    };

    /** Activations added later: each against the three kinds of head, and as an MSE output. */
    static final Activation[] NEWER = {
        Activation.ELU, Activation.SELU, Activation.SOFTPLUS, Activation.SILU, Activation.GELU
    };

    /** Input 6 -> 11 (tiled, first) -> 7 (tiled, input gradient, remainders) -> 3 (unrolled) -> out (unrolled). */
    static final int[] DEEP = {11, 7, 3};

    /** Input 3 -> 4 (unrolled, first) -> out 20 (tiled output layer with an input gradient). */
    static final int[] WIDE_OUTPUT = {4};

    /**
     * Input 4 -> 16 (unrolled, its sums and gradient in loops over its units) -> 4 (unrolled and
     * stored by unit, {@code LayerPlan.unitMajor}: its gradient and input gradient in loops over
     * its 16 inputs) -> out 3 (unrolled, written out): the loop forms of small layers
     * ({@code NetworkPlanner.UNIT_LOOP_MIN_UNITS}).
     */
    static final int[] UNROLLED_LOOPS = {16, 4};

    /**
     * One spec of the matrix. {@code hiddenAlpha} is the {@code @Dense(alpha)} of the hidden
     * layers (NaN: not given).
     */
    record Case(String name, Loss loss, Precision precision, Activation hidden, double hiddenAlpha,
            Activation output, int input, int[] hiddenUnits, int outputs, double huberDelta) {}

    static List<Case> cases = new ArrayList<>();
    static CompiledNetworks compiled;

    @BeforeAll
    static void compileEverySpec() {
        Map<String, String> sources = new LinkedHashMap<>();
        for (Precision precision : Precision.values()) {
            List<Object[]> combinations = new ArrayList<>();
            for (Activation hidden : HIDDEN) {
                for (Object[] head : heads(HIDDEN)) {
                    combinations.add(new Object[] {hidden, Double.NaN, head[0], head[1]});
                }
            }
            for (Activation hidden : NEWER) {
                for (Object[] head : heads(new Activation[] {Activation.LINEAR})) {
                    combinations.add(new Object[] {hidden, Double.NaN, head[0], head[1]});
                }
                combinations.add(new Object[] {Activation.TANH, Double.NaN, Loss.MEAN_SQUARED_ERROR, hidden});
            }
            // The activations' parameters away from their defaults.
            combinations.add(new Object[] {Activation.LEAKY_RELU, 0.2, Loss.CATEGORICAL_CROSS_ENTROPY, Activation.SOFTMAX});
            combinations.add(new Object[] {Activation.ELU, 0.5, Loss.CATEGORICAL_CROSS_ENTROPY, Activation.SOFTMAX});
            combinations.add(new Object[] {Activation.ELU, 1.7, Loss.MEAN_SQUARED_ERROR, Activation.LINEAR});
            // The regression losses with kinks, on either side of them (see fillTargets).
            for (Activation hidden : new Activation[] {Activation.TANH, Activation.LEAKY_RELU}) {
                for (Loss loss : new Loss[] {Loss.MEAN_ABSOLUTE_ERROR, Loss.HUBER}) {
                    for (Activation output : new Activation[] {Activation.LINEAR, Activation.SIGMOID}) {
                        combinations.add(new Object[] {hidden, Double.NaN, loss, output});
                    }
                }
            }
            combinations.add(new Object[] {Activation.TANH, Double.NaN, Loss.HUBER, Activation.LINEAR, 0.5});
            for (Object[] c : combinations) {
                Activation hidden = (Activation) c[0];
                double alpha = (Double) c[1];
                Loss loss = (Loss) c[2];
                Activation output = (Activation) c[3];
                double delta = c.length > 4 ? (Double) c[4] : Double.NaN;
                add(sources, new Case("", loss, precision, hidden, alpha, output, 6, DEEP, 5, delta));
                add(sources, new Case("", loss, precision, hidden, alpha, output, 3, WIDE_OUTPUT, 20, delta));
                add(sources, new Case("", loss, precision, hidden, alpha, output, 4, UNROLLED_LOOPS, 3, delta));
            }
        }
        compiled = CompiledNetworks.compile(sources);
    }

    /** Softmax with CCE, sigmoid with BCE, and MSE with each of {@code mseOutputs}. */
    private static List<Object[]> heads(Activation[] mseOutputs) {
        List<Object[]> heads = new ArrayList<>();
        heads.add(new Object[] {Loss.CATEGORICAL_CROSS_ENTROPY, Activation.SOFTMAX});
        heads.add(new Object[] {Loss.BINARY_CROSS_ENTROPY, Activation.SIGMOID});
        for (Activation output : mseOutputs) {
            heads.add(new Object[] {Loss.MEAN_SQUARED_ERROR, output});
        }
        return heads;
    }

    private static void add(Map<String, String> sources, Case template) {
        String alphaTag = Double.isNaN(template.hiddenAlpha()) ? ""
                : "Alpha" + Math.round(template.hiddenAlpha() * 10);
        String deltaTag = Double.isNaN(template.huberDelta()) ? "" : "Delta" + Math.round(template.huberDelta() * 10);
        String name = String.format(Locale.ROOT, "G%s%s%s%s%s%s%d", template.precision().name().charAt(0),
                camel(template.loss().name()), deltaTag, camel(template.hidden().name()), alphaTag,
                camel(template.output().name()), template.hiddenUnits().length);
        List<String> layers = new ArrayList<>();
        String alpha = Double.isNaN(template.hiddenAlpha()) ? "" : ", alpha = " + template.hiddenAlpha();
        for (int l = 0; l < template.hiddenUnits().length; l++) {
            layers.add("units = " + template.hiddenUnits()[l] + ", activation = Activation." + template.hidden() + alpha);
        }
        layers.add("units = " + template.outputs() + ", activation = Activation." + template.output());
        String delta = Double.isNaN(template.huberDelta()) ? "" : ", huberDelta = " + template.huberDelta();
        sources.put("gradcheck." + name, Specs.source("gradcheck", name, "loss = Loss." + template.loss()
                + ", precision = Precision." + template.precision() + delta, template.input(), layers));
        cases.add(new Case(name, template.loss(), template.precision(), template.hidden(), template.hiddenAlpha(),
                template.output(), template.input(), template.hiddenUnits(), template.outputs(), template.huberDelta()));
    }

    private static String camel(String constant) {
        StringBuilder s = new StringBuilder();
        for (String part : constant.toLowerCase(Locale.ROOT).split("_")) {
            s.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return s.toString();
    }

    @TestFactory
    List<DynamicTest> everyCombinationPassesTheGradientCheck() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> {
                Model net = compiled.newNetwork("gradcheck." + c.name() + "Network", 11L);
                SplittableRandom random = new SplittableRandom(c.name().hashCode());
                int batch = 7;
                double[][] x = new double[batch][c.input()];
                double[][] y = new double[batch][c.outputs()];
                ReferenceMlp reference = reference(c);
                // the layers whose activation has a kink, and how far from it each z must be
                int kinkedLayers = c.hiddenUnits().length + (kinked(c.output(), Double.NaN) ? 1 : 0);
                double margin = c.precision() == Precision.FLOAT ? FLOAT_KINK_MARGIN : KINK_MARGIN;
                double[] theta = new double[net.parameterCount()];
                boolean clear = false;
                // A unit whose z hardly varies (its inputs all dead ReLUs, say) and whose bias is
                // near 0 stays near its kink for every input: then draw other parameters.
                for (int draw = 0; draw < 50 && !clear; draw++) {
                    // Random biases too: with the initial zero biases, a sample whose previous layer
                    // is all dead ReLUs has z exactly 0, on the kink, where differences are wrong.
                    for (int k = 0; k < theta.length; k++) {
                        theta[k] = random.nextDouble(-0.8, 0.8);
                    }
                    clear = true;
                    for (int s = 0; s < batch && clear; s++) {
                        // Away from kinks: a pre-activation within the differences' reach of a kink
                        // (z = 0 of a ReLU, ELU or SELU) makes them average two slopes.
                        int attempts = 0;
                        do {
                            if (++attempts > 1000) {
                                clear = false;
                                break;
                            }
                            for (int i = 0; i < c.input(); i++) {
                                x[s][i] = random.nextDouble(-1.5, 1.5);
                            }
                        } while (kinked(c) && nearKink(reference.preActivations(theta, x[s]), kinkedLayers, margin));
                        if (clear) {
                            fillTargets(y[s], reference.predict(theta, x[s]), c, random);
                        }
                    }
                }
                assertTrue(clear, c.name() + ": found no parameters and inputs " + margin + " away from every kink");
                net.setParameters(theta);
                GradientCheck.Report report = GradientCheck.check(net, x, y);
                if (c.precision() == Precision.DOUBLE) {
                    assertTrue(report.maxRelativeError() < DOUBLE_BOUND, c.name() + ": " + report);
                    return;
                }
                // With every z at least FLOAT_KINK_MARGIN from a kink, the float step of 1e-2
                // crosses none, so kinked activations (SELU, the ReLUs, ELU with alpha != 1) are
                // checked by differences in FLOAT too.
                assertTrue(report.maxScaledError() < FLOAT_BOUND, c.name() + ": " + report);
                // The FLOAT kernels against their DOUBLE twin, whose gradient passed the check above.
                Model twin = compiled.newNetwork("gradcheck.GD" + c.name().substring(2) + "Network", 11L);
                twin.setParameters(net.parameters());
                double[] floatGradient = gradient(net, x, y);
                double[] doubleGradient = gradient(twin, x, y);
                double largest = 0;
                double difference = 0;
                for (int k = 0; k < floatGradient.length; k++) {
                    largest = Math.max(largest, Math.abs(doubleGradient[k]));
                    difference = Math.max(difference, Math.abs(floatGradient[k] - doubleGradient[k]));
                }
                assertTrue(difference / largest < TWIN_BOUND,
                        c.name() + ": float gradient differs from double by " + difference / largest);
            }));
        }
        return tests;
    }

    /** The minimum distance of a hidden pre-activation from 0 that the differences must not cross. */
    static final double KINK_MARGIN = 1e-3;

    /**
     * The same for FLOAT networks, whose differences take the step {@link GradientCheck#FLOAT_STEP}:
     * one parameter moved by 1e-2 moves a z by 1e-2 times the activation it multiplies (rarely
     * above 5 in magnitude here), and later layers' z by less.
     */
    static final double FLOAT_KINK_MARGIN = 0.1;

    private static boolean nearKink(double[][] z, int layers, double margin) {
        for (int l = 0; l < layers; l++) {
            for (double v : z[l]) {
                if (Math.abs(v) < margin) {
                    return true;
                }
            }
        }
        return false;
    }

    private static ReferenceMlp reference(Case c) {
        int layers = c.hiddenUnits().length + 1;
        int[] units = new int[layers];
        Activation[] activations = new Activation[layers];
        double[] alphas = new double[layers];
        for (int l = 0; l < layers - 1; l++) {
            units[l] = c.hiddenUnits()[l];
            activations[l] = c.hidden();
            alphas[l] = c.hiddenAlpha();
        }
        units[layers - 1] = c.outputs();
        activations[layers - 1] = c.output();
        alphas[layers - 1] = Double.NaN;
        return new ReferenceMlp(c.input(), units, activations, alphas, c.loss(),
                Double.isNaN(c.huberDelta()) ? 1.0 : c.huberDelta());
    }

    /**
     * Activations whose derivative jumps at 0: the ReLUs, SELU, and ELU unless its alpha is 1
     * (its derivative is alpha just below 0 and 1 above).
     */
    private static boolean kinked(Case c) {
        return kinked(c.hidden(), c.hiddenAlpha()) || kinked(c.output(), Double.NaN);
    }

    private static boolean kinked(Activation activation, double alpha) {
        return switch (activation) {
            case RELU, LEAKY_RELU, SELU -> true;
            case ELU -> !Double.isNaN(alpha) && alpha != 1.0;
            default -> false;
        };
    }

    private static double[] gradient(Model net, double[][] x, double[][] y) {
        dev.chainrule.TrainingStep step = net.newTrainingStep(x.length);
        for (int s = 0; s < x.length; s++) {
            step.load(s, x[s], 0, y[s], 0);
        }
        step.computeGradients(x.length);
        double[] gradient = new double[net.parameterCount()];
        step.gradients(gradient);
        return gradient;
    }

    /**
     * Targets of the loss's kind. For MAE and HUBER, relative to the network's output {@code a}
     * so that no error {@code a - y} is near a kink of the loss: at least 0.3 from 0 for MAE; for
     * HUBER at most 0.6 delta (the squared part) or at least 1.4 delta (the absolute part), half
     * of the outputs each. The finite differences move an output by far less.
     */
    private static void fillTargets(double[] y, double[] a, Case c, SplittableRandom random) {
        double delta = Double.isNaN(c.huberDelta()) ? 1.0 : c.huberDelta();
        switch (c.loss()) {
            case MEAN_ABSOLUTE_ERROR -> {
                for (int j = 0; j < y.length; j++) {
                    y[j] = a[j] + (random.nextBoolean() ? 1 : -1) * random.nextDouble(0.3, 1.0);
                }
            }
            case HUBER -> {
                for (int j = 0; j < y.length; j++) {
                    double error = random.nextBoolean()
                            ? random.nextDouble(0.0, 0.6 * delta)
                            : random.nextDouble(1.4 * delta, 3 * delta);
                    y[j] = a[j] + (random.nextBoolean() ? 1 : -1) * error;
                }
            }
            default -> fillTargets(y, c.loss(), random);
        }
    }

    private static void fillTargets(double[] y, Loss loss, SplittableRandom random) {
        switch (loss) {
            case CATEGORICAL_CROSS_ENTROPY -> y[random.nextInt(y.length)] = 1.0;
            case BINARY_CROSS_ENTROPY -> {
                for (int j = 0; j < y.length; j++) {
                    y[j] = random.nextInt(2);
                }
            }
            default -> {
                for (int j = 0; j < y.length; j++) {
                    y[j] = random.nextDouble(-1, 1);
                }
            }
        }
    }
}
