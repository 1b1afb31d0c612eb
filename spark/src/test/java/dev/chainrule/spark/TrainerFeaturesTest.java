package dev.chainrule.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.data.Dataset;
import dev.chainrule.metrics.Metric;
import dev.chainrule.train.Convergence;
import dev.chainrule.train.EpochEvent;
import dev.chainrule.train.EpochListener;
import dev.chainrule.train.LearningRateSchedule;
import dev.chainrule.train.Monitor;
import dev.chainrule.train.Trainer;
import dev.chainrule.train.TrainingResult;
import dev.chainrule.train.TrainingStart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local trainer's settings carry over: schedules, stop conditions, listeners, validation,
 * restore-best, checkpoints and resuming; and DataFrames train as RDDs of the same rows do.
 */
class TrainerFeaturesTest {

    @Test
    void aDataFrameTrainsAsTheRddOfItsRows() {
        Dataset train = TestData.irisScaled().train();
        IrisDoubleNetwork fromRdd = new IrisDoubleNetwork(42L);
        SparkTrainer.of(fromRdd).learningRate(0.1).batchSize(16).epochs(2).seed(7L)
                .fit(LocalSpark.context().parallelize(TestData.samples(train), 2));
        IrisDoubleNetwork fromFrame = new IrisDoubleNetwork(42L);
        org.apache.spark.sql.Dataset<Row> frame = BadInputTest.frame(BadInputTest.irisRows(train)).coalesce(1);
        SparkTrainer.of(fromFrame).learningRate(0.1).batchSize(16).epochs(2).seed(7L).fit(frame);
        // one partition against two: the same steps up to the rounding of SynchronousStepsTest
        assertTrue(SynchronousStepsTest.maxRelativeDifference(fromRdd.parameters(), fromFrame.parameters())
                <= SynchronousStepsTest.DOUBLE_TOLERANCE);
    }

    @Test
    void schedulesStopConditionsListenersAndValidationWorkAsLocally() {
        Dataset.Split split = TestData.irisScaled();
        List<String> calls = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        IrisDoubleNetwork net = new IrisDoubleNetwork(42L);
        TrainingResult result = SparkTrainer.of(net).learningRate(0.2).batchSize(32).epochs(50).seed(1L)
                .schedule(LearningRateSchedule.stepDecay(0.5, 2))
                .validation(split.test())
                .stopWhen(history -> history.epochs() == 4 ? "four epochs seen" : null)
                .listener(new EpochListener() {
                    @Override
                    public void onStart(TrainingStart start) {
                        calls.add("start " + start.trainingRows() + " rows, " + start.batchesPerEpoch() + " batches");
                    }

                    @Override
                    public void onBatch(int epoch, int batch, double meanLoss) {
                        calls.add("batch " + epoch + "." + batch);
                    }

                    @Override
                    public void onEpoch(EpochEvent event) {
                        rates.add(event.learningRate());
                        calls.add("epoch " + event.epoch() + " validated " + event.validation().isPresent());
                    }

                    @Override
                    public void onFinish(TrainingResult r) {
                        calls.add("finish");
                    }
                })
                .fit(LocalSpark.context().parallelize(TestData.samples(split.train()), 2));
        assertEquals("four epochs seen", result.stopReason());
        assertEquals(4, result.epochs());
        assertEquals(List.of(0.2, 0.2, 0.1, 0.1), rates);
        assertEquals("start 105 rows, 4 batches", calls.get(0));
        assertEquals(List.of("batch 1.1", "batch 1.2", "batch 1.3", "batch 1.4", "epoch 1 validated true"),
                calls.subList(1, 6));
        assertEquals("finish", calls.get(calls.size() - 1));
        assertEquals(4 * 5 + 2, calls.size());
        // the validation loss of the last epoch is the network's loss on the validation rows now
        double[] validationLoss = result.validationLoss();
        assertEquals(net.evaluate(split.test()).loss(), validationLoss[3], 1e-12);
        assertEquals(net.evaluate(split.test()).accuracy(), result.validationMetric(Metric.ACCURACY)[3], 1e-12);

        TrainingResult converged = SparkTrainer.of(new IrisDoubleNetwork(42L)).learningRate(0.1).batchSize(16)
                .epochs(200).seed(1L).stopWhen(Convergence.lossBelow(0.3))
                .fit(LocalSpark.context().parallelize(TestData.samples(split.train()), 2));
        assertTrue(converged.stopReason().contains("below 0.3"), converged.stopReason());
        assertTrue(converged.finalLoss() < 0.3 && converged.epochs() < 200, converged.toString());
    }

