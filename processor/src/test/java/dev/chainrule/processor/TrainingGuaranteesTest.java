package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chainrule.Model;
import dev.chainrule.Optimizer;
import dev.chainrule.TrainingStep;
import dev.chainrule.data.Dataset;
import dev.chainrule.train.EpochEvent;
import dev.chainrule.train.EpochListener;
import dev.chainrule.train.LearningRateSchedule;
import dev.chainrule.train.Trainer;
import dev.chainrule.train.TrainingDivergedException;
import dev.chainrule.train.TrainingResult;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The trainer's promises on generated networks with every update rule and dropout: the same
 * seed, data and settings give bit-identical parameters and optimizer state (and another seed
 * does not), and a diverging run names its epoch and batch and leaves the parameters and the
 * optimizer state of the last step that was applied.
 */
class TrainingGuaranteesTest {

    static CompiledNetworks compiled;

    /** 4 inputs -> 9 tanh with dropout 0.25 -> 2 linear, MSE, one network per optimizer. */
    @BeforeAll
    static void compile() {
        Map<String, String> sources = new LinkedHashMap<>();
        for (Optimizer optimizer : Optimizer.values()) {
            sources.put("guarantees." + name(optimizer), Specs.source("guarantees", name(optimizer),
                    "loss = Loss.MEAN_SQUARED_ERROR, precision = Precision.FLOAT, optimizer = Optimizer." + optimizer,
                    4, List.of("units = 9, activation = Activation.TANH, dropout = 0.25", "units = 2")));
        }
        // plain SGD in double, a tiled hidden layer: for clipping
        sources.put("guarantees.Clip", Specs.source("guarantees", "Clip",
                "loss = Loss.MEAN_SQUARED_ERROR, precision = Precision.DOUBLE", 4,
                List.of("units = 20, activation = Activation.TANH", "units = 2")));
        compiled = CompiledNetworks.compile(sources);
    }

    static String name(Optimizer optimizer) {
        return "G" + optimizer.name().toLowerCase(Locale.ROOT);
    }

    static Model network(Optimizer optimizer) {
        return compiled.newNetwork("guarantees." + name(optimizer) + "Network", 3L);
    }

    static Dataset data() {
        SplittableRandom random = new SplittableRandom(5L);
        double[][] x = new double[48][4];
        double[][] y = new double[48][2];
        for (int r = 0; r < x.length; r++) {
            for (int i = 0; i < 4; i++) {
                x[r][i] = random.nextDouble(-1, 1);
            }
            y[r][0] = x[r][0] * x[r][1] + x[r][2];
            y[r][1] = Math.cos(x[r][3]) - x[r][0];
        }
        return Dataset.of(x, y);
    }

    /** Every run-time option that touches the numbers: schedule, decay, clipping, validation, restore-best. */
    static Trainer trainer(Model net, long seed) {
        double rate = switch (net.optimizer()) {
            case SGD, MOMENTUM, NESTEROV -> 0.05;
            default -> 0.01;
        };
        return Trainer.of(net).learningRate(rate).batchSize(8).epochs(6).seed(seed)
                .schedule(LearningRateSchedule.cosineAnnealing(6, 0.001))
                .weightDecay(1e-3).clipGradientNorm(1.0)
                .validationSplit(0.25, 4L).restoreBest(true);
    }

    @ParameterizedTest
    @EnumSource(Optimizer.class)
    void theSameSeedGivesBitIdenticalParametersWithDropoutAndEveryOptimizer(Optimizer optimizer) {
        Dataset data = data();
        Model a = network(optimizer);
        TrainingResult ra = trainer(a, 21L).fit(data);
        Model b = network(optimizer);
        TrainingResult rb = trainer(b, 21L).fit(data);
        assertArrayEquals(a.parameters(), b.parameters(), optimizer + ": parameters, bit for bit");
        assertArrayEquals(a.optimizerState(), b.optimizerState(), optimizer + ": optimizer state, bit for bit");
        assertArrayEquals(ra.trainLoss(), rb.trainLoss(), optimizer + ": training losses");
        assertArrayEquals(ra.validationLoss(), rb.validationLoss(), optimizer + ": validation losses");
        assertEquals(ra.restoredEpoch(), rb.restoredEpoch());

        // the comparison can fail: another seed (other batches, other masks) ends elsewhere
        Model c = network(optimizer);
        trainer(c, 22L).fit(data);
        assertFalse(Arrays.equals(a.parameters(), c.parameters()), optimizer + ": another seed, other parameters");
        // and the masks are part of what repeats: the same seed without dropout ends elsewhere too
        Model d = network(optimizer);
        trainer(d, 21L).dropout(0.0).fit(data);
        assertFalse(Arrays.equals(a.parameters(), d.parameters()), optimizer + ": dropout is in play");
    }

