package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.chainrule.Precision;
import dev.chainrule.data.Dataset;
import dev.chainrule.metrics.Metric;
import dev.chainrule.testing.TinyMlp;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The same seed, data and settings give bit-identical parameters and histories, with every option on. */
class ReproducibilityTest {

    private static TrainingResult run(TinyMlp net, Dataset data, int threads, long seed, long splitSeed) {
        return Trainer.of(net).learningRate(0.5).batchSize(7).epochs(25).seed(seed)
                .threads(threads).shareEveryStep()
                .schedule(LearningRateSchedule.cosineAnnealing(20, 0.02).withLinearWarmUp(5))
                .validationSplit(0.25, splitSeed)
                .restoreBest(true)
                .stopWhen(Convergence.noImprovement(Monitor.VALIDATION_LOSS, 1e-4, 8))
                .fit(data);
    }

    @ParameterizedTest
    @CsvSource({"FLOAT, 1", "DOUBLE, 1", "FLOAT, 3", "DOUBLE, 2"})
    void twoRunsAreBitIdentical(Precision precision, int threads) {
        Dataset data = CheckpointTest.twoClasses();
        TinyMlp a = TinyMlp.classifier(precision, 3L);
        TinyMlp b = TinyMlp.classifier(precision, 3L);
        TrainingResult ra = run(a, data, threads, 17L, 4L);
        TrainingResult rb = run(b, data, threads, 17L, 4L);
        assertArrayEquals(a.parameters(), b.parameters());
        assertArrayEquals(ra.trainLoss(), rb.trainLoss());
        assertArrayEquals(ra.validationLoss(), rb.validationLoss());
        assertArrayEquals(ra.learningRates(), rb.learningRates());
        assertArrayEquals(ra.validationMetric(Metric.ACCURACY), rb.validationMetric(Metric.ACCURACY));
        assertEquals(ra.restoredEpoch(), rb.restoredEpoch());
        assertEquals(ra.stopReason(), rb.stopReason());

        TinyMlp c = TinyMlp.classifier(precision, 3L);
        run(c, data, threads, 18L, 4L);
        assertFalse(Arrays.equals(a.parameters(), c.parameters()), "the seed must matter");
        TinyMlp d = TinyMlp.classifier(precision, 3L);
        TrainingResult rd = run(d, data, threads, 17L, 5L);
        assertFalse(Arrays.equals(ra.validationLoss(), rd.validationLoss()), "the split seed must matter");
    }
}
