package dev.chainrule.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Model;
import dev.chainrule.data.Dataset;
import dev.chainrule.train.Trainer;
import dev.chainrule.train.TrainingResult;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;

/**
 * Synchronous steps are the local trainer's steps: same seed, data, batch size and schedule give
 * the same parameters.
 *
 * <p><b>The tolerance, and why.</b> The local trainer (one thread) sums a batch's gradient over
 * its samples in batch order inside one step; the Spark trainer sums each partition's samples of
 * the batch in the same relative order, then adds the partitions' parts (weighted by their share
 * of the batch, as the local trainer's own threads do). Floating-point addition is not
 * associative, so the two sums differ by rounding, and each step starts from slightly different
 * parameters. Stated bound after 5 epochs of Iris (35 steps) in 2 or 3 partitions: every
 * parameter within {@code 1e-12 × max(1, |θ|)} of the local trainer's for a DOUBLE network, and
 * within {@code 1e-5 × max(1, |θ|)} for a FLOAT one. Measured: 1.1e-16 and 1.2e-7, the size of
 * one rounding in each precision, so the bounds leave a hundred- to ten-thousand-fold margin for
 * other machines and growth over the steps, while anything but rounding (another shuffle, another
 * batch, a lost or doubled part) moves parameters by 1e-3 or more. With a single partition the
 * order is the local trainer's exactly, and so are the parameters, bit for bit.
 */
class SynchronousStepsTest {

    static final double DOUBLE_TOLERANCE = 1e-12;
    static final double FLOAT_TOLERANCE = 1e-5;

    private static final int EPOCHS = 5;

    private static Trainer local(Model net) {
        return Trainer.of(net).learningRate(0.1).batchSize(16).epochs(EPOCHS).seed(7L);
    }

    private static SparkTrainer spark(Model net) {
        return SparkTrainer.of(net).learningRate(0.1).batchSize(16).epochs(EPOCHS).seed(7L);
    }

    private static JavaRDD<Sample> rdd(Dataset data, int partitions) {
        return LocalSpark.context().parallelize(TestData.samples(data), partitions);
    }

    @Test
    void onePartitionRepeatsTheLocalTrainerBitForBit() {
        Dataset train = TestData.irisScaled().train();
        IrisDoubleNetwork expected = new IrisDoubleNetwork(42L);
        TrainingResult localResult = local(expected).fit(train);
        IrisDoubleNetwork actual = new IrisDoubleNetwork(42L);
        TrainingResult sparkResult = spark(actual).fit(rdd(train, 1));

        assertExactly(expected.parameters(), actual.parameters(), "parameters");
        assertExactly(localResult.trainLoss(), sparkResult.trainLoss(), "epoch losses");
        assertEquals(EPOCHS, sparkResult.epochs());
    }

    @Test
    void onePartitionRepeatsTheLocalTrainerBitForBitInFloatWithAdam() {
        // FLOAT: the float features and targets must be the ones Dataset.prepare(FLOAT) makes, and
        // the summed gradient must come back to the float buffers unchanged. Adam: the driver's
        // step continues the optimizer state the network keeps.
        Dataset train = TestData.irisScaled().train();
        IrisNetwork expected = new IrisNetwork(42L);
        local(expected).fit(train);
        IrisNetwork actual = new IrisNetwork(42L);
        spark(actual).fit(rdd(train, 1));
        assertExactly(expected.parameters(), actual.parameters(), "FLOAT parameters");

        IrisAdamNetwork adamExpected = new IrisAdamNetwork(42L);
        local(adamExpected).learningRate(0.01).fit(train);
        IrisAdamNetwork adamActual = new IrisAdamNetwork(42L);
        spark(adamActual).learningRate(0.01).fit(rdd(train, 1));
        assertExactly(adamExpected.parameters(), adamActual.parameters(), "Adam parameters");
        assertExactly(adamExpected.optimizerState(), adamActual.optimizerState(), "Adam state");
    }

