package dev.chainrule.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Loss;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MetricAccumulator, Evaluation's accessors and ConfusionMatrix against values computed by hand. */
class MetricsTest {

    private static Evaluation accumulate(Task task, int outputs, List<String> names, double[][] out, double[][] y) {
        MetricAccumulator a = new MetricAccumulator(task, outputs, names);
        for (int i = 0; i < out.length; i++) {
            a.add(out[i], y[i]);
        }
        return a.result(0.25);
    }

    @Test
    void softmaxClassificationTakesTheArgmaxOfOutputsAndTargets() {
        double[][] out = {{0.7, 0.2, 0.1}, {0.1, 0.6, 0.3}, {0.2, 0.3, 0.5}, {0.3, 0.4, 0.3}, {0.5, 0.1, 0.4},
            {0.4, 0.4, 0.2}};
        double[][] y = {{1, 0, 0}, {0, 0, 1}, {0, 0, 1}, {0, 1, 0}, {0, 1, 0}, {0.1, 0.8, 0.1}};
        // predicted 0, 1, 2, 1, 0, 0 (the tie goes to the lower index); actual 0, 2, 2, 1, 1, 1
        Evaluation e = accumulate(Task.CLASSIFICATION, 3, List.of("a", "b", "c"), out, y);
        assertEquals(3.0 / 6.0, e.accuracy());
        assertEquals(3.0 / 6.0, e.metric(Metric.ACCURACY));
        assertEquals(0.25, e.loss());
        assertEquals(6, e.size());
        assertArrayEquals(new long[][] {{1, 0, 0}, {2, 1, 0}, {0, 1, 1}}, e.confusionMatrix().counts());
        assertEquals(List.of("a", "b", "c"), e.confusionMatrix().classNames());
        assertEquals(List.of(Metric.ACCURACY), e.metrics());
    }

    @Test
    void aSingleSigmoidOutputIsThresholdedAboveOneHalf() {
        double[][] out = {{0.9}, {0.2}, {0.5}, {0.51}, {0.1}};
        double[][] y = {{1}, {1}, {0}, {0}, {0}};
        // predicted 1, 0, 0 (0.5 is not above 0.5), 1, 0
        Evaluation e = accumulate(Task.CLASSIFICATION, 1, List.of(), out, y);
        assertEquals(3.0 / 5.0, e.accuracy());
        assertArrayEquals(new long[][] {{2, 1}, {1, 1}}, e.confusionMatrix().counts());
        assertEquals(List.of("0", "1"), e.confusionMatrix().classNames());
    }

    @Test
    void multiLabelDecidesEachOutputAndAveragesOverAllDecisions() {
        double[][] out = {{0.9, 0.1}, {0.6, 0.7}, {0.2, 0.4}};
        double[][] y = {{1, 0}, {0, 1}, {0, 1}};
        Evaluation e = accumulate(Task.MULTI_LABEL, 2, List.of(), out, y);
        assertEquals(4.0 / 6.0, e.accuracy());
        assertArrayEquals(new long[][] {{1, 1}, {0, 1}}, e.confusionMatrix(0).counts());
        assertArrayEquals(new long[][] {{1, 0}, {1, 1}}, e.confusionMatrix(1).counts());
        assertEquals(2.0 / 3.0, e.confusionMatrix(1).accuracy());
        IllegalStateException x = assertThrows(IllegalStateException.class, e::confusionMatrix);
        assertTrue(x.getMessage().contains("confusionMatrix(output)"), x.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> e.confusionMatrix(2));
    }

    @Test
    void regressionMetricsMatchAHandComputation() {
        double[][] y = {{1, 10}, {2, 20}, {3, 30}};
        double[][] out = {{1.5, 10}, {2, 18}, {2, 33}};
        // errors: output 0: 0.5, 0, -1; output 1: 0, -2, 3
        Evaluation e = accumulate(Task.REGRESSION, 2, List.of(), out, y);
        assertEquals(6.5 / 6, e.meanAbsoluteError(), 1e-15);
        assertEquals(Math.sqrt(14.25 / 6), e.rootMeanSquaredError(), 1e-15);
        // R²: output 0: 1 - 1.25 / 2 = 0.375; output 1: 1 - 13 / 200 = 0.935; mean 0.655
        assertEquals(0.655, e.r2(), 1e-15);
        assertEquals(e.r2(), e.metric(Metric.R_SQUARED));
        assertEquals(List.of(Metric.MEAN_ABSOLUTE_ERROR, Metric.ROOT_MEAN_SQUARED_ERROR, Metric.R_SQUARED),
                e.metrics());
    }

