package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chainrule.Model;
import dev.chainrule.Optimizer;
import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import dev.chainrule.UpdateSettings;
import dev.chainrule.data.Dataset;
import dev.chainrule.train.Trainer;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every optimizer of {@code @Network(optimizer)} against its published update rule (PyTorch's
 * {@code torch.optim} formulas, written out plainly in double below), step by step on a small
 * network; and the update rule's state: its layout, restoring, resetting, defaults.
 */
class OptimizerTest {

    static CompiledNetworks compiled;

    /**
     * 3 inputs -> 9 tanh -> 2 linear, MSE, both unrolled: the first loops over its units with
     * {@code [input][unit]} weights, the second is stored {@code [unit][input]}
     * ({@code LayerPlan.unitMajor}), so the update rules and their state run on rows of both
     * layouts.
     */
    static String spec(String name, Optimizer optimizer, Precision precision) {
        return Specs.source("opt", name, "loss = Loss.MEAN_SQUARED_ERROR, precision = Precision." + precision
                + ", optimizer = Optimizer." + optimizer, 3, List.of(
                        "units = 9, activation = Activation.TANH", "units = 2"));
    }

    static String name(Optimizer optimizer, Precision precision) {
        return optimizer.name().charAt(0) + optimizer.name().substring(1).toLowerCase(Locale.ROOT)
                + precision.name().charAt(0);
    }

    @BeforeAll
    static void compile() {
        Map<String, String> sources = new LinkedHashMap<>();
        for (Optimizer optimizer : Optimizer.values()) {
            for (Precision precision : Precision.values()) {
                String name = name(optimizer, precision);
                sources.put("opt." + name, spec(name, optimizer, precision));
            }
        }
        compiled = CompiledNetworks.compile(sources);
    }

    static Model network(Optimizer optimizer, Precision precision) {
        return compiled.newNetwork("opt." + name(optimizer, precision) + "Network", 5L);
    }

    /** Settings away from the defaults, so that each one is seen to be used. */
    static final UpdateSettings SETTINGS = UpdateSettings.defaults(Optimizer.SGD)
            .withMomentum(0.8).withBetas(0.8, 0.95).withEpsilon(1e-4).withRmspropAlpha(0.9).withWeightDecay(0.05)
            .withRpropEtas(0.4, 1.5).withRpropStepSizes(0.01, 0.1);

    static double learningRate(Optimizer optimizer, int step) {
        double base = switch (optimizer) {
            case RMSPROP -> 0.01;
            case ADAM, ADAMW -> 0.05;
            case RPROP -> 0.05;
            default -> 0.1;
        };
        return base * (1 + 0.1 * step); // changes every step: Adam reads it each time, Rprop only at first
    }

    /** The published rule, in plain double arithmetic, for one parameter vector. */
    static final class Reference {
        final Optimizer optimizer;
        final UpdateSettings s;
        final double[][] state;
        long t;
        int flips;
        int clamps;

        Reference(Optimizer optimizer, UpdateSettings settings, int parameters) {
            this.optimizer = optimizer;
            this.s = settings;
            this.state = new double[optimizer.stateNames().size()][parameters];
        }