    @Test
    void listenersHearTheFailureThatEndsARun() {
        List<RuntimeException> heard = new ArrayList<>();
        IrisNetwork net = new IrisNetwork(42L);
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> SparkTrainer.of(net).epochs(3).schedule((epoch, base) -> epoch == 2 ? Double.NaN : base)
                        .listener(new EpochListener() {
                            @Override
                            public void onEpoch(EpochEvent event) {}

                            @Override
                            public void onFailure(RuntimeException failure) {
                                heard.add(failure);
                            }
                        })
                        .fit(rdd(TestData.irisScaled().train())));
        assertTrue(e.getMessage().contains("gives NaN for epoch 2"), e.getMessage());
        assertEquals(List.of(e), heard);
    }

    @Test
    void restoreBestPutsBackTheBestEpochsParameters() {
        Dataset.Split split = TestData.irisScaled();
        List<double[]> perEpoch = new ArrayList<>();
        IrisDoubleNetwork net = new IrisDoubleNetwork(42L);
        // a learning rate this large makes the validation loss jump around, so the best epoch is not the last
        TrainingResult result = SparkTrainer.of(net).learningRate(3.0).batchSize(8).epochs(8).seed(3L)
                .validation(split.test())
                .restoreBest(Monitor.VALIDATION_LOSS)
                .listener(e -> perEpoch.add(net.parameters()))
                .fit(LocalSpark.context().parallelize(TestData.samples(split.train()), 2));
        double[] losses = result.validationLoss();
        int best = 0;
        for (int e = 1; e < losses.length; e++) {
            if (losses[e] < losses[best]) {
                best = e;
            }
        }
        if (best == losses.length - 1) {
            assertTrue(result.restoredEpoch().isEmpty());
        } else {
            assertEquals(best + 1, result.restoredEpoch().getAsInt());
        }
        SynchronousStepsTest.assertExactly(perEpoch.get(best), net.parameters(), "restored parameters");
    }

    @Test
    void aResumedRunEndsWithTheUninterruptedRunsParametersAndTheLocalTrainerResumesIt(@TempDir Path dir)
            throws IOException {
        Dataset train = TestData.irisScaled().train();
        Path checkpoint = dir.resolve("run.ckpt");
        IrisAdamNetwork whole = new IrisAdamNetwork(42L);
        TrainingResult uninterrupted = spark(whole).epochs(4).checkpointEvery(2, checkpoint).fit(rdd(train));
        assertTrue(Files.exists(checkpoint));

        // the checkpoint of epoch 4 replaced that of epoch 2; write epoch 2's again with a 2-epoch run
        IrisAdamNetwork half = new IrisAdamNetwork(42L);
        spark(half).epochs(2).checkpointEvery(2, checkpoint).fit(rdd(train));
        IrisAdamNetwork resumed = new IrisAdamNetwork(7L); // other start: the checkpoint overwrites it
        TrainingResult rest = spark(resumed).epochs(4).resumeFrom(checkpoint).fit(rdd(train));
        assertEquals(4, rest.epochs());
        SynchronousStepsTest.assertExactly(uninterrupted.trainLoss(), rest.trainLoss(), "losses of all four epochs");
        SynchronousStepsTest.assertExactly(whole.parameters(), resumed.parameters(), "parameters");
        SynchronousStepsTest.assertExactly(whole.optimizerState(), resumed.optimizerState(), "Adam state");

        // the checkpoint is the local trainer's format: it continues the Spark run too (to rounding)
        IrisAdamNetwork local = new IrisAdamNetwork(7L);
        Trainer.of(local).learningRate(0.01).batchSize(16).epochs(4).resumeFrom(checkpoint).fit(train);
        assertTrue(SynchronousStepsTest.maxRelativeDifference(whole.parameters(), local.parameters())
                <= SynchronousStepsTest.DOUBLE_TOLERANCE);
    }

    private static SparkTrainer spark(IrisAdamNetwork net) {
        return SparkTrainer.of(net).learningRate(0.01).batchSize(16).seed(7L);
    }

    static org.apache.spark.api.java.JavaRDD<Sample> rdd(Dataset train) {
        return LocalSpark.context().parallelize(TestData.samples(train), 2);
    }
}