    @Test
    void rSquaredOfAConstantTargetIsOneWhenExactAndZeroOtherwise() {
        double[][] y = {{5}, {5}, {5}};
        assertEquals(1.0, accumulate(Task.REGRESSION, 1, List.of(), new double[][] {{5}, {5}, {5}}, y).r2());
        assertEquals(0.0, accumulate(Task.REGRESSION, 1, List.of(), new double[][] {{5}, {6}, {5}}, y).r2());
        // the mean of 1e9 + {1, 2, 3} is found without cancellation: SS_tot = 2 exactly
        double[][] big = {{1e9 + 1}, {1e9 + 2}, {1e9 + 3}};
        double[][] guess = {{1e9 + 2}, {1e9 + 2}, {1e9 + 2}};
        assertEquals(0.0, accumulate(Task.REGRESSION, 1, List.of(), guess, big).r2(), 1e-12);
    }

    @Test
    void resetStartsOver() {
        MetricAccumulator a = new MetricAccumulator(Task.CLASSIFICATION, 2, List.of());
        a.add(new double[] {1, 0}, new double[] {0, 1});
        a.reset();
        assertThrows(IllegalStateException.class, () -> a.result(0));
        a.add(new double[] {1, 0}, new double[] {1, 0});
        assertEquals(1, a.samples());
        assertEquals(1.0, a.result(0).accuracy());
        MetricAccumulator r = new MetricAccumulator(Task.REGRESSION, 1, List.of());
        r.add(new double[] {3}, new double[] {1});
        r.reset();
        r.add(new double[] {2}, new double[] {1});
        r.add(new double[] {0}, new double[] {1});
        assertEquals(1.0, r.result(0).meanAbsoluteError());
    }

    @Test
    void askingForAMetricTheTaskDoesNotMeasureSaysHowToGetIt() {
        Evaluation regression = accumulate(Task.REGRESSION, 1, List.of(), new double[][] {{1}}, new double[][] {{2}});
        IllegalStateException e = assertThrows(IllegalStateException.class, regression::accuracy);
        assertTrue(e.getMessage().contains("Task.CLASSIFICATION"), e.getMessage());
        assertThrows(IllegalStateException.class, regression::confusionMatrix);
        Evaluation classifier = accumulate(Task.CLASSIFICATION, 2, List.of(), new double[][] {{1, 0}},
                new double[][] {{1, 0}});
        e = assertThrows(IllegalStateException.class, classifier::r2);
        assertTrue(e.getMessage().contains("Task.REGRESSION"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> classifier.metric(Metric.MEAN_ABSOLUTE_ERROR));
        assertThrows(IllegalStateException.class, () -> classifier.confusionMatrix(0));
        assertThrows(IllegalArgumentException.class, () -> new MetricAccumulator(Task.CLASSIFICATION, 3, List.of("a")));
        assertThrows(IllegalArgumentException.class, () -> new MetricAccumulator(Task.REGRESSION, 0, List.of()));
    }

    @Test
    void theTaskFollowsTheLoss() {
        assertEquals(Task.CLASSIFICATION, Task.forLoss(Loss.CATEGORICAL_CROSS_ENTROPY, 3));
        assertEquals(Task.CLASSIFICATION, Task.forLoss(Loss.BINARY_CROSS_ENTROPY, 1));
        assertEquals(Task.MULTI_LABEL, Task.forLoss(Loss.BINARY_CROSS_ENTROPY, 4));
        assertEquals(Task.REGRESSION, Task.forLoss(Loss.MEAN_SQUARED_ERROR, 1));
        assertEquals(Task.REGRESSION, Task.forLoss(Loss.MEAN_SQUARED_ERROR, 3));
        assertEquals(List.of(Metric.ACCURACY), Task.MULTI_LABEL.metrics());
    }

    @Test
    void summaryAndReportShowTheNumbers() {
        Evaluation c = accumulate(Task.CLASSIFICATION, 2, List.of("no", "yes"),
                new double[][] {{0.8, 0.2}, {0.3, 0.7}, {0.6, 0.4}}, new double[][] {{1, 0}, {0, 1}, {0, 1}});
        assertEquals("loss 0.250000  accuracy 0.6667", c.summary());
        assertEquals("CLASSIFICATION of 3 samples: loss 0.250000  accuracy 0.6667 (2/3 right)\n"
                + "actual \\ predicted  no  yes\n"
                + "no                   1    0\n"
                + "yes                  1    1", c.toString());
        Evaluation r = accumulate(Task.REGRESSION, 1, List.of(), new double[][] {{1}, {3}}, new double[][] {{2}, {2}});
        assertEquals("REGRESSION of 2 samples: loss 0.250000  mae 1.000000  rmse 1.000000  r2 0.0000", r.toString());
        assertTrue(accumulate(Task.MULTI_LABEL, 2, List.of(), new double[][] {{1, 0}}, new double[][] {{1, 1}})
                .toString().contains("output 1: accuracy 0.0000\n"));
    }
}
