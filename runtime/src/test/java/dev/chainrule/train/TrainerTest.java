package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Precision;
import dev.chainrule.data.Dataset;
import dev.chainrule.testing.LinearModel;
import dev.chainrule.testing.ScriptedModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrainerTest {

    private static final double[][] TRUE_W = {{2.0, -3.0, 0.5}, {0.5, 1.0, -1.5}};
    private static final double[] TRUE_B = {1.0, -2.0};

    /** Noise-free samples of {@code y = W x + b} with x uniform in [-1, 1). */
    static Dataset linearData(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] x = new double[n][3];
        double[][] y = new double[n][2];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < 3; i++) {
                x[s][i] = random.nextDouble(-1, 1);
            }
            for (int o = 0; o < 2; o++) {
                y[s][o] = TRUE_B[o];
                for (int i = 0; i < 3; i++) {
                    y[s][o] += TRUE_W[o][i] * x[s][i];
                }
            }
        }
        return Dataset.of(x, y);
    }

    private static double[] trueParameters() {
        return new double[] {2.0, -3.0, 0.5, 0.5, 1.0, -1.5, 1.0, -2.0};
    }

    @Test
    void fitsLinearRegressionInDouble() {
        LinearModel model = new LinearModel(3, 2, Precision.DOUBLE, 1L);
        TrainingResult r = Trainer.of(model).learningRate(0.1).batchSize(16).epochs(200).seed(3L)
                .fit(linearData(200, 11L));
        assertEquals(200, r.epochs());
        double[] loss = r.trainLoss();
        assertTrue(loss[loss.length - 1] < loss[0] * 1e-6, Arrays.toString(loss));
        assertEquals(loss[loss.length - 1], r.finalLoss());
        assertArrayEquals(trueParameters(), model.parameters(), 1e-4);
        assertEquals("epoch budget of 200 reached", r.stopReason());
        assertEquals(0, r.validationLoss().length);
        assertEquals(0, model.floatLoads);
    }

    @Test
    void fitsLinearRegressionInFloatThroughTheFloatCopy() {
        LinearModel model = new LinearModel(3, 2, Precision.FLOAT, 1L);
        Dataset data = linearData(200, 11L);
        TrainingResult r = Trainer.of(model).learningRate(0.1).batchSize(16).epochs(200).fit(data);
        assertTrue(r.finalLoss() < 1e-6, r.toString());
        assertArrayEquals(trueParameters(), model.parameters(), 1e-3);
        assertEquals(0, model.doubleLoads, "a FLOAT network must be fed through the float overload");
        assertEquals(200 * 200, model.floatLoads);
    }

    @Test
    void epochLossAndUpdatesMatchAHandComputation() {
        // y = w x + b, MSE, start at w = b = 0; rows (1, 2), (2, 3), (3, 5); batches of 2, in order.
        LinearModel model = new LinearModel(1, 1, Precision.DOUBLE, 0L);
        model.setParameters(new double[] {0.0, 0.0});
        Dataset data = Dataset.of(new double[][] {{1}, {2}, {3}}, new double[][] {{2}, {3}, {5}});
        TrainingResult r = Trainer.of(model).learningRate(0.1).batchSize(2).epochs(1).shuffle(false).fit(data);
        // batch 1: predictions 0, 0; loss (4 + 9) / 2 = 6.5; dL/dw = (2/2)((0-2)·1 + (0-3)·2) = -8,
        // dL/db = -5; so w = 0.8, b = 0.5.
        // batch 2: prediction 2.4 + 0.5 = 2.9; loss (2.9 - 5)² = 4.41; dL/dw = 2(-2.1)·3 = -12.6,
        // dL/db = -4.2; so w = 0.8 + 1.26 = 2.06, b = 0.5 + 0.42 = 0.92.
        // epoch loss, sample-weighted: (2 · 6.5 + 1 · 4.41) / 3.
        assertEquals((2 * 6.5 + 4.41) / 3, r.finalLoss(), 1e-12);
        assertArrayEquals(new double[] {2.06, 0.92}, model.parameters(), 1e-12);
    }

    @Test
    void epochLossIsTheSampleWeightedMeanOfBatchLosses() {
        ScriptedModel model = new ScriptedModel(Precision.DOUBLE, 1, 2, 4, 3, 3, 6);
        TrainingResult r = Trainer.of(model).batchSize(2).epochs(2).fit(ScriptedModel.rows(5));
        // epoch 1: batches of 2, 2, 1 rows -> (2·1 + 2·2 + 1·4) / 5 = 2 (the unweighted mean would be 7/3)
        // epoch 2: (2·3 + 2·3 + 1·6) / 5 = 3.6
        assertArrayEquals(new double[] {2.0, 3.6}, r.trainLoss(), 1e-15);
    }

    @Test
    void lastPartialBatchIsKept() {
        ScriptedModel model = new ScriptedModel(Precision.DOUBLE);
        Trainer.of(model).batchSize(3).epochs(2).fit(ScriptedModel.rows(7));
        assertEquals(List.of(3), model.stepSizes);
        int[] sizes = model.batches.stream().mapToInt(b -> b.length).toArray();
        assertArrayEquals(new int[] {3, 3, 1, 3, 3, 1}, sizes);
        assertEquals(6, model.applied.size());
    }

    @Test
    void batchLargerThanTheDatasetBecomesOneBatch() {
        ScriptedModel model = new ScriptedModel(Precision.FLOAT);
        Trainer.of(model).batchSize(32).epochs(3).fit(ScriptedModel.rows(5));
        assertEquals(List.of(5), model.stepSizes);
        assertEquals(3, model.batches.size());
        assertEquals(15, model.floatLoads);
        assertEquals(0, model.doubleLoads);
    }

    @Test
    void everyEpochVisitsEveryRowOnceInAFreshOrder() {
        ScriptedModel model = new ScriptedModel(Precision.DOUBLE);
        int n = 20;
        Trainer.of(model).batchSize(6).epochs(3).seed(99L).fit(ScriptedModel.rows(n));
        int[] identity = new int[n];
        Arrays.setAll(identity, i -> i);
        int[][] epochs = new int[3][];
        for (int e = 0; e < 3; e++) {
            epochs[e] = model.visitedRows(4 * e, 4 * e + 4);
            int[] sorted = epochs[e].clone();
            Arrays.sort(sorted);
            assertArrayEquals(identity, sorted, "epoch " + (e + 1) + " must visit every row once");
            assertFalse(Arrays.equals(identity, epochs[e]));
        }
        assertFalse(Arrays.equals(epochs[0], epochs[1]));
        assertFalse(Arrays.equals(epochs[1], epochs[2]));
    }

    @Test
    void shuffleOrderFollowsTheDocumentedFormula() {
        ScriptedModel model = new ScriptedModel(Precision.DOUBLE);
        int n = 13;
        long seed = 1234L;
        Trainer.of(model).batchSize(n).epochs(4).seed(seed).fit(ScriptedModel.rows(n));
        for (int epoch = 1; epoch <= 4; epoch++) {
            SplittableRandom random = new SplittableRandom(seed ^ (epoch * 0x9E3779B97F4A7C15L));
            int[] order = new int[n];
            Arrays.setAll(order, i -> i);
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            assertArrayEquals(order, model.batches.get(epoch - 1), "epoch " + epoch);
        }
    }

    @Test
    void withoutShuffleRowsComeInDatasetOrder() {
        ScriptedModel model = new ScriptedModel(Precision.DOUBLE);
        Trainer.of(model).batchSize(4).epochs(2).shuffle(false).fit(ScriptedModel.rows(10));
        int[] expected = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertArrayEquals(expected, model.visitedRows(0, 3));
        assertArrayEquals(expected, model.visitedRows(3, 6));
    }

    @Test
    void sameSeedGivesBitIdenticalRuns() {
        Dataset data = linearData(100, 5L);
        LinearModel a = new LinearModel(3, 2, Precision.DOUBLE, 8L);
        LinearModel b = new LinearModel(3, 2, Precision.DOUBLE, 8L);
        TrainingResult ra = Trainer.of(a).learningRate(0.05).batchSize(7).epochs(20).seed(21L).fit(data);
        TrainingResult rb = Trainer.of(b).learningRate(0.05).batchSize(7).epochs(20).seed(21L).fit(data);
        assertArrayEquals(ra.trainLoss(), rb.trainLoss());
        assertArrayEquals(a.parameters(), b.parameters());

        LinearModel c = new LinearModel(3, 2, Precision.DOUBLE, 8L);
        TrainingResult rc = Trainer.of(c).learningRate(0.05).batchSize(7).epochs(20).seed(22L).fit(data);
        assertFalse(Arrays.equals(ra.trainLoss(), rc.trainLoss()), "the seed must change the batches");
    }

    @Test
    void listenersHearEachEpochOnceBeforeTheStopConditions() {
        List<String> log = new ArrayList<>();
        List<EpochEvent> events = new ArrayList<>();
        List<TrainingResult> finished = new ArrayList<>();
        ScriptedModel model = new ScriptedModel(Precision.DOUBLE);
        TrainingResult r = Trainer.of(model).learningRate(0.25).batchSize(2).epochs(5)
                .listener(e -> log.add("listener " + e.epoch()))
                .listener(new EpochListener() {
                    @Override
                    public void onEpoch(EpochEvent e) {
                        events.add(e);
                    }

                    @Override
                    public void onFinish(TrainingResult result) {
                        finished.add(result);
                    }
                })
                .stopWhen(h -> {
                    log.add("condition " + h.epochs());
                    return null;
                })
                .fit(ScriptedModel.rows(3));
        assertEquals(List.of("listener 1", "condition 1", "listener 2", "condition 2", "listener 3", "condition 3",
                "listener 4", "condition 4", "listener 5", "condition 5"), log);
        assertEquals(5, events.size());
        for (int i = 0; i < 5; i++) {
            EpochEvent e = events.get(i);
            assertEquals(i + 1, e.epoch());
            assertEquals(5, e.epochs());
            assertEquals(0.25, e.learningRate());
            assertEquals(r.trainLoss()[i], e.trainLoss());
            assertFalse(e.elapsed().isNegative());
        }
        assertEquals(List.of(r), finished);
    }

    @Test
    void stopsWhenTheLossFallsBelowTheThreshold() {
        LinearModel model = new LinearModel(3, 2, Precision.DOUBLE, 1L);
        TrainingResult r = Trainer.of(model).learningRate(0.1).batchSize(16).epochs(10_000)
                .stopWhen(Convergence.lossBelow(1e-3)).fit(linearData(200, 11L));
        double[] loss = r.trainLoss();
        assertTrue(r.epochs() < 10_000);
        assertTrue(r.finalLoss() < 1e-3);
        assertTrue(loss[loss.length - 2] >= 1e-3, "must stop at the first epoch below the threshold");
        assertTrue(r.stopReason().startsWith("training loss "), r.stopReason());
        assertTrue(r.stopReason().endsWith("fell below 0.001 at epoch " + r.epochs()), r.stopReason());
    }

    @Test
    void stopsOnNoSignificantImprovement() {
        // one batch per epoch, so each scripted loss is an epoch loss
        ScriptedModel model = new ScriptedModel(Precision.DOUBLE, 1.0, 0.5, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4);
        TrainingResult r = Trainer.of(model).batchSize(10).epochs(100)
                .stopWhen(Convergence.noSignificantImprovement(0.01, 3)).fit(ScriptedModel.rows(4));
        assertEquals(6, r.epochs());
        assertTrue(r.stopReason().startsWith("no significant improvement"), r.stopReason());
    }

    @Test
    void severalStopConditionsCombineWithOr() {
        ScriptedModel model = new ScriptedModel(Precision.DOUBLE);
        TrainingResult r = Trainer.of(model).epochs(50)
                .stopWhen(h -> null)
                .stopWhen(h -> h.epochs() == 3 ? "three" : null)
                .stopWhen(h -> h.epochs() == 2 ? "two" : null)
                .fit(ScriptedModel.rows(4));
        assertEquals(2, r.epochs());
        assertEquals("two", r.stopReason());

        TrainingResult first = Trainer.of(new ScriptedModel(Precision.DOUBLE)).epochs(50)
                .stopWhen(h -> h.epochs() == 2 ? "a" : null)
                .stopWhen(h -> h.epochs() == 2 ? "b" : null)
                .fit(ScriptedModel.rows(4));
        assertEquals("a", first.stopReason());
    }

    @Test
    void historySeenByConditionsIsConsistent() {
        ScriptedModel model = new ScriptedModel(Precision.DOUBLE, 5, 3, 4, 1, 2, 2, 0.5);
        List<String> problems = new ArrayList<>();
        Trainer.of(model).batchSize(10).epochs(7).stopWhen(h -> {
            TrainingHistory copy = TrainingHistory.of(h.trainLosses());
            for (int e = 1; e <= h.epochs(); e++) {
                if (h.bestTrainLoss(e) != copy.bestTrainLoss(e) || h.trainLoss(e) != copy.trainLoss(e)) {
                    problems.add("epoch " + e + " of " + h.epochs());
                }
            }
            if (h.lastTrainLoss() != h.trainLoss(h.epochs())) {
                problems.add("last of " + h.epochs());
            }
            assertThrows(IndexOutOfBoundsException.class, () -> h.trainLoss(0));
            assertThrows(IndexOutOfBoundsException.class, () -> h.trainLoss(h.epochs() + 1));
            return null;
        }).fit(ScriptedModel.rows(2));
        assertEquals(List.of(), problems);
        assertEquals(7, model.batches.size());
    }

    @Test
    void growsItsHistoryBeyondTheInitialCapacity() {
        ScriptedModel model = new ScriptedModel(Precision.DOUBLE);
        TrainingResult r = Trainer.of(model).batchSize(1).epochs(3000).fit(ScriptedModel.rows(1));
        assertEquals(3000, r.epochs());
        assertEquals(3000, r.trainLoss().length);
    }

    @Test
    void divergenceThrowsBeforeApplyingTheBadGradient() {
        ScriptedModel model = new ScriptedModel(Precision.DOUBLE, 1.0, Double.NaN, 1.0);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> Trainer.of(model).learningRate(0.5).batchSize(2).fit(ScriptedModel.rows(6)));
        assertEquals(1, e.epoch());
        assertEquals(2, e.batch());
        assertTrue(Double.isNaN(e.loss()));
        assertEquals(0.5, e.learningRate());
        assertEquals(1, model.applied.size(), "the NaN batch's gradient must not be applied");
        assertTrue(e.getMessage().contains("batch 2 of epoch 1"), e.getMessage());
        assertTrue(e.getMessage().contains("smaller learning rate than 0.5"), e.getMessage());
    }

    @Test
    void aRealDivergenceIsDetected() {
        LinearModel model = new LinearModel(3, 2, Precision.DOUBLE, 1L);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> Trainer.of(model).learningRate(5.0).batchSize(8).epochs(1000).fit(linearData(64, 2L)));
        assertTrue(e.epoch() >= 1);
        assertTrue(e.getMessage().contains("learning rate"), e.getMessage());
        assertTrue(Arrays.stream(model.parameters()).allMatch(Double::isFinite));
    }

    @Test
    void interruptStopsAfterTheCurrentStep() {
        ScriptedModel model = new ScriptedModel(Precision.DOUBLE, 1, 1, 1, 1, 2, 2, 2, 2);
        // 7 rows in batches of 2: 4 steps per epoch; interrupt during step 6 (the second of epoch 2)
        model.onStep = step -> {
            if (step == 6) {
                Thread.currentThread().interrupt();
            }
        };
        TrainingResult r;
        try {
            r = Trainer.of(model).batchSize(2).epochs(10).fit(ScriptedModel.rows(7));
        } finally {
            assertTrue(Thread.interrupted(), "the interrupt flag must stay set");
        }
        assertEquals("interrupted", r.stopReason());
        assertEquals(1, r.epochs(), "the interrupted epoch does not count");
        assertEquals(6, model.applied.size(), "the step in progress is completed");
        assertEquals(6, model.batches.size());
    }

    @Test
    void rejectsBadArguments() {
        Trainer t = Trainer.of(new ScriptedModel(Precision.DOUBLE));
        for (double lr : new double[] {0.0, -0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.learningRate(lr));
            assertTrue(e.getMessage().contains("learning rate"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> t.batchSize(0));
        assertThrows(IllegalArgumentException.class, () -> t.epochs(0));
        assertThrows(IllegalArgumentException.class, () -> t.epochs(-5));
        assertThrows(NullPointerException.class, () -> Trainer.of(null));
        assertThrows(NullPointerException.class, () -> t.stopWhen(null));
        assertThrows(NullPointerException.class, () -> t.listener(null));
        assertThrows(NullPointerException.class, () -> t.fit(null));
    }

    @Test
    void rejectsADatasetOfTheWrongShape() {
        LinearModel model = new LinearModel(2, 1, Precision.DOUBLE, 0L);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.of(model).fit(Dataset.of(new double[][] {{1, 2, 3}}, new double[][] {{1}})));
        assertEquals("the dataset has 3 features and 1 target per row, but the network takes 2 inputs"
                + " and gives 1 output", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.of(model).fit(Dataset.of(new double[][] {{1, 2}}, new double[][] {{1, 2}})));
        assertTrue(e.getMessage().contains("2 targets"), e.getMessage());
    }

    @Test
    void fitContinuesFromTheCurrentParameters() {
        Dataset data = linearData(100, 5L);
        LinearModel twice = new LinearModel(3, 2, Precision.DOUBLE, 8L);
        Trainer trainer = Trainer.of(twice).learningRate(0.05).epochs(5).shuffle(false);
        double first = trainer.fit(data).finalLoss();
        double second = trainer.fit(data).trainLoss()[0];
        assertNotEquals(first, second);
        assertTrue(second < first);
    }
}
