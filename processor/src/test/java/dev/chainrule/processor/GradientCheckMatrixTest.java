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
 * Central finite differences against the generated backward pass, for every hidden activation
 * x every valid (loss, output activation) x precision, on two topologies that between them use
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

    static final Activation[] HIDDEN = {
        Activation.LINEAR, Activation.SIGMOID, Activation.TANH, Activation.RELU, Activation.LEAKY_RELU
    };

    /** Input 6 -> 11 (tiled, first) -> 7 (tiled, input gradient, remainders) -> 3 (unrolled) -> out (unrolled). */
    static final int[] DEEP = {11, 7, 3};

    /** Input 3 -> 4 (unrolled, first) -> out 20 (tiled output layer with an input gradient). */
    static final int[] WIDE_OUTPUT = {4};

    record Case(String name, Loss loss, Precision precision, Activation hidden, Activation output, int input,
            int[] hiddenUnits, int outputs) {}

    static List<Case> cases = new ArrayList<>();
    static CompiledNetworks compiled;

    @BeforeAll
    static void compileEverySpec() {
        Map<String, String> sources = new LinkedHashMap<>();
        for (Precision precision : Precision.values()) {
            for (Activation hidden : HIDDEN) {
                List<Object[]> heads = new ArrayList<>();
                heads.add(new Object[] {Loss.CATEGORICAL_CROSS_ENTROPY, Activation.SOFTMAX});
                heads.add(new Object[] {Loss.BINARY_CROSS_ENTROPY, Activation.SIGMOID});
                for (Activation output : HIDDEN) {
                    heads.add(new Object[] {Loss.MEAN_SQUARED_ERROR, output});
                }
                for (Object[] head : heads) {
                    Loss loss = (Loss) head[0];
                    Activation output = (Activation) head[1];
                    add(sources, new Case("", loss, precision, hidden, output, 6, DEEP, 5));
                    add(sources, new Case("", loss, precision, hidden, output, 3, WIDE_OUTPUT, 20));
                }
            }
        }
        compiled = CompiledNetworks.compile(sources);
    }

    private static void add(Map<String, String> sources, Case template) {
        String name = String.format(Locale.ROOT, "G%s%s%s%s%d", template.precision().name().charAt(0),
                camel(template.loss().name()), camel(template.hidden().name()), camel(template.output().name()),
                template.hiddenUnits().length);
        int[] units = new int[template.hiddenUnits().length + 1];
        Activation[] activations = new Activation[units.length];
        for (int l = 0; l < template.hiddenUnits().length; l++) {
            units[l] = template.hiddenUnits()[l];
            activations[l] = template.hidden();
        }
        units[units.length - 1] = template.outputs();
        activations[units.length - 1] = template.output();
        sources.put("gradcheck." + name, Specs.source("gradcheck", name, template.loss(), template.precision(),
                template.input(), units, activations));
        cases.add(new Case(name, template.loss(), template.precision(), template.hidden(), template.output(),
                template.input(), template.hiddenUnits(), template.outputs()));
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
                // Random biases too: with the initial zero biases, a sample whose previous layer
                // is all dead ReLUs has z exactly 0, on the kink, where differences are wrong.
                double[] theta = new double[net.parameterCount()];
                for (int k = 0; k < theta.length; k++) {
                    theta[k] = random.nextDouble(-0.8, 0.8);
                }
                net.setParameters(theta);
                int batch = 7;
                double[][] x = new double[batch][c.input()];
                double[][] y = new double[batch][c.outputs()];
                for (int s = 0; s < batch; s++) {
                    for (int i = 0; i < c.input(); i++) {
                        x[s][i] = random.nextDouble(-1.5, 1.5);
                    }
                    fillTargets(y[s], c.loss(), random);
                }
                GradientCheck.Report report = GradientCheck.check(net, x, y);
                if (c.precision() == Precision.DOUBLE) {
                    assertTrue(report.maxRelativeError() < DOUBLE_BOUND, c.name() + ": " + report);
                    return;
                }
                if (!kinked(c)) {
                    // A float step of 1e-2 crosses ReLU kinks too often to say anything there.
                    assertTrue(report.maxScaledError() < FLOAT_BOUND, c.name() + ": " + report);
                }
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

    private static boolean kinked(Case c) {
        return c.hidden() == Activation.RELU || c.hidden() == Activation.LEAKY_RELU
                || c.output() == Activation.RELU || c.output() == Activation.LEAKY_RELU;
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

    private static void fillTargets(double[] y, Loss loss, SplittableRandom random) {
        switch (loss) {
            case CATEGORICAL_CROSS_ENTROPY -> y[random.nextInt(y.length)] = 1.0;
            case BINARY_CROSS_ENTROPY -> {
                for (int j = 0; j < y.length; j++) {
                    y[j] = random.nextInt(2);
                }
            }
            case MEAN_SQUARED_ERROR -> {
                for (int j = 0; j < y.length; j++) {
                    y[j] = random.nextDouble(-1, 1);
                }
            }
        }
    }
}
