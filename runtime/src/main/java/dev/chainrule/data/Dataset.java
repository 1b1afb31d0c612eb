package dev.chainrule.data;

import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * An immutable table of samples: each row has {@link #featureCount()} features and
 * {@link #targetCount()} targets.
 *
 * <p>Rows live in two flat, row-major {@code double[]} arrays, so that a trainer can copy a row
 * into a {@link TrainingStep} slot with one call and no allocation ({@link #loadInto}). FLOAT
 * networks read a {@code float[]} copy of both arrays, made once, on first use, and then shared
 * by every trainer that reads this dataset.
 *
 * <p>Every value is finite: the factories reject NaN and infinities up front, because one of them
 * in the data turns a whole training run into NaN far from its cause.
 */
public final class Dataset {

    /** The {@code float} copy for FLOAT networks; both arrays are created together. */
    private record FloatCopy(float[] features, float[] targets) {}

    private final int size;
    private final int featureCount;
    private final int targetCount;
    private final double[] features;
    private final double[] targets;

    private final Object floatLock = new Object();
    private volatile FloatCopy floatCopy;

    private Dataset(int size, int featureCount, int targetCount, double[] features, double[] targets) {
        this.size = size;
        this.featureCount = featureCount;
        this.targetCount = targetCount;
        this.features = features;
        this.targets = targets;
    }

    /**
     * Builds a dataset from one array of features and one of targets per row, copying both (the
     * caller's arrays may change afterwards).
     *
     * @throws IllegalArgumentException if there are no rows, the two arrays have different
     *     numbers of rows, a row's width differs from the first row's, rows have no columns, or a
     *     value is NaN or infinite; the message names the row (and column)
     */
    public static Dataset of(double[][] features, double[][] targets) {
        Objects.requireNonNull(features, "features is null");
        Objects.requireNonNull(targets, "targets is null");
        if (features.length == 0) {
            throw new IllegalArgumentException("a dataset needs at least one row; features has none");
        }
        if (features.length != targets.length) {
            throw new IllegalArgumentException("features has " + features.length
                    + " rows but targets has " + targets.length + "; they must have one row per sample");
        }
        int n = features.length;
        int featureCount = width(features, "features");
        int targetCount = width(targets, "targets");
        return new Dataset(n, featureCount, targetCount,
                flatten(features, featureCount, "features"), flatten(targets, targetCount, "targets"));
    }

    /**
     * Builds a classification dataset whose targets are the one-hot encoding of {@code labels}:
     * row {@code i} gets a 1 in column {@code labels[i]} and 0 elsewhere, the form categorical
     * cross-entropy expects.
     *
     * @throws IllegalArgumentException if {@code classCount < 1}, the label count differs from
     *     the row count, a label is outside {@code 0..classCount-1} (the message names the row),
     *     or the features are invalid as for {@link #of}
     */
    public static Dataset ofLabels(double[][] features, int[] labels, int classCount) {
        Objects.requireNonNull(features, "features is null");
        Objects.requireNonNull(labels, "labels is null");
        if (classCount < 1) {
            throw new IllegalArgumentException("classCount is " + classCount + ", must be at least 1");
        }
        if (features.length == 0) {
            throw new IllegalArgumentException("a dataset needs at least one row; features has none");
        }
        if (features.length != labels.length) {
            throw new IllegalArgumentException("features has " + features.length
                    + " rows but labels has " + labels.length + "; they must have one label per row");
        }
        int n = features.length;
        double[] oneHot = new double[Math.multiplyExact(n, classCount)];
        for (int i = 0; i < n; i++) {
            int label = labels[i];
            if (label < 0 || label >= classCount) {
                throw new IllegalArgumentException("label " + label + " of row " + i
                        + " is outside 0.." + (classCount - 1) + " (classCount " + classCount + ")");
            }
            oneHot[i * classCount + label] = 1.0;
        }
        int featureCount = width(features, "features");
        return new Dataset(n, featureCount, classCount, flatten(features, featureCount, "features"), oneHot);
    }

    private static int width(double[][] rows, String what) {
        if (rows[0] == null) {
            throw new IllegalArgumentException(what + " row 0 is null");
        }
        int width = rows[0].length;
        if (width == 0) {
            throw new IllegalArgumentException(what + " row 0 is empty; every row needs at least one value");
        }
        for (int i = 1; i < rows.length; i++) {
            if (rows[i] == null) {
                throw new IllegalArgumentException(what + " row " + i + " is null");
            }
            if (rows[i].length != width) {
                throw new IllegalArgumentException(what + " row " + i + " has " + rows[i].length
                        + " values, expected " + width + " (the width of row 0)");
            }
        }
        return width;
    }

    private static double[] flatten(double[][] rows, int width, String what) {
        double[] flat = new double[Math.multiplyExact(rows.length, width)];
        for (int i = 0; i < rows.length; i++) {
            double[] row = rows[i];
            for (int j = 0; j < width; j++) {
                double v = row[j];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(what + " row " + i + ", column " + j + " is " + v
                            + "; every value must be finite");
                }
                flat[i * width + j] = v;
            }
        }
        return flat;
    }

    /** The number of rows (samples). */
    public int size() {
        return size;
    }

    /** The number of features per row, which must equal the network's input size. */
    public int featureCount() {
        return featureCount;
    }

    /** The number of targets per row, which must equal the network's output size. */
    public int targetCount() {
        return targetCount;
    }

    /** A copy of one row's features, for inspection; training reads the rows through {@link #loadInto}. */
    public double[] features(int row) {
        Objects.checkIndex(row, size);
        return Arrays.copyOfRange(features, row * featureCount, (row + 1) * featureCount);
    }

    /** A copy of one row's targets, for inspection; training reads the rows through {@link #loadInto}. */
    public double[] targets(int row) {
        Objects.checkIndex(row, size);
        return Arrays.copyOfRange(targets, row * targetCount, (row + 1) * targetCount);
    }

    /**
     * Copies one row into a slot of a training step without allocating, in the network's own
     * precision: FLOAT networks get the cached {@code float} copy (made on the first call), so no
     * value is converted per sample.
     *
     * @throws IndexOutOfBoundsException if {@code row} is not a row of this dataset
     * @throws IllegalArgumentException for FLOAT, if a value is too large for a {@code float}
     */
    public void loadInto(TrainingStep step, int slot, int row, Precision precision) {
        Objects.checkIndex(row, size);
        if (precision == Precision.FLOAT) {
            FloatCopy copy = floatCopy();
            step.load(slot, copy.features, row * featureCount, copy.targets, row * targetCount);
        } else {
            step.load(slot, features, row * featureCount, targets, row * targetCount);
        }
    }

    /**
     * Makes the {@code float} copy now rather than on the first {@link #loadInto} for a FLOAT
     * network, so that its cost (and any too-large-for-float error) shows up at a predictable
     * point. Does nothing for DOUBLE or if the copy already exists.
     */
    public void prepare(Precision precision) {
        if (precision == Precision.FLOAT) {
            floatCopy();
        }
    }

    /**
     * Splits the rows at random into a training and a test part. The rows are shuffled with a
     * Fisher–Yates shuffle driven by {@code new SplittableRandom(seed)} (for {@code i} from
     * {@code size-1} down to 1, swap {@code i} with {@code nextInt(i + 1)}); the first
     * {@code round(trainFraction × size)} shuffled rows form the training part, in shuffled
     * order, and the rest the test part. The same seed always gives the same split.
     *
     * @throws IllegalArgumentException if {@code trainFraction} is not strictly between 0 and 1,
     *     or if either part would be empty
     */
    public Split split(double trainFraction, long seed) {
        if (!(trainFraction > 0.0 && trainFraction < 1.0)) {
            throw new IllegalArgumentException(
                    "trainFraction is " + trainFraction + ", must be strictly between 0 and 1");
        }
        long trainRows = Math.round(trainFraction * size);
        if (trainRows < 1 || trainRows > size - 1) {
            throw new IllegalArgumentException("split(" + trainFraction + ") of " + size + " rows would leave the "
                    + (trainRows < 1 ? "training" : "test") + " part empty; both parts need at least one row");
        }
        int[] order = permutation(size, new SplittableRandom(seed));
        int cut = (int) trainRows;
        return new Split(subset(Arrays.copyOfRange(order, 0, cut)), subset(Arrays.copyOfRange(order, cut, size)));
    }

    /**
     * The rows at the given indices, in that order. An index may repeat (a bootstrap sample).
     *
     * @throws IllegalArgumentException if {@code rows} is empty
     * @throws IndexOutOfBoundsException if an index is not a row of this dataset
     */
    public Dataset subset(int[] rows) {
        Objects.requireNonNull(rows, "rows is null");
        if (rows.length == 0) {
            throw new IllegalArgumentException("a dataset needs at least one row; the subset has none");
        }
        double[] f = new double[Math.multiplyExact(rows.length, featureCount)];
        double[] t = new double[Math.multiplyExact(rows.length, targetCount)];
        for (int i = 0; i < rows.length; i++) {
            int row = Objects.checkIndex(rows[i], size);
            System.arraycopy(features, row * featureCount, f, i * featureCount, featureCount);
            System.arraycopy(targets, row * targetCount, t, i * targetCount, targetCount);
        }
        return new Dataset(rows.length, featureCount, targetCount, f, t);
    }

    /** The same rows in a seeded random order, shuffled as {@link #split} shuffles. */
    public Dataset shuffled(long seed) {
        return subset(permutation(size, new SplittableRandom(seed)));
    }

    /** A Fisher–Yates shuffle of {@code 0..n-1}; the trainer's per-epoch order uses the same algorithm. */
    static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }

    /** The features, flat and row-major; not a copy. */
    double[] featureArray() {
        return features;
    }

    /** The targets, flat and row-major; not a copy. */
    double[] targetArray() {
        return targets;
    }

    /** The cached {@code float} features, created on first use; not a copy. */
    float[] floatFeatureArray() {
        return floatCopy().features;
    }

    /** The cached {@code float} targets, created on first use; not a copy. */
    float[] floatTargetArray() {
        return floatCopy().targets;
    }

    private FloatCopy floatCopy() {
        FloatCopy copy = floatCopy;
        if (copy == null) {
            synchronized (floatLock) {
                copy = floatCopy;
                if (copy == null) {
                    copy = new FloatCopy(toFloat(features, featureCount, "features"),
                            toFloat(targets, targetCount, "targets"));
                    floatCopy = copy;
                }
            }
        }
        return copy;
    }

    private static float[] toFloat(double[] values, int width, String what) {
        float[] out = new float[values.length];
        for (int k = 0; k < values.length; k++) {
            float f = (float) values[k];
            if (Float.isInfinite(f)) {
                throw new IllegalArgumentException(what + " row " + (k / width) + ", column " + (k % width)
                        + " is " + values[k] + ", too large for a FLOAT network");
            }
            out[k] = f;
        }
        return out;
    }

    /** Describes the shape, for logs: {@code Dataset(150 rows, 4 features, 3 targets)}. */
    @Override
    public String toString() {
        return "Dataset(" + size + (size == 1 ? " row, " : " rows, ")
                + featureCount + (featureCount == 1 ? " feature, " : " features, ")
                + targetCount + (targetCount == 1 ? " target)" : " targets)");
    }

    /**
     * The two parts of a {@link #split}.
     *
     * @param train the rows to train on
     * @param test the held-out rows to measure on
     */
    public record Split(Dataset train, Dataset test) {

        /** Checks that both parts are present. */
        public Split {
            Objects.requireNonNull(train, "train");
            Objects.requireNonNull(test, "test");
        }
    }
}
