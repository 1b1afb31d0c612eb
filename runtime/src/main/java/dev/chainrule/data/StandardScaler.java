package dev.chainrule.data;

import dev.chainrule.internal.Checks;
import java.util.Objects;

/**
 * Standardisation: each feature becomes {@code (x - mean) / standardDeviation}, with the mean and
 * the population standard deviation (dividing by {@code n}, as scikit-learn's
 * {@code StandardScaler}) of the training rows. A constant feature gets a standard deviation of 1
 * (so it becomes 0 rather than NaN), again as scikit-learn does. The usual choice for tanh and
 * ReLU networks.
 */
public final class StandardScaler implements Scaler {

    private final double[] mean;
    private final double[] std;

    private StandardScaler(double[] mean, double[] std) {
        this.mean = mean;
        this.std = std;
    }

    /**
     * Fits the scaler on {@code train}: the mean and population standard deviation of each
     * feature, computed in two passes (mean first, then squared deviations) so that large,
     * nearly constant features do not lose their variance to cancellation.
     */
    public static StandardScaler fit(Dataset train) {
        Objects.requireNonNull(train, "train is null");
        int n = train.size();
        int width = train.featureCount();
        double[] x = train.featureArray();
        double[] mean = new double[width];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < width; j++) {
                mean[j] += x[r * width + j];
            }
        }
        for (int j = 0; j < width; j++) {
            mean[j] /= n;
        }
        double[] std = new double[width];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < width; j++) {
                double d = x[r * width + j] - mean[j];
                std[j] += d * d;
            }
        }
        for (int j = 0; j < width; j++) {
            double s = Math.sqrt(std[j] / n);
            std[j] = s > 0.0 && Double.isFinite(s) ? s : 1.0;
        }
        return new StandardScaler(mean, std);
    }

    /**
     * A scaler with the given statistics, for one fitted elsewhere or read back from a file.
     *
     * @throws IllegalArgumentException if the arrays are empty or differ in length, a mean is not
     *     finite, or a standard deviation is not finite and positive
     */
    public static StandardScaler of(double[] means, double[] standardDeviations) {
        Objects.requireNonNull(means, "means is null");
        Checks.requireLength(standardDeviations, means.length, "standardDeviations");
        if (means.length == 0) {
            throw new IllegalArgumentException("a scaler needs at least one feature");
        }
        for (int j = 0; j < means.length; j++) {
            if (!Double.isFinite(means[j])) {
                throw new IllegalArgumentException("mean of feature " + j + " is " + means[j] + ", must be finite");
            }
            if (!(standardDeviations[j] > 0.0 && Double.isFinite(standardDeviations[j]))) {
                throw new IllegalArgumentException("standard deviation of feature " + j + " is "
                        + standardDeviations[j] + ", must be finite and positive");
            }
        }
        return new StandardScaler(means.clone(), standardDeviations.clone());
    }

    /** A copy of the mean of each feature on the training rows. */
    public double[] means() {
        return mean.clone();
    }

    /** A copy of the divisor of each feature: its standard deviation, or 1 for a constant feature. */
    public double[] standardDeviations() {
        return std.clone();
    }

    @Override
    public int featureCount() {
        return mean.length;
    }

    @Override
    public void transformInPlace(double[] features) {
        Checks.requireLength(features, mean.length, "features");
        for (int j = 0; j < mean.length; j++) {
            features[j] = (features[j] - mean[j]) / std[j];
        }
    }

    @Override
    public Dataset transform(Dataset data) {
        Objects.requireNonNull(data, "data is null");
        requireWidth(data.featureCount(), mean.length);
        double[] x = data.featureArray().clone();
        int width = mean.length;
        for (int k = 0; k < x.length; k++) {
            int j = k % width;
            x[k] = (x[k] - mean[j]) / std[j];
        }
        return data.withFeatures(x);
    }

    static void requireWidth(int featureCount, int scalerWidth) {
        if (featureCount != scalerWidth) {
            throw new IllegalArgumentException("the dataset has " + featureCount + " features, but the scaler was"
                    + " fitted on " + scalerWidth);
        }
    }

    /** The kind and size, for logs: {@code StandardScaler(4 features)}. */
    @Override
    public String toString() {
        return "StandardScaler(" + mean.length + (mean.length == 1 ? " feature)" : " features)");
    }
}
