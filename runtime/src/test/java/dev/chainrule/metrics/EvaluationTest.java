package dev.chainrule.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Precision;
import dev.chainrule.data.Dataset;
import dev.chainrule.testing.LinearModel;
import dev.chainrule.testing.TinyMlp;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Evaluation.of and Evaluator on hand-written networks. */
class EvaluationTest {

    @Test
    void regressionOfALinearModelMatchesAHandComputation() {
        // y = 2x - 1 predicted by w = 2, b = 0: every prediction is 1 too high
        LinearModel model = new LinearModel(1, 1, Precision.DOUBLE, 0L);
        model.setParameters(new double[] {2.0, 0.0});
        Dataset data = Dataset.of(new double[][] {{0}, {1}, {2}, {3}}, new double[][] {{-1}, {1}, {3}, {5}});
        Evaluation e = Evaluation.of(model, data);
        assertEquals(Task.REGRESSION, e.task());
        assertEquals(4, e.size());
        assertEquals(1.0, e.loss());
        assertEquals(1.0, e.meanAbsoluteError());
        assertEquals(1.0, e.rootMeanSquaredError());
        // SS_res = 4, SS_tot = 9 + 1 + 1 + 9 = 20
        assertEquals(1.0 - 4.0 / 20.0, e.r2(), 1e-15);
    }

    /** {@code n} rows of three features, labelled by a linear rule; classes named when {@code names}. */
    static Dataset twoClasses(int n, boolean names) {
        SplittableRandom random = new SplittableRandom(3L);
        double[][] x = new double[n][3];
        int[] labels = new int[n];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < 3; i++) {
                x[r][i] = random.nextDouble(-1, 1);
            }
            labels[r] = x[r][0] - x[r][2] > 0 ? 1 : 0;
        }
        return names ? Dataset.ofLabels(x, labels, List.of("cat", "dog")) : Dataset.ofLabels(x, labels, 2);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void classificationAgreesWithPredictClassAndTheMeanLossOverChunks(Precision precision) {
        TinyMlp net = TinyMlp.classifier(precision, 4L);
        Dataset data = twoClasses(600, true); // three chunks: 256, 256, 88
        Evaluation e = Evaluation.of(net, data);
        assertEquals(Task.CLASSIFICATION, e.task());
        long[][] expected = new long[2][2];
        for (int r = 0; r < data.size(); r++) {
            int actual = data.targets(r)[1] > 0.5 ? 1 : 0;
            expected[actual][net.predictClass(data.features(r))]++;
        }
        assertEquals(ConfusionMatrix.of(expected, List.of("cat", "dog")), e.confusionMatrix());
        assertEquals((expected[0][0] + expected[1][1]) / 600.0, e.accuracy());
        // the loss is the size-weighted mean of the chunks' mean losses
        double weighted = 0;
        for (int from = 0; from < 600; from += Evaluator.CHUNK) {
            int size = Math.min(Evaluator.CHUNK, 600 - from);
            var step = net.newTrainingStep(size);
            for (int s = 0; s < size; s++) {
                data.loadInto(step, s, from + s, precision);
            }
            weighted += step.loss(size) * size;
        }
        assertEquals(weighted / 600, e.loss());
    }

    @Test
    void anExplicitTaskOverridesTheLoss() {
        // a one-hot classifier trained on mean squared error, the classic recipe
        TinyMlp net = new TinyMlp(Precision.DOUBLE, dev.chainrule.Loss.MEAN_SQUARED_ERROR, 2L,
                new String[] {"in", "out"}, new int[] {3, 2}, dev.chainrule.Activation.SIGMOID);
        Dataset data = twoClasses(40, false);
        assertEquals(Task.REGRESSION, Evaluation.of(net, data).task());
        Evaluation c = Evaluation.of(net, data, Task.CLASSIFICATION);
        assertEquals(Task.CLASSIFICATION, c.task());
        assertEquals(List.of("0", "1"), c.confusionMatrix().classNames());
        assertEquals(Evaluation.of(net, data).loss(), c.loss(), "the loss does not depend on the task");
    }

    @Test
    void anEvaluatorSeesTheCurrentParametersAndRepeatsExactly() {
        LinearModel model = new LinearModel(1, 1, Precision.FLOAT, 0L);
        model.setParameters(new double[] {1.0, 0.0});
        Dataset data = Dataset.of(new double[][] {{1}, {2}}, new double[][] {{1}, {2}});
        Evaluator evaluator = new Evaluator(model, data, Task.REGRESSION);
        assertEquals(0.0, evaluator.evaluate().loss());
        model.setParameters(new double[] {1.0, 0.5});
        Evaluation shifted = evaluator.evaluate();
        assertEquals(0.25, shifted.loss());
        assertEquals(0.5, shifted.meanAbsoluteError());
        assertEquals(shifted.loss(), evaluator.evaluate().loss());
        assertNotEquals(0.0, shifted.loss());
        assertEquals(data, evaluator.data());
    }

    @Test
    void rejectsADatasetOfTheWrongShape() {
        LinearModel model = new LinearModel(2, 1, Precision.DOUBLE, 0L);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Evaluation.of(model, Dataset.of(new double[][] {{1}}, new double[][] {{1}})));
        assertTrue(e.getMessage().contains("takes 2 inputs"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Evaluation.of(null, Dataset.of(new double[][] {{1}},
                new double[][] {{1}})));
    }
}
