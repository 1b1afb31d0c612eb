package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainrule.data.Dataset;
import org.junit.jupiter.api.Test;

class StandardizerTest {

    @Test
    void fitsOnTheTrainingRowsOnly() {
        Dataset train = Dataset.of(new double[][] {{1, 10}, {3, 10}}, new double[][] {{0}, {1}});
        Dataset test = Dataset.of(new double[][] {{5, 20}}, new double[][] {{1}});
        Standardizer scaler = Standardizer.fit(train);

        assertArrayEquals(new double[] {2, 10}, scaler.mean());
        assertArrayEquals(new double[] {1, 1}, scaler.scale(), "population std; a constant column keeps scale 1");
        assertArrayEquals(new double[] {-1, 0}, scaler.transform(train).features(0));
        assertArrayEquals(new double[] {1, 0}, scaler.transform(train).features(1));
        // The test row is scaled with the training statistics, not its own.
        assertArrayEquals(new double[] {3, 10}, scaler.transform(test).features(0));
        assertArrayEquals(new double[] {1}, scaler.transform(test).targets(0));
    }

    @Test
    void givesZeroMeanUnitVarianceOnIris() {
        Dataset iris = BundledData.iris();
        Dataset scaled = Standardizer.fit(iris).transform(iris);
        for (int j = 0; j < scaled.featureCount(); j++) {
            double sum = 0;
            double squares = 0;
            for (int row = 0; row < scaled.size(); row++) {
                double v = scaled.features(row)[j];
                sum += v;
                squares += v * v;
            }
            assertEquals(0.0, sum / scaled.size(), 1e-12, "mean of feature " + j);
            assertEquals(1.0, squares / scaled.size(), 1e-12, "variance of feature " + j);
        }
    }
}