    @Test
    void clippingWeightDecayAndMomentumAreTheLocalTrainersToo() {
        // the driver clips the summed gradient and applies the network's rule with the same settings
        Dataset train = TestData.irisScaled().train();
        IrisDoubleNetwork expected = new IrisDoubleNetwork(42L);
        local(expected).epochs(2).clipGradientNorm(0.05).weightDecay(1e-3).fit(train);
        IrisDoubleNetwork actual = new IrisDoubleNetwork(42L);
        SparkTrainer trainer = spark(actual).epochs(2).clipGradientNorm(0.05).weightDecay(1e-3).momentum(0.5);
        assertEquals(0.5, trainer.updateSettings().momentum()); // kept, though plain SGD has no momentum
        trainer.fit(rdd(train, 1));
        assertExactly(expected.parameters(), actual.parameters(), "clipped, decayed parameters");
        IrisDoubleNetwork unclipped = new IrisDoubleNetwork(42L);
        spark(unclipped).epochs(2).weightDecay(1e-3).fit(rdd(train, 1));
        assertTrue(maxRelativeDifference(unclipped.parameters(), actual.parameters()) > 1e-3, "clipping mattered");
    }

    @Test
    void severalPartitionsMatchTheLocalTrainerWithinTheStatedTolerance() {
        Dataset train = TestData.irisScaled().train();
        double[] start = new IrisDoubleNetwork(42L).parameters();

        IrisDoubleNetwork expected = new IrisDoubleNetwork(42L);
        TrainingResult localResult = local(expected).fit(train);
        for (int partitions : List.of(2, 3)) {
            IrisDoubleNetwork actual = new IrisDoubleNetwork(42L);
            TrainingResult sparkResult = spark(actual).fit(rdd(train, partitions));
            double difference = maxRelativeDifference(expected.parameters(), actual.parameters());
            System.out.printf("SynchronousStepsTest: DOUBLE, %d partitions: largest parameter difference %.3g%n",
                    partitions, difference);
            assertTrue(difference <= DOUBLE_TOLERANCE, partitions + " partitions: " + difference);
            assertTrue(maxRelativeDifference(localResult.trainLoss(), sparkResult.trainLoss()) <= DOUBLE_TOLERANCE);
        }
        // Not vacuous: training moved the parameters far more than the tolerance.
        assertTrue(maxRelativeDifference(start, expected.parameters()) > 1e-2);

        IrisNetwork floatExpected = new IrisNetwork(42L);
        local(floatExpected).fit(train);
        IrisNetwork floatActual = new IrisNetwork(42L);
        spark(floatActual).fit(rdd(train, 2));
        double difference = maxRelativeDifference(floatExpected.parameters(), floatActual.parameters());
        System.out.printf("SynchronousStepsTest: FLOAT, 2 partitions: largest parameter difference %.3g%n", difference);
        assertTrue(difference <= FLOAT_TOLERANCE, "FLOAT: " + difference);
    }

    @Test
    void anotherSeedGivesOtherParameters() {
        // The comparison above can fail: a different batch schedule is far outside the tolerance.
        Dataset train = TestData.irisScaled().train();
        IrisDoubleNetwork expected = new IrisDoubleNetwork(42L);
        local(expected).fit(train);
        IrisDoubleNetwork actual = new IrisDoubleNetwork(42L);
        spark(actual).seed(8L).fit(rdd(train, 2));
        assertTrue(maxRelativeDifference(expected.parameters(), actual.parameters()) > 1e3 * DOUBLE_TOLERANCE);
    }

    /** The largest {@code |a − b| / max(1, |a|)} over the elements. */
    static double maxRelativeDifference(double[] a, double[] b) {
        assertEquals(a.length, b.length, "lengths");
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1.0, Math.abs(a[i])));
        }
        return worst;
    }

    /** Equal as numbers (so 0.0 equals -0.0, which a sum starting from zero may turn one into). */
    static void assertExactly(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": lengths");
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) {
                throw new AssertionError(what + " differ first at index " + i + ": expected " + expected[i]
                        + " but was " + actual[i] + " (difference " + (actual[i] - expected[i]) + ")");
            }
        }
    }
}
