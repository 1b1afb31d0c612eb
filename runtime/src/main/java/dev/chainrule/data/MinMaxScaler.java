package dev.chainrule.data;

import dev.chainrule.internal.Checks;
import java.util.Objects;

/**
 * Min-max scaling: each feature is mapped linearly so that its training minimum becomes
 * {@code low} and its training maximum {@code high} (by default 0 and 1), as
 * {@code low + (x - min) × f} with {@code f = (high - low) / (max - min)} computed once per
 * feature. A constant feature has
 * {@code max - min} taken as 1, so it maps to {@code low}. Values outside the training range map
 * outside {@code [low, high]}: nothing is clipped (scikit-learn's {@code MinMaxScaler} default).
 * The natural choice for bounded data such as pixel intensities.
 */
public final class MinMaxScaler implements Scaler {

    private final double[] min;
    private final double[] max;
    private final double low;
    private final double high;
    /** {@code (high - low) / (max - min)} per feature, with a zero range taken as 1. */
    private final double[] factor;

    private MinMaxScaler(double[] min, double[] max, double low, double high) {
        this.min = min;
        this.max = max;
        this.low = low;
        this.high = high;
        this.factor = new double[min.length];
        for (int j = 0; j < min.length; j++) {
            double range = max[j] - min[j];
            factor[j] = (high - low) / (range > 0.0 ? range : 1.0);
        }
    }

    /** Fits the scaler on {@code train}, mapping each feature's range to {@code [0, 1]}. */
    public static MinMaxScaler fit(Dataset train) {
        return fit(train, 0.0, 1.0);
    }

    /**
     * Fits the scaler on {@code train}, mapping each feature's range to {@code [low, high]}
     * (for example {@code [-1, 1]} for tanh units).
     *
     * @throws IllegalArgumentException unless {@code low < high}, both finite
     */
    public static MinMaxScaler fit(Dataset train, double low, double high) {
        Objects.requireNonNull(train, "train is null");
        checkRange(low, high);
        int width = train.featureCount();
        double[] x = train.featureArray();
        double[] min = new double[width];
        double[] max = new double[width];
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (int k = 0; k < x.length; k++) {
            int j = k % width;
            min[j] = Math.min(min[j], x[k]);
            max[j] = Math.max(max[j], x[k]);
        }
        return new MinMaxScaler(min, max, low, high);
    }

    /**
     * A scaler with the given ranges, for one fitted elsewhere or read back from a file.
     *
     * @throws IllegalArgumentException if the arrays are empty or differ in length, a value is not
     *     finite, a minimum exceeds its maximum, or not {@code low < high}
     */
    public static MinMaxScaler of(double[] minimums, double[] maximums, double low, double high) {
        Objects.requireNonNull(minimums, "minimums is null");
        Checks.requireLength(maximums, minimums.length, "maximums");
        checkRange(low, high);
        if (minimums.length == 0) {
            throw new IllegalArgumentException("a scaler needs at least one feature");
        }
        for (int j = 0; j < minimums.length; j++) {
            if (!Double.isFinite(minimums[j]) || !Double.isFinite(maximums[j]) || minimums[j] > maximums[j]) {
                throw new IllegalArgumentException("feature " + j + " has minimum " + minimums[j] + " and maximum "
                        + maximums[j] + "; both must be finite, the minimum not above the maximum");
            }
        }
        return new MinMaxScaler(minimums.clone(), maximums.clone(), low, high);
    }

    private static void checkRange(double low, double high) {
        if (!(Double.isFinite(low) && Double.isFinite(high) && low < high)) {
            throw new IllegalArgumentException("the target range is [" + low + ", " + high
                    + "]; need finite low < high");
        }
    }

    /** A copy of each feature's minimum on the training rows. */
    public double[] minimums() {
        return min.clone();
    }

    /** A copy of each feature's maximum on the training rows. */
    public double[] maximums() {
        return max.clone();
    }

    /** The value a feature's training minimum maps to. */
    public double low() {
        return low;
    }

    /** The value a feature's training maximum maps to. */
    public double high() {
        return high;
    }

    @Override
    public int featureCount() {
        return min.length;
    }

    @Override
    public void transformInPlace(double[] features) {
        Checks.requireLength(features, min.length, "features");
        for (int j = 0; j < min.length; j++) {
            features[j] = low + (features[j] - min[j]) * factor[j];
        }
    }

    @Override
    public Dataset transform(Dataset data) {
        Objects.requireNonNull(data, "data is null");
        StandardScaler.requireWidth(data.featureCount(), min.length);
        double[] x = data.featureArray().clone();
        int width = min.length;
        for (int k = 0; k < x.length; k++) {
            int j = k % width;
            x[k] = low + (x[k] - min[j]) * factor[j];
        }
        return data.withFeatures(x);
    }

    /** The kind, size and range, for logs: {@code MinMaxScaler(784 features to [0.0, 1.0])}. */
    @Override
    public String toString() {
        return "MinMaxScaler(" + min.length + (min.length == 1 ? " feature" : " features") + " to [" + low + ", "
                + high + "])";
    }
}
