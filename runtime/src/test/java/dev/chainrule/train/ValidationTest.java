package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Precision;
import dev.chainrule.data.Dataset;
import dev.chainrule.metrics.Evaluation;
import dev.chainrule.metrics.Metric;
import dev.chainrule.metrics.Task;
import dev.chainrule.testing.LinearModel;
import dev.chainrule.testing.ScriptedModel;
import dev.chainrule.testing.TinyMlp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Trainer.validation, validationSplit and the metrics recorded per epoch. */
class ValidationTest {

    private static int[] trainedRows(ScriptedModel model, int steps) {
        int[] rows = model.visitedRows(0, steps);
        Arrays.sort(rows);
        return rows;
    }

    private static int[] ids(Dataset d) {
        int[] ids = new int[d.size()];
        for (int r = 0; r < ids.length; r++) {
            ids[r] = (int) d.features(r)[0];
        }
        Arrays.sort(ids);
        return ids;
    }

    @Test
    void aValidationSplitHoldsOutTheSeededRows() {
        Dataset data = ScriptedModel.rows(20); // targets all 0: a single 0/1 target, so class data
        ScriptedModel model = new ScriptedModel(Precision.DOUBLE);
        TrainingResult r = Trainer.of(model).batchSize(100).epochs(2).validationSplit(0.25, 9L).fit(data);
        Dataset.Split expected = data.stratifiedSplit(0.75, 9L);
        assertEquals(2, model.batches.size());
        assertArrayEquals(ids(expected.train()), trainedRows(model, 1), "epoch 1 trains on the training part only");
        assertEquals(15, model.batches.get(1).length);
        assertEquals(2, r.validationLoss().length);

        Dataset regression = Dataset.of(new double[][] {{0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}},
                new double[][] {{0.5}, {0.5}, {0.5}, {0.5}, {0.5}, {0.5}, {0.5}, {0.5}, {0.5}, {0.5}});
        ScriptedModel plain = new ScriptedModel(Precision.DOUBLE);
        Trainer.of(plain).batchSize(100).epochs(1).validationSplit(0.3, 4L).fit(regression);
        assertArrayEquals(ids(regression.split(0.7, 4L).train()), trainedRows(plain, 1), "not class data: a plain split");
    }