        void step(double[] theta, double[] gradient, double lr) {
            t++;
            for (int k = 0; k < theta.length; k++) {
                double g = gradient[k];
                if (optimizer != Optimizer.ADAMW) {
                    g += s.weightDecay() * theta[k];
                }
                switch (optimizer) {
                    case SGD -> theta[k] -= lr * g;
                    case MOMENTUM -> {
                        state[0][k] = s.momentum() * state[0][k] + g;
                        theta[k] -= lr * state[0][k];
                    }
                    case NESTEROV -> {
                        state[0][k] = s.momentum() * state[0][k] + g;
                        theta[k] -= lr * (g + s.momentum() * state[0][k]);
                    }
                    case RMSPROP -> {
                        state[0][k] = s.rmspropAlpha() * state[0][k] + (1 - s.rmspropAlpha()) * g * g;
                        theta[k] -= lr * g / (Math.sqrt(state[0][k]) + s.epsilon());
                    }
                    case ADAM, ADAMW -> {
                        if (optimizer == Optimizer.ADAMW) {
                            theta[k] *= 1 - lr * s.weightDecay();
                        }
                        state[0][k] = s.beta1() * state[0][k] + (1 - s.beta1()) * g;
                        state[1][k] = s.beta2() * state[1][k] + (1 - s.beta2()) * g * g;
                        double mHat = state[0][k] / (1 - Math.pow(s.beta1(), t));
                        double vHat = state[1][k] / (1 - Math.pow(s.beta2(), t));
                        theta[k] -= lr * mHat / (Math.sqrt(vHat) + s.epsilon());
                    }
                    case RPROP -> {
                        if (t == 1) {
                            state[1][k] = lr;
                        }
                        double sign = Math.signum(g) * Math.signum(state[0][k]);
                        double factor = sign > 0 ? s.rpropEtaPlus() : sign < 0 ? s.rpropEtaMinus() : 1;
                        double size = state[1][k] * factor;
                        double clamped = Math.min(Math.max(size, s.rpropStepMin()), s.rpropStepMax());
                        clamps += clamped != size ? 1 : 0;
                        state[1][k] = clamped;
                        if (sign < 0) {
                            g = 0;
                            flips++;
                        }
                        theta[k] -= Math.signum(g) * state[1][k];
                        state[0][k] = g;
                    }
                }
            }
        }

        /** In the layout of {@code Model.optimizerState()}. */
        double[] flat() {
            if (state.length == 0) {
                return new double[0];
            }
            double[] flat = new double[1 + state.length * state[0].length];
            flat[0] = t;
            for (int a = 0; a < state.length; a++) {
                System.arraycopy(state[a], 0, flat, 1 + a * state[0].length, state[0].length);
            }
            return flat;
        }
    }

    static final double[][] X = {{0.5, -1.0, 0.25}, {-0.3, 0.8, 1.2}, {1.1, 0.1, -0.7}};
    static final double[][] Y = {{1.0, -0.5}, {0.2, 0.4}, {-0.8, 1.5}};

    static TrainingStep loaded(Model net) {
        TrainingStep step = net.newTrainingStep(X.length);
        for (int s = 0; s < X.length; s++) {
            step.load(s, X[s], 0, Y[s], 0);
        }
        return step;
    }