    /** Remembers the parameters and optimizer state after every applied step. */
    static final class LastStep implements EpochListener {
        final Model net;
        double[] parameters;
        double[] state;
        int steps;

        LastStep(Model net) {
            this.net = net;
            this.parameters = net.parameters();
            this.state = net.optimizerState();
        }

        @Override
        public void onBatch(int epoch, int batch, double meanLoss) {
            parameters = net.parameters();
            state = net.optimizerState();
            steps++;
        }

        @Override
        public void onEpoch(EpochEvent event) {}
    }

    @ParameterizedTest
    @EnumSource(value = Optimizer.class, names = {"SGD", "MOMENTUM", "NESTEROV"})
    void aDivergingRunNamesEpochAndBatchAndKeepsTheLastGoodParametersAndState(Optimizer optimizer) {
        Model net = network(optimizer);
        LastStep last = new LastStep(net);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> Trainer.of(net)
                .learningRate(20.0).batchSize(8).epochs(10_000).seed(1L).listener(last).fit(data()));
        assertTrue(last.steps > 0, "some steps were applied first");
        assertEquals(last.steps / 6 + 1, e.epoch(), "6 batches per epoch, the failing one not applied");
        assertEquals(last.steps % 6 + 1, e.batch());
        assertTrue(e.getMessage().contains("epoch " + e.epoch()) && e.getMessage().contains("batch " + e.batch()),
                e.getMessage());
        assertArrayEquals(last.parameters, net.parameters(), optimizer + ": the parameters of the last applied step");
        assertArrayEquals(last.state, net.optimizerState(), optimizer + ": its optimizer state too");
        assertTrue(Arrays.stream(net.parameters()).allMatch(Double::isFinite), "finite parameters");
    }

    /**
     * Clipping by global norm in a generated network: the step's squared norm is the sum of the
     * squares of its gradient, and one full batch with {@code clipGradientNorm(max)} moves the
     * parameters by {@code -lr g min(1, max / (|g| + 1e-6))}, computed here.
     */
    @Test
    void clippingByGlobalNormScalesTheGeneratedStepsGradient() {
        Dataset data = data();
        for (double maxNorm : new double[] {0.01, 1e6}) {
            Model net = compiled.newNetwork("guarantees.ClipNetwork", 3L);
            Model twin = net.copy();
            TrainingStep step = twin.newTrainingStep(data.size());
            for (int r = 0; r < data.size(); r++) {
                step.load(r, data.features(r), 0, data.targets(r), 0);
            }
            step.computeGradients(data.size());
            double[] g = new double[net.parameterCount()];
            step.gradients(g);
            double squares = 0;
            for (double v : g) {
                squares += v * v;
            }
            assertEquals(squares, step.gradientSquaredNorm(), 1e-12 * squares, "the squared norm");
            double factor = Math.min(1.0, maxNorm / (Math.sqrt(squares) + 1e-6));
            assertEquals(maxNorm < 1, factor < 1, "the small bound clips, the large one does not");
            double[] expected = net.parameters();
            for (int k = 0; k < expected.length; k++) {
                expected[k] -= 0.1 * factor * g[k];
            }
            Trainer.of(net).learningRate(0.1).batchSize(data.size()).epochs(1).shuffle(false)
                    .clipGradientNorm(maxNorm).fit(data);
            double[] actual = net.parameters();
            for (int k = 0; k < expected.length; k++) {
                if (!(Math.abs(expected[k] - actual[k]) <= 1e-12)) {
                    fail("max norm " + maxNorm + ", parameter " + k + ": expected " + expected[k] + ", got " + actual[k]);
                }
            }
            step.scaleGradients(0.25);
            double[] quarter = new double[g.length];
            step.gradients(quarter);
            for (int k = 0; k < g.length; k++) {
                assertEquals(0.25 * g[k], quarter[k], Math.ulp(g[k]), "scaleGradients, parameter " + k);
            }
        }
    }
}
