package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chainrule.data.Dataset;
import dev.chainrule.data.Scaler;
import dev.chainrule.data.StandardScaler;
import org.junit.jupiter.api.Test;

/** The examples' metrics, against hand-computed values and a row-by-row recomputation. */
class MetricsTest {

    @Test
    void rSquaredByHand() {
        double[] y = {1, 2, 3};
        assertEquals(1.0, Metrics.rSquared(y, new double[] {1, 2, 3}), "perfect");
        assertEquals(0.0, Metrics.rSquared(y, new double[] {2, 2, 2}), "always the mean");
        assertEquals(-3.0, Metrics.rSquared(y, new double[] {3, 2, 1}), "1 - 8/2: worse than the mean");
        assertEquals(Double.NaN, Metrics.rSquared(new double[] {4, 4}, new double[] {4, 4}), "no variance");
    }

    @Test
    void classOfIsTheArgmaxOrAHalfThreshold() {
        assertEquals(1, Metrics.classOf(new double[] {0.2, 0.7, 0.1}));
        assertEquals(0, Metrics.classOf(new double[] {0.4, 0.4, 0.2}), "ties go to the first");
        assertEquals(1, Metrics.classOf(new double[] {0.5}));
        assertEquals(0, Metrics.classOf(new double[] {0.49}));
    }

    @Test
    void classificationAgreesWithPredictingRowByRow() {
        // 1,797 rows: seven full batches of 256 and a last one of 5, so the weighting shows.
        DigitsNetwork net = new DigitsNetwork(3L);
        Dataset digits = BundledData.digits();
        Metrics.Classification result = Metrics.classify(net, digits);

        int[][] confusion = new int[10][10];
        double loss = 0;
        for (int row = 0; row < digits.size(); row++) {
            int truth = Metrics.classOf(digits.targets(row));
            double[] p = net.predict(digits.features(row));
            confusion[truth][net.predictClass(digits.features(row))]++;
            loss -= Math.log(p[truth]);
        }
        loss /= digits.size();
        assertEquals(java.util.Arrays.deepToString(confusion), java.util.Arrays.deepToString(result.confusion()));
        assertEquals(loss, result.loss(), 1e-5 * loss, "mean cross-entropy");
        assertEquals(digits.size(), result.rows());
        assertEquals((double) result.correct() / digits.size(), result.accuracy());
    }

    @Test
    void aSigmoidOutputIsClassifiedAtOneHalf() {
        BreastCancerNetwork net = new BreastCancerNetwork(5L);
        Dataset cases = BundledData.breastCancer();
        Dataset scaled = StandardScaler.fit(cases).transform(cases);
        Metrics.Classification result = Metrics.classify(net, scaled);
        int[][] confusion = new int[2][2];
        for (int row = 0; row < scaled.size(); row++) {
            double p = net.predict(scaled.features(row))[0];
            confusion[(int) scaled.targets(row)[0]][p >= 0.5 ? 1 : 0]++;
        }
        assertEquals(java.util.Arrays.deepToString(confusion), java.util.Arrays.deepToString(result.confusion()));
        assertEquals("2x2", result.confusion().length + "x" + result.confusion()[0].length);
    }

    @Test
    void regressionAgreesWithPredictingRowByRow() {
        DiabetesNetwork net = new DiabetesNetwork(11L);
        Dataset diabetes = BundledData.diabetes();
        Scaler scaler = StandardScaler.fit(diabetes);
        Dataset data = scaler.transform(diabetes);
        Metrics.Regression result = Metrics.regress(net, data);

        double squares = 0;
        double[] predicted = new double[data.size()];
        double[] actual = new double[data.size()];
        for (int row = 0; row < data.size(); row++) {
            predicted[row] = net.predict(data.features(row))[0];
            actual[row] = data.targets(row)[0];
            assertEquals(predicted[row], result.predicted()[row], 1e-4, "row " + row);
            squares += (predicted[row] - actual[row]) * (predicted[row] - actual[row]);
        }
        assertEquals(squares / data.size(), result.loss(), 1e-6 * squares / data.size(), "mean squared error");
        assertEquals(Math.sqrt(squares / data.size()), result.rootMeanSquaredError(), 1e-3);
        assertEquals(Metrics.rSquared(actual, predicted), result.rSquared(), 1e-6);
    }

    @Test
    void refusesDataThatDoesNotFit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Metrics.classify(new IrisNetwork(), BundledData.digits()));
        assertEquals("Dataset(1797 rows, 64 features, 10 targets) does not fit a network with 4 inputs and 3 outputs",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Metrics.regress(new IrisNetwork(), BundledData.iris()));
    }
}