    @TestFactory
    List<DynamicTest> everyOptimizerFollowsItsPublishedRule() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Optimizer optimizer : Optimizer.values()) {
            for (Precision precision : Precision.values()) {
                tests.add(DynamicTest.dynamicTest(optimizer + " " + precision, () -> {
                    Model net = network(optimizer, precision);
                    TrainingStep step = loaded(net);
                    step.setUpdateSettings(SETTINGS);
                    Reference reference = new Reference(optimizer, SETTINGS, net.parameterCount());
                    double tolerance = precision == Precision.DOUBLE ? 1e-12 : 2e-6;
                    for (int k = 0; k < 6; k++) {
                        double[] theta = net.parameters();
                        step.computeGradients(X.length);
                        double[] gradient = new double[net.parameterCount()];
                        step.gradients(gradient);
                        double lr = learningRate(optimizer, k);
                        reference.step(theta, gradient, lr);
                        step.applyGradients(lr);
                        close(theta, net.parameters(), tolerance, optimizer + " parameters after step " + (k + 1));
                        close(reference.flat(), net.optimizerState(), tolerance,
                                optimizer + " state after step " + (k + 1));
                        // continue the reference from the network's exact values, so float rounding cannot add up
                        double[] actual = net.optimizerState();
                        for (int a = 0; a < reference.state.length; a++) {
                            System.arraycopy(actual, 1 + a * net.parameterCount(), reference.state[a], 0,
                                    net.parameterCount());
                        }
                    }
                    if (optimizer == Optimizer.RPROP) {
                        assertTrue(reference.flips > 0 && reference.clamps > 0,
                                "the run exercises sign flips (" + reference.flips + ") and clamping ("
                                        + reference.clamps + ")");
                    }
                }));
            }
        }
        return tests;
    }

    static void close(double[] expected, double[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int k = 0; k < expected.length; k++) {
            double scale = Math.max(1.0, Math.abs(expected[k]));
            if (!(Math.abs(expected[k] - actual[k]) <= tolerance * scale)) {
                fail(String.format(Locale.ROOT, "%s, value %d: expected %.17g, got %.17g", what, k, expected[k],
                        actual[k]));
            }
        }
    }

    @Test
    void adamsFirstStepMovesEveryParameterByTheLearningRate() {
        // m = (1 - b1) g, v = (1 - b2) g^2, so m / (1 - b1) / sqrt(v / (1 - b2)) = sign(g): the first
        // Adam step is lr sign(g), up to epsilon.
        Model net = network(Optimizer.ADAM, Precision.DOUBLE);
        TrainingStep step = loaded(net);
        double[] before = net.parameters();
        step.computeGradients(X.length);
        double[] gradient = new double[net.parameterCount()];
        step.gradients(gradient);
        step.applyGradients(0.01);
        double[] after = net.parameters();
        for (int k = 0; k < before.length; k++) {
            double g = gradient[k];
            double expected = -0.01 * g / (Math.abs(g) + 1e-8);
            assertEquals(expected, after[k] - before[k], 1e-15, "parameter " + k);
        }
    }

    @Test
    void theDefaultsArePyTorchs() {
        // torch.optim: SGD momentum (0.9 here, see UpdateSettings), Adam betas (0.9, 0.999), eps 1e-8,
        // RMSprop alpha 0.99, weight decay 0 (AdamW 1e-2), Rprop etas (0.5, 1.2), step sizes (1e-6, 50)
        for (Optimizer optimizer : Optimizer.values()) {
            assertEquals(new UpdateSettings(0.9, 0.9, 0.999, 1e-8, 0.99, optimizer == Optimizer.ADAMW ? 0.01 : 0.0,
                    0.5, 1.2, 1e-6, 50.0), UpdateSettings.defaults(optimizer), optimizer.name());
        }
    }

    /**
     * iRprop- with the default settings, step by step: every step size starts at the learning
     * rate; where the gradient keeps its sign it grows by 1.2; where it flips, it shrinks by 0.5,
     * that gradient counts as 0 (the parameter does not move, {@code prev} becomes 0), so the next
     * step sees no flip and moves by the shrunk step; later learning rates are ignored.
     */
    @Test
    void rpropIsIRpropMinusWithPyTorchsDefaults() {
        Model net = network(Optimizer.RPROP, Precision.DOUBLE);
        int n = net.parameterCount();
        TrainingStep step = loaded(net);
        double lr = 0.3;
        double[][] p = new double[4][];
        double[][] g = new double[4][n];
        p[0] = net.parameters();
        for (int t = 1; t <= 3; t++) {
            step.computeGradients(X.length);
            step.gradients(g[t]);
            step.applyGradients(t == 1 ? lr : 7.0); // Rprop reads the learning rate only at its first step
            p[t] = net.parameters();
        }
        double tolerance = 1e-14;
        double[] size = new double[n];
        double[] prev = new double[n];
        int grew = 0;
        int flipped = 0;
        int afterFlip = 0;
        for (int k = 0; k < n; k++) {
            assertTrue(g[1][k] != 0, "every parameter has a gradient");
            assertEquals(-Math.signum(g[1][k]) * lr, p[1][k] - p[0][k], tolerance, "first step of " + k);
            size[k] = lr;
            prev[k] = g[1][k];
            for (int t = 2; t <= 3; t++) {
                double product = g[t][k] * prev[k];
                if (product > 0) {
                    size[k] *= 1.2;
                    assertEquals(-Math.signum(g[t][k]) * size[k], p[t][k] - p[t - 1][k], tolerance, k + " grows");
                    prev[k] = g[t][k];
                    grew++;
                } else if (product < 0) {
                    size[k] *= 0.5;
                    assertEquals(p[t - 1][k], p[t][k], "a flipped " + k + " does not move");
                    prev[k] = 0;
                    flipped++;
                } else {
                    assertEquals(-Math.signum(g[t][k]) * size[k], p[t][k] - p[t - 1][k], tolerance, k + " after a flip");
                    prev[k] = g[t][k];
                    afterFlip++;
                }
            }
        }
        assertTrue(grew > 0 && flipped > 0 && afterFlip > 0,
                "the run exercises growth (" + grew + "), flips (" + flipped + ") and steps after a flip (" + afterFlip + ")");
        // the state: step count, prev, step sizes
        double[] state = net.optimizerState();
        assertEquals(3.0, state[0]);
        for (int k = 0; k < n; k++) {
            assertEquals(prev[k] == 0 ? 0.0 : g[3][k], state[1 + k], "prev of " + k);
            assertEquals(size[k], state[1 + n + k], 1e-15, "step size of " + k);
        }
    }

    @Test
    void aNewStepUsesTheDefaultsAdamWDecaysByOneHundredth() {
        Model net = network(Optimizer.ADAMW, Precision.DOUBLE);
        Reference reference = new Reference(Optimizer.ADAMW, UpdateSettings.defaults(Optimizer.ADAMW),
                net.parameterCount());
        TrainingStep step = loaded(net);
        double[] theta = net.parameters();
        step.computeGradients(X.length);
        double[] gradient = new double[net.parameterCount()];
        step.gradients(gradient);
        reference.step(theta, gradient, 0.05);
        step.applyGradients(0.05);
        close(theta, net.parameters(), 1e-12, "AdamW with default settings");
        assertThrows(NullPointerException.class, () -> step.setUpdateSettings(null));
    }

    @Test
    void aRestoredStateContinuesExactly() {
        for (Optimizer optimizer : Optimizer.values()) {
            Model a = network(optimizer, Precision.FLOAT);
            TrainingStep stepA = loaded(a);
            for (int k = 0; k < 3; k++) {
                stepA.computeGradients(X.length);
                stepA.applyGradients(learningRate(optimizer, 0));
            }
            Model b = network(optimizer, Precision.FLOAT);
            b.setParameters(a.parameters());
            b.setOptimizerState(a.optimizerState());
            assertArrayEquals(a.optimizerState(), b.optimizerState(), optimizer.name());
            TrainingStep stepB = loaded(b);
            for (int k = 0; k < 3; k++) {
                stepA.computeGradients(X.length);
                stepA.applyGradients(learningRate(optimizer, 0));
                stepB.computeGradients(X.length);
                stepB.applyGradients(learningRate(optimizer, 0));
            }
            assertArrayEquals(a.parameters(), b.parameters(), optimizer + ": bit for bit");
            assertEquals(optimizer, a.optimizer());
            assertEquals(optimizer.stateLength(a.parameterCount()), a.optimizerState().length);
        }
    }

    @Test
    void aCheckpointedAdamRunResumesBitForBit(@TempDir Path dir) throws java.io.IOException {
        SplittableRandom random = new SplittableRandom(3L);
        double[][] x = new double[45][3];
        double[][] y = new double[45][2];
        for (int r = 0; r < x.length; r++) {
            for (int i = 0; i < 3; i++) {
                x[r][i] = random.nextDouble(-1, 1);
            }
            y[r][0] = x[r][0] * x[r][1];
            y[r][1] = Math.sin(x[r][2]);
        }
        Dataset data = Dataset.of(x, y);
        for (Optimizer optimizer : new Optimizer[] {Optimizer.ADAM, Optimizer.RPROP}) {
            Model straight = network(optimizer, Precision.FLOAT);
            trainer(straight).epochs(8).fit(data);
            Path checkpoint = dir.resolve(optimizer + ".ckpt");
            trainer(network(optimizer, Precision.FLOAT)).epochs(4).checkpointEvery(4, checkpoint).fit(data);
            Model resumed = network(optimizer, Precision.FLOAT);
            resumed.setParameters(new double[resumed.parameterCount()]);
            trainer(resumed).epochs(8).resumeFrom(checkpoint).fit(data);
            assertArrayEquals(straight.parameters(), resumed.parameters(), optimizer + ": 4 + 4 epochs equal 8");
            assertArrayEquals(straight.optimizerState(), resumed.optimizerState(), optimizer.name());
        }
    }

    private static Trainer trainer(Model net) {
        return Trainer.of(net).learningRate(0.01).batchSize(10).seed(11L).weightDecay(1e-3);
    }

    @Test
    void resetForgetsEverything() {
        for (Optimizer optimizer : Optimizer.values()) {
            Model net = network(optimizer, Precision.DOUBLE);
            TrainingStep step = loaded(net);
            double[] start = net.parameters();
            step.computeGradients(X.length);
            step.applyGradients(learningRate(optimizer, 0));
            double[] afterOne = net.parameters();
            net.resetOptimizerState();
            double[] state = net.optimizerState();
            for (double v : state) {
                assertEquals(0.0, v, optimizer.name());
            }
            // from the start again, the first step repeats exactly (Rprop's step sizes start afresh too)
            net.setParameters(start);
            step.computeGradients(X.length);
            step.applyGradients(learningRate(optimizer, 0));
            assertArrayEquals(afterOne, net.parameters(), optimizer.name());
        }
    }

    @Test
    void aStateOfTheWrongShapeIsRefused() {
        Model adam = network(Optimizer.ADAM, Precision.DOUBLE);
        int length = adam.optimizerState().length;
        assertEquals(1 + 2 * adam.parameterCount(), length);
        assertThrows(IllegalArgumentException.class, () -> adam.setOptimizerState(new double[length - 1]));
        for (double steps : new double[] {-1, 0.5, Double.NaN, 1e300}) {
            double[] state = new double[length];
            state[0] = steps;
            assertThrows(IllegalArgumentException.class, () -> adam.setOptimizerState(state), "steps " + steps);
        }
        // values that would turn the parameters into NaN, or move them the wrong way, are refused
        int n = adam.parameterCount();
        double[] good = new double[length];
        good[0] = 2;
        good[1] = -0.5; // a first moment may be negative
        adam.setOptimizerState(good);
        double[] before = adam.optimizerState();
        double[] nan = good.clone();
        nan[3] = Double.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adam.setOptimizerState(nan));
        assertEquals("optimizer state value 3 (exp_avg of parameter 2) is NaN, must be finite", e.getMessage());
        double[] negative = good.clone();
        negative[1 + n + 4] = -1e-3;
        e = assertThrows(IllegalArgumentException.class, () -> adam.setOptimizerState(negative));
        assertEquals("optimizer state value " + (1 + n + 4) + " (exp_avg_sq of parameter 4) is -0.001, must be finite"
                + " and at least 0", e.getMessage());
        assertArrayEquals(before, adam.optimizerState(), "a refused state changes nothing");
        Model rprop = network(Optimizer.RPROP, Precision.FLOAT);
        double[] steps = new double[rprop.optimizerState().length];
        steps[1 + rprop.parameterCount()] = -0.1;
        e = assertThrows(IllegalArgumentException.class, () -> rprop.setOptimizerState(steps));
        assertTrue(e.getMessage().contains("(step_size of parameter 0) is -0.1"), e.getMessage());

        Model sgd = network(Optimizer.SGD, Precision.DOUBLE);
        assertEquals(0, sgd.optimizerState().length);
        assertThrows(IllegalArgumentException.class, () -> sgd.setOptimizerState(new double[1]));
    }

    @Test
    void settingsAreValidated() {
        UpdateSettings d = UpdateSettings.defaults(Optimizer.ADAM);
        assertThrows(IllegalArgumentException.class, () -> d.withBetas(1.0, 0.999));
        assertThrows(IllegalArgumentException.class, () -> d.withBetas(0.9, -0.1));
        assertThrows(IllegalArgumentException.class, () -> d.withMomentum(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> d.withEpsilon(-1e-8));
        assertThrows(IllegalArgumentException.class, () -> d.withWeightDecay(-0.1));
        assertThrows(IllegalArgumentException.class, () -> d.withRmspropAlpha(1.5));
        assertThrows(IllegalArgumentException.class, () -> d.withRpropEtas(1.0, 1.2));
        assertThrows(IllegalArgumentException.class, () -> d.withRpropEtas(0.5, 1.0));
        assertThrows(IllegalArgumentException.class, () -> d.withRpropStepSizes(1.0, 0.5));
        assertEquals(0.01, UpdateSettings.defaults(Optimizer.ADAMW).weightDecay());
        assertEquals(0.0, d.weightDecay());
    }
}
