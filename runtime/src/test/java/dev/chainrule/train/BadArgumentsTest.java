package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Optimizer;
import dev.chainrule.Precision;
import dev.chainrule.UpdateSettings;
import dev.chainrule.testing.MomentumMlp;
import dev.chainrule.testing.TinyMlp;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every run-time number the trainer and the update settings take is checked where it is set,
 * and a bad one is refused with a message that names the argument and repeats the value given.
 */
class BadArgumentsTest {

    private static void refused(Executable call, String... expectedParts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : expectedParts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should contain '" + part + "'");
        }
    }

    @Test
    void trainerSettings() {
        Trainer t = Trainer.of(TinyMlp.classifier(Precision.DOUBLE, 1L));
        for (double lr : new double[] {-0.1, 0.0, Double.NaN, Double.POSITIVE_INFINITY}) {
            refused(() -> t.learningRate(lr), "learning rate is " + lr, "finite and positive");
        }
        refused(() -> t.batchSize(0), "batch size is 0");
        refused(() -> t.epochs(-3), "epochs is -3");
        refused(() -> t.threads(0), "threads is 0");
        refused(() -> t.checkpointEvery(0, java.nio.file.Path.of("x")), "checkpoint interval is 0");
        for (double norm : new double[] {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY}) {
            refused(() -> t.clipGradientNorm(norm), "gradient norm is " + norm);
        }
        for (double rate : new double[] {-0.2, 1.0, 1.5, Double.NaN}) {
            refused(() -> t.dropout(rate), "dropout rate is " + rate, "[0, 1)");
        }
        for (double fraction : new double[] {0.0, 1.0, -0.2, Double.NaN}) {
            refused(() -> t.validationSplit(fraction, 1L), "validation fraction is " + fraction);
        }
        refused(() -> t.momentum(-0.5), "momentum is -0.5");
        refused(() -> t.momentum(Double.NaN), "momentum is NaN");
        refused(() -> t.betas(1.0, 0.999), "beta1 is 1.0", "[0, 1)");
        refused(() -> t.betas(0.9, -0.001), "beta2 is -0.001", "[0, 1)");
        refused(() -> t.betas(Double.NaN, 0.999), "beta1 is NaN");
        refused(() -> t.epsilon(-1e-8), "epsilon is -1.0E-8");
        refused(() -> t.epsilon(0.0), "epsilon is 0.0", "0 by 0");
        refused(() -> t.epsilon(Double.POSITIVE_INFINITY), "epsilon is Infinity");
        refused(() -> t.weightDecay(-0.01), "weightDecay is -0.01");
        refused(() -> t.weightDecay(Double.NaN), "weightDecay is NaN");
        assertEquals(UpdateSettings.defaults(Optimizer.SGD), t.updateSettings(), "nothing refused was kept");
    }

    @Test
    void updateSettings() {
        UpdateSettings d = UpdateSettings.defaults(Optimizer.RPROP);
        refused(() -> d.withRmspropAlpha(1.01), "rmspropAlpha is 1.01", "[0, 1]");
        refused(() -> d.withRmspropAlpha(-0.1), "rmspropAlpha is -0.1");
        refused(() -> d.withRpropEtas(1.2, 0.5), "rpropEtaMinus is 1.2", "(0, 1)");
        refused(() -> d.withRpropEtas(0.5, 1.0), "rpropEtaPlus is 1.0", "greater than 1");
        refused(() -> d.withRpropEtas(0.0, 1.2), "rpropEtaMinus is 0.0");
        refused(() -> d.withRpropStepSizes(-1e-6, 50), "rpropStepMin is -1.0E-6");
        refused(() -> d.withRpropStepSizes(1.0, 0.5), "rpropStepMax is 0.5", "at least rpropStepMin (1.0)");
        refused(() -> d.withRpropStepSizes(1e-6, Double.POSITIVE_INFINITY), "rpropStepMax is Infinity");
        // the smallest epsilon that is still positive in float is accepted
        assertEquals(Float.MIN_NORMAL, d.withEpsilon(Float.MIN_NORMAL).epsilon());
    }

    @Test
    void schedulesAndStopConditions() {
        refused(() -> LearningRateSchedule.stepDecay(-0.5, 10), "factor is -0.5");
        refused(() -> LearningRateSchedule.stepDecay(0.5, 0), "everyEpochs is 0");
        refused(() -> LearningRateSchedule.exponentialDecay(Double.NaN), "factor is NaN");
        refused(() -> LearningRateSchedule.cosineAnnealing(0, 0.0), "epochs is 0");
        refused(() -> LearningRateSchedule.cosineAnnealing(10, -0.001), "minLearningRate is -0.001");
        refused(() -> LearningRateSchedule.linearWarmUp(-1), "warm-up epochs is -1");
        refused(() -> Convergence.lossBelow(Double.NaN), "threshold is NaN");
        refused(() -> Convergence.noImprovement(Monitor.VALIDATION_LOSS, -1e-4, 5), "minDelta is -1.0E-4");
        refused(() -> Convergence.noImprovement(Monitor.VALIDATION_LOSS, 0.0, 0), "patience is 0");
        refused(() -> Convergence.timeLimit(Duration.ofSeconds(-2)), "time limit is PT-2S");
    }

    @Test
    void aBadValueReachesNoStep() {
        MomentumMlp net = new MomentumMlp(TinyMlp.classifier(Precision.DOUBLE, 1L));
        Trainer t = Trainer.of(net).momentum(0.5);
        refused(() -> t.momentum(-1), "momentum is -1.0");
        assertEquals(0.5, t.updateSettings().momentum(), "the last good value stays");
    }
}
