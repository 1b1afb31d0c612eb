package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Precision;
import dev.chainrule.data.Dataset;
import dev.chainrule.testing.LinearModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Trainer.restoreBest, alone and with early stopping. */
class RestoreBestTest {

    /** y = 2x on x = -1, -0.5, ..., 1. */
    static Dataset twice() {
        double[][] x = new double[9][1];
        double[][] y = new double[9][1];
        for (int i = 0; i < 9; i++) {
            x[i][0] = -1 + 0.25 * i;
            y[i][0] = 2 * x[i][0];
        }
        return Dataset.of(x, y);
    }

    /** y = x: a network learning y = 2x from w = 0 passes the best fit for this half way. */
    static Dataset once() {
        return Dataset.of(new double[][] {{-1}, {0}, {1}}, new double[][] {{-1}, {0}, {1}});
    }

    private static LinearModel start() {
        LinearModel model = new LinearModel(1, 1, Precision.DOUBLE, 0L);
        model.setParameters(new double[] {0.0, 0.0});
        return model;
    }

    /** The parameters and the validation loss after each epoch. */
    private static final class Recording implements EpochListener {
        final List<double[]> parameters = new ArrayList<>();
        final List<Double> validation = new ArrayList<>();
        final List<Double> training = new ArrayList<>();
        private final LinearModel model;

        Recording(LinearModel model) {
            this.model = model;
        }

        @Override
        public void onEpoch(EpochEvent e) {
            parameters.add(model.parameters());
            validation.add(e.validationLoss().orElse(Double.NaN));
            training.add(e.trainLoss());
        }

        int best(List<Double> losses) {
            int best = 0;
            for (int i = 1; i < losses.size(); i++) {
                if (losses.get(i) < losses.get(best)) {
                    best = i;
                }
            }
            return best + 1;
        }
    }

    @Test
    void theNetworkEndsWithTheParametersOfTheBestValidationEpoch() {
        LinearModel model = start();
        Recording rec = new Recording(model);
        TrainingResult r = Trainer.of(model).learningRate(0.05).batchSize(3).epochs(30).shuffle(false)
                .validation(once()).restoreBest(true).listener(rec).fit(twice());
        int best = rec.best(rec.validation);
        assertTrue(best > 1 && best < 30, "the test needs the best epoch inside the run, not " + best);
        assertEquals(best, r.restoredEpoch().getAsInt());
        assertArrayEquals(rec.parameters.get(best - 1), model.parameters());
        assertFalse(java.util.Arrays.equals(rec.parameters.get(29), model.parameters()));
        assertEquals(30, r.epochs(), "restoring does not change the history");
        assertTrue(r.toString().contains("restored epoch " + best), r.toString());
    }

    @Test
    void earlyStoppingWithRestoreBestEndsAtTheBestEpoch() {
        LinearModel model = start();
        Recording rec = new Recording(model);
        TrainingResult r = Trainer.of(model).learningRate(0.05).batchSize(3).epochs(200).shuffle(false)
                .validation(once()).restoreBest(Monitor.VALIDATION_LOSS)
                .stopWhen(Convergence.noImprovement(Monitor.VALIDATION_LOSS, 0.0, 3))
                .listener(rec).fit(twice());
        int best = rec.best(rec.validation);
        assertEquals(best + 3, r.epochs(), "stops after 3 epochs without improvement");
        assertTrue(r.stopReason().startsWith("no improvement of the validation loss"), r.stopReason());
        assertEquals(best, r.restoredEpoch().getAsInt());
        assertArrayEquals(rec.parameters.get(best - 1), model.parameters());
    }

    @Test
    void byTrainingLossWithoutValidation() {
        // the rate jumps to an unstable value after epoch 8: the training loss rises from there
        LinearModel model = start();
        Recording rec = new Recording(model);
        TrainingResult r = Trainer.of(model).learningRate(0.05).batchSize(9).epochs(12).shuffle(false)
                .schedule((epoch, base) -> epoch <= 8 ? base : 60 * base).restoreBest(true).listener(rec)
                .fit(twice());
        int best = rec.best(rec.training);
        assertTrue(best < 12, "the test needs a best epoch before the last, not " + best);
        assertEquals(best, r.restoredEpoch().getAsInt());
        assertArrayEquals(rec.parameters.get(best - 1), model.parameters());
    }

    @Test
    void nothingIsRestoredWhenTheLastEpochIsTheBestOrTheOptionIsOff() {
        LinearModel model = start();
        Recording rec = new Recording(model);
        TrainingResult r = Trainer.of(model).learningRate(0.05).batchSize(3).epochs(5).shuffle(false)
                .validation(twice()).restoreBest(true).listener(rec).fit(twice());
        assertTrue(r.restoredEpoch().isEmpty());
        assertArrayEquals(rec.parameters.get(4), model.parameters());

        LinearModel off = start();
        Recording all = new Recording(off);
        TrainingResult last = Trainer.of(off).learningRate(0.05).batchSize(3).epochs(30).shuffle(false)
                .validation(once()).restoreBest(true).restoreBest(false).listener(all).fit(twice());
        assertTrue(last.restoredEpoch().isEmpty());
        assertArrayEquals(all.parameters.get(29), off.parameters());
    }

    @Test
    void anInterruptMidEpochStillEndsWithTheBestEpoch() {
        LinearModel model = start();
        Recording rec = new Recording(model);
        int[] batches = {0};
        TrainingResult r;
        try {
            r = Trainer.of(model).learningRate(0.05).batchSize(3).epochs(30).shuffle(false)
                    .validation(twice()).restoreBest(true).listener(rec)
                    .listener(new EpochListener() {
                        @Override
                        public void onBatch(int epoch, int batch, double meanLoss) {
                            if (++batches[0] == 3 * 4 + 2) { // in the middle of epoch 5
                                Thread.currentThread().interrupt();
                            }
                        }

                        @Override
                        public void onEpoch(EpochEvent event) {}
                    }).fit(twice());
        } finally {
            assertTrue(Thread.interrupted());
        }
        assertEquals("interrupted", r.stopReason());
        assertEquals(4, r.epochs());
        assertEquals(4, r.restoredEpoch().getAsInt(), "the partial epoch's steps are undone");
        assertArrayEquals(rec.parameters.get(3), model.parameters());
    }

    @Test
    void restoringByValidationLossNeedsValidation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.of(start()).restoreBest(Monitor.VALIDATION_LOSS).fit(twice()));
        assertTrue(e.getMessage().contains("needs validation data"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Trainer.of(start()).restoreBest(null));
    }
}