    @Test
    void classDataIsSplitStratified() {
        Dataset data = CheckpointTest.twoClasses();
        TinyMlp net = TinyMlp.classifier(Precision.DOUBLE, 1L);
        TrainingResult r = Trainer.of(net).epochs(1).validationSplit(0.3, 5L).fit(data);
        Dataset.Split expected = data.stratifiedSplit(0.7, 5L);
        assertEquals(Evaluation.of(net, expected.test()).loss(), r.validationLoss()[0],
                "the validation loss is the loss on the stratified split's held-out part");
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void eachEpochsValidationIsTheEvaluationOfThatEpochsParameters(Precision precision) {
        Dataset data = CheckpointTest.twoClasses();
        Dataset.Split parts = data.split(0.6, 3L);
        TinyMlp net = TinyMlp.classifier(precision, 1L);
        List<Evaluation> expected = new ArrayList<>();
        List<EpochEvent> events = new ArrayList<>();
        TrainingResult r = Trainer.of(net).learningRate(0.3).batchSize(8).epochs(6).validation(parts.test())
                .listener(e -> {
                    expected.add(Evaluation.of(net, parts.test()));
                    events.add(e);
                })
                .fit(parts.train());
        assertEquals(6, r.validationLoss().length);
        assertEquals(List.of(Metric.ACCURACY), r.metrics());
        for (int i = 0; i < 6; i++) {
            Evaluation v = events.get(i).validation().orElseThrow();
            assertEquals(expected.get(i).loss(), v.loss(), "epoch " + (i + 1));
            assertEquals(expected.get(i).confusionMatrix(), v.confusionMatrix());
            assertEquals(v.loss(), events.get(i).validationLoss().getAsDouble());
            assertEquals(v.loss(), r.validationLoss()[i]);
            assertEquals(v.accuracy(), r.validationMetric(Metric.ACCURACY)[i]);
            Evaluation t = events.get(i).training().orElseThrow();
            assertEquals(r.trainLoss()[i], t.loss());
            assertEquals(t.accuracy(), r.trainMetric(Metric.ACCURACY)[i]);
            assertEquals(parts.train().size(), t.size());
        }
        assertFalse(Arrays.equals(r.validationLoss(), new double[6]));
        assertTrue(r.toString().contains("final validation loss"), r.toString());
    }

    @Test
    void trainingMetricsComeFromEachBatchsOutputs() {
        // learning rate 0: the parameters never change, so the batches' metrics are those of the network
        TinyMlp net = TinyMlp.classifier(Precision.DOUBLE, 6L);
        Dataset data = CheckpointTest.twoClasses();
        EpochEvent[] last = new EpochEvent[1];
        Trainer.of(net).batchSize(5).epochs(2).threads(2).shareEveryStep().schedule((epoch, base) -> 0.0)
                .listener(e -> last[0] = e).fit(data);
        Evaluation whole = Evaluation.of(net, data);
        Evaluation batches = last[0].training().orElseThrow();
        assertEquals(whole.confusionMatrix(), batches.confusionMatrix());
        assertEquals(whole.loss(), batches.loss(), 1e-12);

        LinearModel linear = new LinearModel(3, 2, Precision.DOUBLE, 2L);
        Dataset regression = TrainerTest.linearData(30, 4L);
        Trainer.of(linear).batchSize(7).epochs(1).schedule((epoch, base) -> 0.0).listener(e -> last[0] = e)
                .fit(regression);
        Evaluation expected = Evaluation.of(linear, regression);
        Evaluation seen = last[0].training().orElseThrow();
        assertEquals(expected.meanAbsoluteError(), seen.meanAbsoluteError(), 1e-12);
        assertEquals(expected.rootMeanSquaredError(), seen.rootMeanSquaredError(), 1e-12);
        assertEquals(expected.r2(), seen.r2(), 1e-12);
    }

    @Test
    void theMetricsTaskCanBeChosen() {
        TinyMlp net = new TinyMlp(Precision.DOUBLE, dev.chainrule.Loss.MEAN_SQUARED_ERROR, 2L,
                new String[] {"in", "out"}, new int[] {3, 2}, dev.chainrule.Activation.SIGMOID);
        TrainingResult mse = Trainer.of(net).epochs(1).fit(CheckpointTest.twoClasses());
        assertEquals(Task.REGRESSION.metrics(), mse.metrics());
        TrainingResult chosen = Trainer.of(net).epochs(1).metrics(Task.CLASSIFICATION)
                .fit(CheckpointTest.twoClasses());
        assertEquals(List.of(Metric.ACCURACY), chosen.metrics());
        assertEquals(1, chosen.trainMetric(Metric.ACCURACY).length);
        assertEquals(0, chosen.validationMetric(Metric.ACCURACY).length, "no validation, no validation metrics");
        assertThrows(IllegalArgumentException.class, () -> chosen.trainMetric(Metric.R_SQUARED));
    }

    @Test
    void withoutValidationTheHistoryHasNone() {
        TrainingResult r = Trainer.of(new ScriptedModel(Precision.DOUBLE)).epochs(3).fit(ScriptedModel.rows(4));
        assertEquals(0, r.validationLoss().length);
        EpochEvent[] seen = new EpochEvent[1];
        Trainer.of(new ScriptedModel(Precision.DOUBLE)).epochs(1).listener(e -> seen[0] = e).fit(ScriptedModel.rows(4));
        assertTrue(seen[0].validation().isEmpty());
        assertTrue(seen[0].validationLoss().isEmpty());
    }

    @Test
    void theLastSettingWinsAndBadOnesAreRefused() {
        Dataset data = TrainerTest.linearData(10, 1L);
        LinearModel model = new LinearModel(3, 2, Precision.DOUBLE, 1L);
        TrainingResult r = Trainer.of(model).epochs(1).validation(TrainerTest.linearData(4, 2L))
                .validationSplit(0.5, 1L).fit(data);
        assertEquals(1, r.validationLoss().length);
        assertThrows(IllegalArgumentException.class, () -> Trainer.of(model).validationSplit(0.0, 1L));
        assertThrows(IllegalArgumentException.class, () -> Trainer.of(model).validationSplit(1.0, 1L));
        assertThrows(IllegalArgumentException.class, () -> Trainer.of(model).validationSplit(Double.NaN, 1L));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.of(model)
                .validation(Dataset.of(new double[][] {{1, 2}}, new double[][] {{1, 2}})).fit(data));
        assertTrue(e.getMessage().startsWith("the validation dataset has 2 features"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.of(model).validationSplit(0.01, 1L)
                .fit(data));
        assertTrue(e.getMessage().startsWith("validationSplit(0.01, 1) of 10 rows leaves no row"), e.getMessage());
    }
}
