package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Convergence.noImprovement, Convergence.timeLimit, Monitor and the validation side of TrainingHistory. */
class EarlyStoppingTest {

    private static TrainingHistory validation(double... losses) {
        return TrainingHistory.of(new double[losses.length], losses);
    }

    @Test
    void noImprovementOnTheValidationLossUsesAnAbsoluteMinimumDelta() {
        StopCondition c = Convergence.noImprovement(Monitor.VALIDATION_LOSS, 0.05, 2);
        assertNull(c.check(validation(1.0, 0.8)), "never within the first `patience` epochs");
        // t = 3: before = 1.0, recent = min(0.8, 0.79) = 0.79 < 0.95: continue
        assertNull(c.check(validation(1.0, 0.8, 0.79)));
        // t = 4: before = min(1.0, 0.8) = 0.8, recent = min(0.79, 0.81) = 0.79, not below 0.75: stop
        assertEquals("no improvement of the validation loss by more than 0.05 in the 2 epochs up to epoch 4: their"
                + " best is 0.79, the earlier best 0.8", c.check(validation(1.0, 0.8, 0.79, 0.81)));
        assertNull(c.check(validation(1.0, 0.8, 0.79, 0.74)), "0.74 beats 0.8 by more than 0.05");
    }

    @Test
    void noImprovementWatchesOnlyItsOwnLoss() {
        TrainingHistory h = TrainingHistory.of(new double[] {1.0, 0.5, 0.25, 0.1}, new double[] {1.0, 1.0, 1.0, 1.0});
        assertNull(Convergence.noImprovement(Monitor.TRAINING_LOSS, 0.0, 2).check(h));
        assertTrue(Convergence.noImprovement(Monitor.VALIDATION_LOSS, 0.0, 2).check(h) != null);
        assertTrue(Convergence.noImprovement(Monitor.TRAINING_LOSS, 0.0, 2)
                .check(TrainingHistory.of(1.0, 0.5, 0.5, 0.5)).startsWith("no improvement of the training loss"));
    }

    @Test
    void zeroDeltaNeedsAStrictImprovement() {
        StopCondition c = Convergence.noImprovement(Monitor.VALIDATION_LOSS, 0.0, 1);
        assertNull(c.check(validation(1.0, 0.9999)));
        assertTrue(c.check(validation(1.0, 1.0)) != null);
        assertTrue(c.check(validation(1.0, 1.5)) != null, "getting worse stops too");
    }

    @Test
    void aNanValidationLossIsNeverAnImprovement() {
        StopCondition c = Convergence.noImprovement(Monitor.VALIDATION_LOSS, 0.0, 2);
        assertTrue(c.check(validation(1.0, Double.NaN, Double.NaN)) != null);
        assertNull(c.check(validation(1.0, Double.NaN, 0.5)));
        assertNull(c.check(validation(Double.NaN, 1.0, Double.NaN)), "a first real value improves on nothing");
        assertEquals(0.5, validation(1.0, Double.NaN, 0.5).bestValidationLoss(3));
        assertEquals(1.0, validation(1.0, Double.NaN).bestValidationLoss(2));
    }

    @Test
    void watchingTheValidationLossOfARunWithoutValidationFailsClearly() {
        StopCondition c = Convergence.noImprovement(Monitor.VALIDATION_LOSS, 0.0, 5);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.check(TrainingHistory.of(1.0)));
        assertTrue(e.getMessage().contains("Trainer.validationSplit"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> TrainingHistory.of(1.0).validationLoss(1));
        assertEquals(0, TrainingHistory.of(1.0).validationLosses().length);
    }

    @Test
    void noImprovementRejectsBadArguments() {
        for (double bad : new double[] {-0.01, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> Convergence.noImprovement(Monitor.TRAINING_LOSS, bad, 5));
        }
        assertThrows(IllegalArgumentException.class, () -> Convergence.noImprovement(Monitor.TRAINING_LOSS, 0, 0));
        assertThrows(NullPointerException.class, () -> Convergence.noImprovement(null, 0, 1));
    }

    private static TrainingHistory after(Duration elapsed, int epochs) {
        return new TrainingHistory() {
            @Override
            public int epochs() {
                return epochs;
            }

            @Override
            public double trainLoss(int epoch) {
                return 1.0;
            }

            @Override
            public Duration elapsed() {
                return elapsed;
            }
        };
    }

    @Test
    void timeLimitStopsAtTheFirstEpochEndingAfterIt() {
        StopCondition c = Convergence.timeLimit(Duration.ofSeconds(10));
        assertNull(c.check(after(Duration.ofMillis(9_999), 3)));
        assertEquals("time limit of 10.0 s reached after epoch 4 (10.0 s)", c.check(after(Duration.ofSeconds(10), 4)));
        assertNull(c.check(TrainingHistory.of(1, 2, 3)), "a fixed history has no time");
        assertThrows(IllegalArgumentException.class, () -> Convergence.timeLimit(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Convergence.timeLimit(Duration.ofSeconds(-1)));
    }

    @Test
    void timeLimitInARealRun() {
        // any epoch takes longer than a nanosecond, and nothing trains for 100 days
        TrainingResult r = Trainer.of(new dev.chainrule.testing.ScriptedModel(dev.chainrule.Precision.DOUBLE))
                .epochs(50).stopWhen(Convergence.timeLimit(Duration.ofNanos(1)))
                .fit(dev.chainrule.testing.ScriptedModel.rows(3));
        assertEquals(1, r.epochs());
        assertTrue(r.stopReason().startsWith("time limit of 0.0 s reached after epoch 1"), r.stopReason());
        TrainingResult long_ = Trainer.of(new dev.chainrule.testing.ScriptedModel(dev.chainrule.Precision.DOUBLE))
                .epochs(5).stopWhen(Convergence.timeLimit(Duration.ofDays(100)))
                .fit(dev.chainrule.testing.ScriptedModel.rows(3));
        assertEquals(5, long_.epochs());
    }

    @Test
    void monitorsReadTheirLoss() {
        TrainingHistory h = TrainingHistory.of(new double[] {3, 1, 2}, new double[] {4, 5, 3});
        assertEquals(1.0, Monitor.TRAINING_LOSS.value(h, 2));
        assertEquals(5.0, Monitor.VALIDATION_LOSS.value(h, 2));
        assertEquals(1.0, Monitor.TRAINING_LOSS.best(h, 3));
        assertEquals(4.0, Monitor.VALIDATION_LOSS.best(h, 2));
        assertEquals(3.0, Monitor.VALIDATION_LOSS.best(h, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> Monitor.VALIDATION_LOSS.value(h, 4));
        assertThrows(IllegalArgumentException.class, () -> TrainingHistory.of(new double[] {1}, new double[0]));
        assertThrows(UnsupportedOperationException.class, () -> h.learningRate(1));
    }
}
