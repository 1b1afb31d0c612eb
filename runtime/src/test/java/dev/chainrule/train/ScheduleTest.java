package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Precision;
import dev.chainrule.testing.ScriptedModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    private static double[] rates(LearningRateSchedule s, double base, int epochs) {
        double[] out = new double[epochs];
        for (int e = 1; e <= epochs; e++) {
            out[e - 1] = s.learningRate(e, base);
        }
        return out;
    }

    @Test
    void constantKeepsTheBaseRate() {
        assertArrayEquals(new double[] {0.3, 0.3, 0.3}, rates(LearningRateSchedule.constant(), 0.3, 3));
    }

    @Test
    void stepDecayMultipliesEveryNEpochs() {
        assertArrayEquals(new double[] {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025},
                rates(LearningRateSchedule.stepDecay(0.5, 3), 0.1, 7));
    }

    @Test
    void exponentialDecayMultipliesEveryEpoch() {
        double[] r = rates(LearningRateSchedule.exponentialDecay(0.9), 2.0, 4);
        assertEquals(2.0, r[0]);
        assertEquals(1.8, r[1], 1e-15);
        assertEquals(1.62, r[2], 1e-15);
        assertEquals(1.458, r[3], 1e-15);
    }

    @Test
    void cosineAnnealingFollowsHalfACosineThenStaysAtTheMinimum() {
        double[] r = rates(LearningRateSchedule.cosineAnnealing(4, 0.0), 1.0, 6);
        // (1 + cos(π t / 4)) / 2 for t = 0..4: 1, (1 + √½) / 2, ½, (1 - √½) / 2, 0
        double h = Math.sqrt(0.5);
        assertArrayEquals(new double[] {1.0, (1 + h) / 2, 0.5, (1 - h) / 2, 0.0, 0.0}, r, 1e-15);
        assertEquals(0.0, r[4], "exactly the minimum");
        double[] withMin = rates(LearningRateSchedule.cosineAnnealing(4, 0.1), 1.0, 5);
        assertEquals(0.1 + 0.9 * 0.5, withMin[2], 1e-15);
        assertEquals(0.1, withMin[4], 1e-15);
    }

    @Test
    void warmUpRisesLinearlyThenHandsOverAsIfTrainingStartedThere() {
        assertArrayEquals(new double[] {0.25, 0.5, 0.75, 1.0, 1.0, 1.0},
                rates(LearningRateSchedule.linearWarmUp(4), 1.0, 6));
        double h = Math.sqrt(0.5);
        assertArrayEquals(new double[] {0.5, 1.0, 1.0, (1 + h) / 2, 0.5},
                rates(LearningRateSchedule.cosineAnnealing(4, 0.0).withLinearWarmUp(2), 1.0, 5), 1e-15);
        assertArrayEquals(new double[] {0.05, 0.1, 0.1, 0.05},
                rates(LearningRateSchedule.stepDecay(0.5, 1).withLinearWarmUp(2), 0.1, 4), 1e-17);
    }

    @Test
    void aUserFunctionOfTheEpoch() {
        LearningRateSchedule s = (epoch, base) -> base / epoch;
        assertArrayEquals(new double[] {1.0, 0.5, 0.25}, new double[] {s.learningRate(1, 1), s.learningRate(2, 1),
            s.learningRate(4, 1)});
    }

    @Test
    void schedulesNameThemselves() {
        assertEquals("constant()", LearningRateSchedule.constant().toString());
        assertEquals("cosineAnnealing(90, 0.001).withLinearWarmUp(10)",
                LearningRateSchedule.cosineAnnealing(90, 0.001).withLinearWarmUp(10).toString());
        assertEquals("stepDecay(0.5, 10)", LearningRateSchedule.stepDecay(0.5, 10).toString());
        assertEquals("exponentialDecay(0.95)", LearningRateSchedule.exponentialDecay(0.95).toString());
    }

    @Test
    void rejectsBadArguments() {
        for (double bad : new double[] {0.0, -0.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.stepDecay(bad, 2));
            assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.exponentialDecay(bad));
        }
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.stepDecay(0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosineAnnealing(0, 0.0));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosineAnnealing(5, -1e-3));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.linearWarmUp(0));
        assertThrows(NullPointerException.class, () -> Trainer.of(new ScriptedModel(Precision.DOUBLE)).schedule(null));
    }

    @Test
    void theTrainerAppliesEachEpochsRateAndRecordsIt() {
        ScriptedModel model = new ScriptedModel(Precision.DOUBLE);
        List<Double> heard = new ArrayList<>();
        TrainingResult r = Trainer.of(model).learningRate(0.1).batchSize(2).epochs(5)
                .schedule(LearningRateSchedule.stepDecay(0.5, 2))
                .listener(e -> heard.add(e.learningRate()))
                .fit(ScriptedModel.rows(4));
        assertEquals(List.of(0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025), model.applied);
        assertArrayEquals(new double[] {0.1, 0.1, 0.05, 0.05, 0.025}, r.learningRates());
        assertEquals(List.of(0.1, 0.1, 0.05, 0.05, 0.025), heard);
    }

    @Test
    void theTrainerAppliesAUserFunctionOfTheEpoch() {
        ScriptedModel model = new ScriptedModel(Precision.DOUBLE);
        TrainingResult r = Trainer.of(model).learningRate(0.2).batchSize(3).epochs(4)
                .schedule((epoch, base) -> epoch % 2 == 0 ? base / epoch : base * epoch)
                .fit(ScriptedModel.rows(6));
        // 0.2 * 1, 0.2 / 2, 0.2 * 3, 0.2 / 4: two batches of 3 rows per epoch
        assertEquals(List.of(0.2, 0.2, 0.1, 0.1, 0.2 * 3, 0.2 * 3, 0.05, 0.05), model.applied);
        assertArrayEquals(new double[] {0.2, 0.1, 0.2 * 3, 0.05}, r.learningRates());
    }

    @Test
    void aRateThatIsNotFiniteOrIsNegativeStopsWithTheEpoch() {
        ScriptedModel model = new ScriptedModel(Precision.DOUBLE);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Trainer.of(model).epochs(5)
                .schedule((epoch, base) -> epoch == 3 ? -base : base).fit(ScriptedModel.rows(2)));
        assertTrue(e.getMessage().contains("gives -0.01 for epoch 3"), e.getMessage());
        assertEquals(2, model.applied.size());
        TrainingResult zero = Trainer.of(new ScriptedModel(Precision.DOUBLE)).epochs(2)
                .schedule((epoch, base) -> 0.0).fit(ScriptedModel.rows(2));
        assertArrayEquals(new double[] {0.0, 0.0}, zero.learningRates(), "a zero rate is allowed");
    }
}
