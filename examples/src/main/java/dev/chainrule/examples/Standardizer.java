package dev.chainrule.examples;

import dev.chainrule.data.Dataset;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Feature standardisation (z-scores), as scikit-learn's {@code StandardScaler} does it: each
 * feature becomes {@code (x - mean) / std}, with the mean and the population standard deviation
 * measured on the training data only and then applied unchanged to every other split and to
 * new inputs (so no information about the test rows leaks into training). A feature that is
 * constant in the training data is only centred.
 */
public final class Standardizer {

    private final double[] mean;
    private final double[] scale;

    private Standardizer(double[] mean, double[] scale) {
        this.mean = mean;
        this.scale = scale;
    }

    /** Measures the mean and standard deviation of every feature of {@code train}. */
    public static Standardizer fit(Dataset train) {
        Objects.requireNonNull(train, "train");
        int n = train.size();
        int width = train.featureCount();
        double[] mean = new double[width];
        for (int row = 0; row < n; row++) {
            double[] x = train.features(row);
            for (int j = 0; j < width; j++) {
                mean[j] += x[j];
            }
        }
        for (int j = 0; j < width; j++) {
            mean[j] /= n;
        }
        double[] scale = new double[width];
        for (int row = 0; row < n; row++) {
            double[] x = train.features(row);
            for (int j = 0; j < width; j++) {
                double d = x[j] - mean[j];
                scale[j] += d * d;
            }
        }
        for (int j = 0; j < width; j++) {
            double std = Math.sqrt(scale[j] / n);
            scale[j] = std > 0.0 ? std : 1.0;
        }
        return new Standardizer(mean, scale);
    }

    /** The standardised copy of one input (for example a new sample to predict). */
    public double[] transform(double[] features) {
        if (features.length != mean.length) {
            throw new IllegalArgumentException("the input has " + features.length + " features, the scaler was fitted on "
                    + mean.length);
        }
        double[] out = new double[features.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = (features[j] - mean[j]) / scale[j];
        }
        return out;
    }

    /** A copy of {@code data} with standardised features and the same targets. */
    public Dataset transform(Dataset data) {
        int n = data.size();
        double[][] features = new double[n][];
        double[][] targets = new double[n][];
        for (int row = 0; row < n; row++) {
            features[row] = transform(data.features(row));
            targets[row] = data.targets(row);
        }
        return Dataset.of(features, targets);
    }

    /** The mean of each feature in the training data. */
    public double[] mean() {
        return mean.clone();
    }

    /** The standard deviation of each feature in the training data (1 for a constant feature). */
    public double[] scale() {
        return scale.clone();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Standardizer(mean %s, std %s)", Arrays.toString(mean), Arrays.toString(scale));
    }
}
