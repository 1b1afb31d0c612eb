package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Precision;
import dev.chainrule.data.Dataset;
import dev.chainrule.io.ModelFile;
import dev.chainrule.io.TrainingState;
import dev.chainrule.metrics.Metric;
import dev.chainrule.testing.LinearModel;
import dev.chainrule.testing.LogCapture;
import dev.chainrule.testing.TinyMlp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Resuming a run with a schedule, validation, metrics and restore-best repeats the uninterrupted run. */
class ResumeTest {

    @TempDir
    Path dir;

    private static Trainer configured(TinyMlp net) {
        return Trainer.of(net).learningRate(0.4).batchSize(8).seed(11L)
                .schedule(LearningRateSchedule.cosineAnnealing(10, 0.01).withLinearWarmUp(2))
                .validationSplit(0.3, 5L)
                .restoreBest(true)
                .stopWhen(Convergence.noImprovement(Monitor.VALIDATION_LOSS, 0.0, 6));
    }

    private static void assertSameResult(TrainingResult expected, TrainingResult actual) {
        assertArrayEquals(expected.trainLoss(), actual.trainLoss());
        assertArrayEquals(expected.validationLoss(), actual.validationLoss());
        assertArrayEquals(expected.learningRates(), actual.learningRates());
        assertArrayEquals(expected.trainMetric(Metric.ACCURACY), actual.trainMetric(Metric.ACCURACY));
        assertArrayEquals(expected.validationMetric(Metric.ACCURACY), actual.validationMetric(Metric.ACCURACY));
        assertEquals(expected.restoredEpoch(), actual.restoredEpoch());
        assertEquals(expected.stopReason(), actual.stopReason());
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void theWholeHistoryAndTheBestParametersSurviveACheckpoint(Precision precision) throws IOException {
        Dataset data = CheckpointTest.twoClasses();
        TinyMlp straight = TinyMlp.classifier(precision, 1L);
        TrainingResult all = configured(straight).epochs(12).fit(data);
        assertTrue(all.restoredEpoch().isPresent(), "the test needs restore-best to act: " + all);

        Path checkpoint = dir.resolve("run.ckpt");
        configured(TinyMlp.classifier(precision, 1L)).epochs(7).checkpointEvery(7, checkpoint).fit(data);
        TrainingState state = ModelFile.read(checkpoint).trainingState().orElseThrow();
        assertEquals(7, state.learningRates().length);
        assertEquals(7, state.validationLoss().length);
        assertEquals(List.of("accuracy", "val_accuracy"), state.metricNames());
        assertEquals("split 0.3 with seed 5, stratified", state.validation());
        assertTrue(state.best().isPresent());

        TinyMlp resumed = TinyMlp.classifier(precision, 99L);
        TrainingResult rest = configured(resumed).epochs(12).resumeFrom(checkpoint).fit(data);
        assertArrayEquals(straight.parameters(), resumed.parameters(), "7 + 5 epochs must equal 12, bit for bit");
        assertSameResult(all, rest);
    }

    @Test
    void aBestEpochBeforeTheCheckpointIsRestoredAfterResuming() throws IOException {
        // validation on y = x while training on y = 2x: the best validation epoch comes early
        Path checkpoint = dir.resolve("best.ckpt");
        LinearModel first = new LinearModel(1, 1, Precision.DOUBLE, 0L);
        first.setParameters(new double[] {0, 0});
        Trainer t1 = Trainer.of(first).learningRate(0.05).batchSize(3).shuffle(false)
                .validation(RestoreBestTest.once()).restoreBest(true);
        TrainingResult straight = t1.epochs(30).fit(RestoreBestTest.twice());
        int best = straight.restoredEpoch().getAsInt();
        assertTrue(best < 20, "the test needs the best epoch before the checkpoint, not " + best);

        LinearModel second = new LinearModel(1, 1, Precision.DOUBLE, 0L);
        second.setParameters(new double[] {0, 0});
        Trainer.of(second).learningRate(0.05).batchSize(3).shuffle(false).validation(RestoreBestTest.once())
                .restoreBest(true).epochs(20).checkpointEvery(20, checkpoint).fit(RestoreBestTest.twice());
        LinearModel third = new LinearModel(1, 1, Precision.DOUBLE, 5L);
        TrainingResult resumed = Trainer.of(third).learningRate(0.05).batchSize(3).shuffle(false)
                .validation(RestoreBestTest.once()).restoreBest(true).epochs(30).resumeFrom(checkpoint)
                .fit(RestoreBestTest.twice());
        assertEquals(best, resumed.restoredEpoch().getAsInt());
        assertArrayEquals(first.parameters(), third.parameters());
    }

    @Test
    void resumingWithAnotherScheduleOrValidationWarns() throws IOException {
        Dataset data = CheckpointTest.twoClasses();
        Path checkpoint = dir.resolve("run.ckpt");
        configured(TinyMlp.classifier(Precision.DOUBLE, 1L)).epochs(4).checkpointEvery(4, checkpoint).fit(data);
        try (LogCapture log = LogCapture.of(Trainer.class.getName())) {
            configured(TinyMlp.classifier(Precision.DOUBLE, 1L)).epochs(6).resumeFrom(checkpoint).fit(data);
            assertEquals(List.of(), log.warnings(), "the same settings resume silently");
            configured(TinyMlp.classifier(Precision.DOUBLE, 1L)).schedule(LearningRateSchedule.constant()).epochs(6)
                    .resumeFrom(checkpoint).fit(data);
            String w = log.warnings().get(0);
            assertTrue(w.contains("learning rate of epoch 1 0.2 -> 0.4 (schedule constant(), base rate 0.4)"), w);
            configured(TinyMlp.classifier(Precision.DOUBLE, 1L)).validationSplit(0.2, 5L).restoreBest(false)
                    .epochs(6).resumeFrom(checkpoint).fit(data);
            w = log.warnings().get(1);
            assertTrue(w.contains("validation split 0.3 with seed 5, stratified -> split 0.2 with seed 5, stratified"),
                    w);
            assertTrue(w.contains("restore-best VALIDATION_LOSS -> none"), w);
        }
    }

    @Test
    void aCheckpointWithoutValidationResumesIntoAValidatingRunWithNaNBefore() throws IOException {
        Dataset data = CheckpointTest.twoClasses();
        Path checkpoint = dir.resolve("plain.ckpt");
        Trainer.of(TinyMlp.classifier(Precision.DOUBLE, 1L)).epochs(3).checkpointEvery(3, checkpoint).fit(data);
        TrainingResult r;
        try (LogCapture log = LogCapture.of(Trainer.class.getName())) {
            r = Trainer.of(TinyMlp.classifier(Precision.DOUBLE, 1L)).epochs(5).validation(data)
                    .resumeFrom(checkpoint).fit(data);
            assertTrue(log.warnings().get(0).contains("validation none -> a validation dataset of 53 rows"),
                    log.warnings().toString());
        }
        double[] v = r.validationLoss();
        assertEquals(5, v.length);
        assertTrue(Double.isNaN(v[0]) && Double.isNaN(v[2]) && !Double.isNaN(v[3]), java.util.Arrays.toString(v));
        assertTrue(Files.exists(checkpoint));
    }

    /** A linear model whose update rule claims to keep state, as momentum and Adam do. */
    private static final class WithOptimizerState implements dev.chainrule.Model {
        private final LinearModel inner = new LinearModel(1, 1, Precision.DOUBLE, 0L);

        @Override
        public int inputSize() {
            return 1;
        }

        @Override
        public int outputSize() {
            return 1;
        }

        @Override
        public int parameterCount() {
            return inner.parameterCount();
        }

        @Override
        public Precision precision() {
            return Precision.DOUBLE;
        }

        @Override
        public dev.chainrule.Loss loss() {
            return inner.loss();
        }

        @Override
        public List<dev.chainrule.Layer> layers() {
            return List.of();
        }

        @Override
        public void predictInto(double[] input, double[] output) {
            inner.predictInto(input, output);
        }

        @Override
        public double[] parameters() {
            return inner.parameters();
        }

        @Override
        public void setParameters(double[] parameters) {
            inner.setParameters(parameters);
        }

        @Override
        public dev.chainrule.Model copy() {
            throw new UnsupportedOperationException();
        }

        @Override
        public dev.chainrule.TrainingStep newTrainingStep(int maxBatchSize) {
            return inner.newTrainingStep(maxBatchSize);
        }

        @Override
        public dev.chainrule.Optimizer optimizer() {
            return dev.chainrule.Optimizer.ADAM;
        }

        /** ADAM's layout for 2 parameters: the step count, exp_avg, exp_avg_sq. */
        double[] state = {1, 2, 3, 4, 5};

        @Override
        public double[] optimizerState() {
            return state.clone();
        }

        @Override
        public void setOptimizerState(double[] state) {
            this.state = state.clone();
        }
    }

    @Test
    void aStatefulUpdateRuleResumesWithItsState() throws IOException {
        Path checkpoint = dir.resolve("adam.ckpt");
        WithOptimizerState net = new WithOptimizerState();
        Trainer.of(net).epochs(2).checkpointEvery(2, checkpoint).fit(RestoreBestTest.twice());
        WithOptimizerState resumed = new WithOptimizerState();
        resumed.state = new double[5];
        Trainer.of(resumed).epochs(4).resumeFrom(checkpoint).fit(RestoreBestTest.twice());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {1, 2, 3, 4, 5}, resumed.state,
                "the checkpoint's optimizer state is restored");
    }
}
