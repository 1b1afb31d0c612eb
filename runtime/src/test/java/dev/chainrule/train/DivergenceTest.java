package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Precision;
import dev.chainrule.testing.LinearModel;
import dev.chainrule.testing.ScriptedModel;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A diverging step is never applied: the network keeps the parameters of the last good step. */
class DivergenceTest {

    /** Remembers the network's parameters after every applied step. */
    private static final class LastStep implements EpochListener {
        private final LinearModel model;
        double[] parameters;
        int steps;

        LastStep(LinearModel model) {
            this.model = model;
            this.parameters = model.parameters();
        }

        @Override
        public void onBatch(int epoch, int batch, double meanLoss) {
            parameters = model.parameters();
            steps++;
        }

        @Override
        public void onEpoch(EpochEvent event) {}
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void aRealDivergenceLeavesTheLastGoodParametersOnAnyThreadCount(int threads) {
        LinearModel model = new LinearModel(3, 2, Precision.DOUBLE, 1L);
        LastStep last = new LastStep(model);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> Trainer.of(model)
                .learningRate(5.0).batchSize(8).epochs(1000).threads(threads).shareEveryStep().listener(last)
                .fit(TrainerTest.linearData(64, 2L)));
        assertTrue(last.steps > 0);
        assertArrayEquals(last.parameters, model.parameters(), "the parameters after the last applied step");
        assertTrue(Arrays.stream(model.parameters()).allMatch(Double::isFinite));
        assertEquals((last.steps) / 8 + 1, e.epoch(), "8 batches per epoch");
        assertEquals(last.steps % 8 + 1, e.batch());
    }

    @Test
    void aFloatNetworkDivergesCleanlyToo() {
        LinearModel model = new LinearModel(3, 2, Precision.FLOAT, 1L);
        LastStep last = new LastStep(model);
        assertThrows(TrainingDivergedException.class, () -> Trainer.of(model).learningRate(5.0).batchSize(8)
                .epochs(1000).threads(2).shareEveryStep().listener(last).fit(TrainerTest.linearData(64, 2L)));
        assertArrayEquals(last.parameters, model.parameters());
        assertTrue(Arrays.stream(model.parameters()).allMatch(Double::isFinite));
    }

    @Test
    void aGradientThatIsNotFiniteIsRefusedEvenWithAFiniteLoss() {
        ScriptedModel model = new ScriptedModel(Precision.DOUBLE, 1.0, 1.0, 0.75);
        model.onStep = step -> model.squaredGradientNorm = step == 3 ? Double.POSITIVE_INFINITY : 0.0;
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> Trainer.of(model).learningRate(0.5).batchSize(2).fit(ScriptedModel.rows(6)));
        assertEquals(1, e.epoch());
        assertEquals(3, e.batch());
        assertEquals(0.75, e.loss());
        assertEquals(2, model.applied.size(), "the third batch's gradient must not be applied");
        assertTrue(e.getMessage().contains("the gradient of batch 3 of epoch 1 is not finite"), e.getMessage());
        assertTrue(e.getMessage().contains("keeps the parameters from before that batch"), e.getMessage());
    }

    @Test
    void anEpochLossThatOverflowsIsCaughtAtTheBatchThatOverflowsIt() {
        // each batch loss is finite, but two rows of 1e308 sum past the largest double
        ScriptedModel model = new ScriptedModel(Precision.DOUBLE, 1.0, 1e308, 1.0);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> Trainer.of(model).batchSize(2).epochs(3).fit(ScriptedModel.rows(6)));
        assertEquals(2, e.batch());
        assertEquals(1e308, e.loss());
        assertEquals(1, model.applied.size());
        assertTrue(e.getMessage().contains("the summed loss of epoch 1 overflows at batch 2"), e.getMessage());

        ScriptedModel later = new ScriptedModel(Precision.DOUBLE, 8e307, 8e307, 8e307);
        e = assertThrows(TrainingDivergedException.class,
                () -> Trainer.of(later).batchSize(1).epochs(3).fit(ScriptedModel.rows(3)));
        assertEquals(3, e.batch(), "8e307 × 3 overflows only at the third batch");
        assertEquals(2, later.applied.size());
    }

    @Test
    void divergenceSkipsOnFinishAndRestoreBest() {
        boolean[] finished = {false};
        ScriptedModel model = new ScriptedModel(Precision.DOUBLE, 1.0, 0.5, Double.NaN);
        assertThrows(TrainingDivergedException.class, () -> Trainer.of(model).batchSize(10).epochs(5)
                .restoreBest(true).listener(new EpochListener() {
                    @Override
                    public void onEpoch(EpochEvent event) {}

                    @Override
                    public void onFinish(TrainingResult result) {
                        finished[0] = true;
                    }
                }).fit(ScriptedModel.rows(2)));
        assertEquals(2, model.applied.size());
        assertTrue(!finished[0], "onFinish is for a normal return");
    }
}
