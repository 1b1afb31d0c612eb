package dev.chainrule.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.data.Dataset;
import dev.chainrule.metrics.Evaluation;
import dev.chainrule.train.Convergence;
import dev.chainrule.train.TrainingResult;
import org.junit.jupiter.api.Test;

/**
 * Parameter averaging reaches the local trainer's accuracy bar: the examples' Iris acceptance
 * test (at least 95% on the held-out 30%, same seeds, split and scaling), here with each of two
 * partitions taking 4 local steps between averages.
 */
class ParameterAveragingTest {

    @Test
    void irisReachesTheLocalTrainersBar() {
        Dataset.Split split = TestData.irisScaled();
        IrisNetwork net = new IrisNetwork(42L);
        TrainingResult result = SparkTrainer.of(net)
                .parameterAveraging(4)
                .learningRate(0.1).batchSize(16).epochs(500).seed(7L)
                .stopWhen(Convergence.noSignificantImprovement(0.001, 20))
                .fit(LocalSpark.context().parallelize(TestData.samples(split.train()), 2));
        Evaluation test = Evaluation.of(net, split.test());
        System.out.println("ParameterAveragingTest: Iris test accuracy " + test.accuracy() + " after "
                + result.epochs() + " epochs (" + result.stopReason() + ")");
        assertEquals(45, split.test().size());
        assertTrue(test.accuracy() >= 0.95, "test accuracy " + test.accuracy() + "\n" + test);
    }

    @Test
    void aRunRepeatsBitForBit() {
        // The averages are sums Spark merges in task-completion order; they must not depend on it.
        Dataset train = TestData.irisScaled().train();
        double[][] runs = new double[2][];
        for (int run = 0; run < 2; run++) {
            IrisNetwork net = new IrisNetwork(42L);
            SparkTrainer.of(net).parameterAveraging(2).learningRate(0.1).batchSize(8).epochs(3).seed(5L)
                    .fit(LocalSpark.context().parallelize(TestData.samples(train), 3));
            runs[run] = net.parameters();
        }
        SynchronousStepsTest.assertExactly(runs[0], runs[1], "two runs' parameters");
    }
}
