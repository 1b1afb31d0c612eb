package dev.chainrule.data;

import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
    private final List<String> featureNames;
    private final List<String> classNames;

    private final Object floatLock = new Object();
    private volatile FloatCopy floatCopy;
    private volatile double[] featureMaxAbs;

    private Dataset(int size, int featureCount, int targetCount, double[] features, double[] targets) {
        this(size, featureCount, targetCount, features, targets, List.of(), List.of());
    }

    private Dataset(int size, int featureCount, int targetCount, double[] features, double[] targets,
            List<String> featureNames, List<String> classNames) {
        this.size = size;
        this.featureCount = featureCount;
        this.targetCount = targetCount;
        this.features = features;
        this.targets = targets;
        this.featureNames = featureNames;
        this.classNames = classNames;
    }

    /**
     * Builds a dataset from flat row-major arrays that the caller hands over (they are not
     * copied), checking that every value is finite. For the CSV reader and the scalers.
     */
    static Dataset ofFlat(int size, int featureCount, int targetCount, double[] features, double[] targets,
            List<String> featureNames, List<String> classNames) {
        if (size < 1) {
            throw new IllegalArgumentException("a dataset needs at least one row; it has none");
        }
        checkFinite(features, featureCount, "features");
        checkFinite(targets, targetCount, "targets");
        return new Dataset(size, featureCount, targetCount, features, targets,
                List.copyOf(featureNames), checkClassNames(List.copyOf(classNames), targetCount));
    }

    private static void checkFinite(double[] values, int width, String what) {
        for (int k = 0; k < values.length; k++) {
            if (!Double.isFinite(values[k])) {
                throw new IllegalArgumentException(what + " row " + (k / width) + ", column " + (k % width) + " is "
                        + values[k] + "; every value must be finite");
            }
        }
    }

    private static List<String> checkClassNames(List<String> names, int targetCount) {
        if (names.isEmpty()) {
            return names;
        }
        boolean oneHot = names.size() == targetCount && targetCount >= 2;
        boolean binary = names.size() == 2 && targetCount == 1;
        if (!oneHot && !binary) {
            throw new IllegalArgumentException(names.size() + " class names do not fit " + targetCount
                    + " targets: give one name per one-hot target column, or two names for a single 0/1 target");
        }
        if (new java.util.HashSet<>(names).size() != names.size()) {
            throw new IllegalArgumentException("class names must be distinct: " + names);
        }
        return names;
    }

    /**
     * Reads a dataset from a CSV file; see {@link CsvOption} for the choices (header, delimiter,
     * feature and target columns, class labels) and their defaults. A file whose first two bytes
     * are the gzip magic is decompressed on the fly, so {@code mnist_train.csv.gz} is read as is.
     *
     * <p>Parsing is strict: a malformed number, a missing value, a wrong number of columns or an
     * unknown column name throws a {@link CsvFormatException} that names the file, the line and
     * the column (both counted from 1, as an editor shows them) and what was found, unless
     * {@link CsvOption#skipBadRows()} asks to skip such rows.
     *
     * <pre>{@code
     * Dataset iris = Dataset.fromCsv(Path.of("iris.csv"), CsvOption.classLabel("label"));
     * Dataset diabetes = Dataset.fromCsv(Path.of("diabetes.csv"), CsvOption.targets("target"));
     * }</pre>
     *
     * @throws CsvFormatException if the file does not parse as the options describe
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if the options contradict each other (two delimiters, a
     *     column that is both a feature and a target, no target column chosen)
     */
    public static Dataset fromCsv(Path path, CsvOption... options) throws IOException {
        Objects.requireNonNull(path, "path is null");
        return CsvLoader.load(path, CsvOption.Settings.of(options));
    }

    /**
     * Reads a dataset from CSV text, for data that is not a plain file (a class-path resource, a
     * download, a string in a test). {@code source} names the data in error messages. The reader
     * is read to its end but not closed.
     *
     * @throws CsvFormatException if the text does not parse as the options describe
     * @throws IOException if reading fails
     * @see #fromCsv(Path, CsvOption...)
     */
    public static Dataset fromCsv(Reader reader, String source, CsvOption... options) throws IOException {
        Objects.requireNonNull(reader, "reader is null");
        Objects.requireNonNull(source, "source is null");
        return CsvLoader.load(reader, source, CsvOption.Settings.of(options));
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

    /**
     * Like {@link #ofLabels(double[][], int[], int)}, with a name for each class, so that
     * predictions and reports can say {@code "versicolor"} instead of {@code 1}. Class {@code i}
     * is {@code classNames.get(i)}.
     *
     * @throws IllegalArgumentException as {@link #ofLabels(double[][], int[], int)} does, or if the
     *     names are fewer than two or not distinct
     */
    public static Dataset ofLabels(double[][] features, int[] labels, List<String> classNames) {
        Objects.requireNonNull(classNames, "classNames is null");
        Dataset d = ofLabels(features, labels, classNames.size());
        return new Dataset(d.size, d.featureCount, d.targetCount, d.features, d.targets, List.of(),
                checkClassNames(List.copyOf(classNames), d.targetCount));
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

    /**
     * The names of the feature columns, in order (from a CSV header), or an empty list when the
     * features are unnamed. Messages about a feature use its name when there is one.
     */
    public List<String> featureNames() {
        return featureNames;
    }

    /**
     * The names of the classes of a classification dataset: class {@code i} is
     * {@code classNames().get(i)}, the one-hot target column {@code i} (or, for a single 0/1
     * target, the target value {@code i}). String labels read from CSV are sorted, numeric ones
     * ordered by value. Empty when the targets are not classes or the classes have no names.
     */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * The largest absolute value of each feature column. A cheap look at whether the features
     * need scaling: the trainer warns when one reaches 100 (see {@link Scaler}). Computed once
     * and cached; the result is a copy.
     */
    public double[] featureMaxAbs() {
        double[] max = featureMaxAbs;
        if (max == null) {
            max = new double[featureCount];
            for (int k = 0; k < features.length; k++) {
                int j = k % featureCount;
                max[j] = Math.max(max[j], Math.abs(features[k]));
            }
            featureMaxAbs = max;
        }
        return max.clone();
    }

    /** The name of feature {@code column} for messages: its CSV name, or {@code "feature 3"}. */
    String featureLabel(int column) {
        return featureNames.isEmpty() ? "feature " + column : "'" + featureNames.get(column) + "'";
    }

    /** A dataset with the same names and targets and new features (of the same shape). */
    Dataset withFeatures(double[] newFeatures) {
        checkFinite(newFeatures, featureCount, "scaled features");
        return new Dataset(size, featureCount, targetCount, newFeatures, targets, featureNames, classNames);
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
     * Copies one row's targets into {@code out} without allocating: what a metric needs per row
     * after each step, where {@link #targets(int)} would allocate a copy.
     *
     * @throws IndexOutOfBoundsException if {@code row} is not a row of this dataset
     * @throws IllegalArgumentException if {@code out} does not have {@link #targetCount()} elements
     */
    public void targetsInto(int row, double[] out) {
        Objects.checkIndex(row, size);
        if (out.length != targetCount) {
            throw new IllegalArgumentException("out has " + out.length + " elements, expected " + targetCount
                    + " (the target count)");
        }
        System.arraycopy(targets, row * targetCount, out, 0, targetCount);
    }

    /**
     * Whether every row's targets name one class: a one-hot row (one 1, the rest 0) or a single
     * 0/1 target. Such data can be split with {@link #stratifiedSplit(double, long)}, and the
     * trainer's validation split stratifies it.
     */
    public boolean hasClassTargets() {
        for (int row = 0; row < size; row++) {
            if (classOrMinusOne(row) < 0) {
                return false;
            }
        }
        return true;
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
     * Splits the rows at random into training, validation and test parts: the same shuffle as
     * {@link #split(double, long)}, then the first {@code round(trainFraction × size)} rows train,
     * the next {@code round(validationFraction × size)} validate, the rest test. With the same
     * seed and training fraction, the training part equals the one {@link #split(double, long)}
     * gives.
     *
     * @throws IllegalArgumentException if a fraction is not strictly between 0 and 1, they add
     *     up to 1 or more (the test part needs rows), or a part would be empty
     */
    public ThreeWaySplit split(double trainFraction, double validationFraction, long seed) {
        int[] counts = threeWayCounts(trainFraction, validationFraction, "split");
        int[] order = permutation(size, new SplittableRandom(seed));
        int a = counts[0];
        int b = a + counts[1];
        return new ThreeWaySplit(subset(Arrays.copyOfRange(order, 0, a)), subset(Arrays.copyOfRange(order, a, b)),
                subset(Arrays.copyOfRange(order, b, size)));
    }

    /**
     * Like {@link #split(double, long)}, but each class keeps its share in both parts, so a rare
     * class is not left out of the test part by chance. The rows must be classes: one-hot targets
     * or a single 0/1 target.
     *
     * <p>The algorithm, so that a split can be reproduced elsewhere: the training part has
     * {@code T = round(trainFraction × size)} rows in all; class {@code c} with {@code n_c} rows
     * contributes {@code floor(trainFraction × n_c)} of them, and the rows still missing go, one
     * each, to the classes with the largest fractional part of {@code trainFraction × n_c} (ties
     * to the lower class index). With {@code new SplittableRandom(seed)}, each class's rows (in
     * dataset order) are shuffled as {@link #split(double, long)} shuffles, class by class; the
     * first of each go to training, the rest to test; finally each part is shuffled with the same
     * random stream, training first, so that its classes are interleaved.
     *
     * @throws IllegalArgumentException as {@link #split(double, long)} does, or if the targets
     *     are not classes (the message names the first row that is not)
     */
    public Split stratifiedSplit(double trainFraction, long seed) {
        checkFraction(trainFraction, "trainFraction");
        long trainRows = Math.round(trainFraction * size);
        if (trainRows < 1 || trainRows > size - 1) {
            throw new IllegalArgumentException("stratifiedSplit(" + trainFraction + ") of " + size
                    + " rows would leave the " + (trainRows < 1 ? "training" : "test")
                    + " part empty; both parts need at least one row");
        }
        int[][] parts = stratify(new double[] {trainFraction}, new int[] {(int) trainRows}, seed);
        return new Split(subset(parts[0]), subset(parts[1]));
    }

    /**
     * The three-way form of {@link #stratifiedSplit(double, long)}: the training quotas are
     * allocated first as described there, then the validation quotas the same way (with
     * {@code round(validationFraction × size)} rows in all, and no class giving more rows than it
     * has left); each class's shuffled rows go to training, then validation, then test; the
     * three parts are then shuffled in that order.
     *
     * @throws IllegalArgumentException as {@link #split(double, double, long)} and
     *     {@link #stratifiedSplit(double, long)} do
     */
    public ThreeWaySplit stratifiedSplit(double trainFraction, double validationFraction, long seed) {
        int[] counts = threeWayCounts(trainFraction, validationFraction, "stratifiedSplit");
        int[][] parts = stratify(new double[] {trainFraction, validationFraction}, counts, seed);
        return new ThreeWaySplit(subset(parts[0]), subset(parts[1]), subset(parts[2]));
    }

    private static void checkFraction(double fraction, String name) {
        if (!(fraction > 0.0 && fraction < 1.0)) {
            throw new IllegalArgumentException(name + " is " + fraction + ", must be strictly between 0 and 1");
        }
    }

    private int[] threeWayCounts(double trainFraction, double validationFraction, String method) {
        checkFraction(trainFraction, "trainFraction");
        checkFraction(validationFraction, "validationFraction");
        if (!(trainFraction + validationFraction < 1.0)) {
            throw new IllegalArgumentException("trainFraction " + trainFraction + " and validationFraction "
                    + validationFraction + " add up to 1 or more; the rest is the test part, which needs rows");
        }
        long train = Math.round(trainFraction * size);
        long validation = Math.round(validationFraction * size);
        long test = size - train - validation;
        String empty = train < 1 ? "training" : validation < 1 ? "validation" : test < 1 ? "test" : null;
        if (empty != null) {
            throw new IllegalArgumentException(method + "(" + trainFraction + ", " + validationFraction + ") of "
                    + size + " rows would leave the " + empty + " part empty; every part needs at least one row");
        }
        return new int[] {(int) train, (int) validation, (int) test};
    }

    /**
     * The stratified allocation documented on {@link #stratifiedSplit(double, long)}: returns the
     * row indices of each part ({@code fractions.length + 1} parts, the last one the rest).
     */
    private int[][] stratify(double[] fractions, int[] totals, long seed) {
        int classCount = targetCount == 1 ? 2 : targetCount;
        int[] classOf = new int[size];
        int[] classSize = new int[classCount];
        for (int row = 0; row < size; row++) {
            classOf[row] = classOfRow(row);
            classSize[classOf[row]]++;
        }
        int[][] groups = new int[classCount][];
        int[] filled = new int[classCount];
        for (int c = 0; c < classCount; c++) {
            groups[c] = new int[classSize[c]];
        }
        for (int row = 0; row < size; row++) {
            int c = classOf[row];
            groups[c][filled[c]++] = row;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int[] group : groups) {
            shuffleInPlace(group, random);
        }
        int parts = fractions.length + 1;
        int[][] quota = new int[parts][];
        int[] left = classSize.clone();
        for (int p = 0; p < fractions.length; p++) {
            quota[p] = allocate(fractions[p], classSize, totals[p], left);
            for (int c = 0; c < classCount; c++) {
                left[c] -= quota[p][c];
            }
        }
        quota[parts - 1] = left;
        int[][] out = new int[parts][];
        for (int p = 0; p < parts; p++) {
            int total = 0;
            for (int c = 0; c < classCount; c++) {
                total += quota[p][c];
            }
            out[p] = new int[total];
        }
        int[] written = new int[parts];
        for (int c = 0; c < classCount; c++) {
            int from = 0;
            for (int p = 0; p < parts; p++) {
                System.arraycopy(groups[c], from, out[p], written[p], quota[p][c]);
                written[p] += quota[p][c];
                from += quota[p][c];
            }
        }
        for (int[] part : out) {
            shuffleInPlace(part, random);
        }
        return out;
    }

    /**
     * Largest-remainder allocation of {@code total} rows over the classes, class {@code c}
     * getting about {@code fraction × classSize[c]} and at most {@code cap[c]}.
     */
    private static int[] allocate(double fraction, int[] classSize, int total, int[] cap) {
        int k = classSize.length;
        int[] quota = new int[k];
        double[] remainder = new double[k];
        int given = 0;
        for (int c = 0; c < k; c++) {
            double share = fraction * classSize[c];
            quota[c] = (int) Math.min(Math.floor(share), cap[c]);
            remainder[c] = share - Math.floor(share);
            given += quota[c];
        }
        Integer[] byRemainder = new Integer[k];
        for (int c = 0; c < k; c++) {
            byRemainder[c] = c;
        }
        Arrays.sort(byRemainder, (a, b) -> remainder[a] != remainder[b]
                ? Double.compare(remainder[b], remainder[a]) : Integer.compare(a, b));
        while (given < total) {
            boolean progress = false;
            for (int i = 0; i < k && given < total; i++) {
                int c = byRemainder[i];
                if (quota[c] < cap[c]) {
                    quota[c]++;
                    given++;
                    progress = true;
                }
            }
            if (!progress) {
                throw new AssertionError("cannot allocate " + total + " rows within " + Arrays.toString(cap));
            }
        }
        return quota;
    }

    /** The class of a row: its one-hot column, or its 0/1 target. */
    private int classOfRow(int row) {
        int c = classOrMinusOne(row);
        if (c >= 0) {
            return c;
        }
        throw new IllegalArgumentException("a stratified split needs class targets (one-hot rows, or a single 0/1"
                + " target), but row " + row + " has targets " + Arrays.toString(targets(row)));
    }

    /** The class of a row as {@link #classOfRow} defines it, or -1 if the row is not a class. */
    private int classOrMinusOne(int row) {
        int base = row * targetCount;
        if (targetCount == 1) {
            double t = targets[base];
            if (t == 0.0 || t == 1.0) {
                return (int) t;
            }
        } else {
            int hot = -1;
            boolean oneHot = true;
            for (int j = 0; j < targetCount && oneHot; j++) {
                double t = targets[base + j];
                if (t == 1.0 && hot < 0) {
                    hot = j;
                } else if (t != 0.0) {
                    oneHot = false;
                }
            }
            if (oneHot && hot >= 0) {
                return hot;
            }
        }
        return -1;
    }

    private static void shuffleInPlace(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
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
        return new Dataset(rows.length, featureCount, targetCount, f, t, featureNames, classNames);
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
     * The three parts of {@link #split(double, double, long)} or
     * {@link #stratifiedSplit(double, double, long)}.
     *
     * @param train the rows to train on
     * @param validation the rows to tune on (choose epochs, learning rates, architectures)
     * @param test the held-out rows to measure on, once, at the end
     */
    public record ThreeWaySplit(Dataset train, Dataset validation, Dataset test) {

        /** Checks that all three parts are present. */
        public ThreeWaySplit {
            Objects.requireNonNull(train, "train");
            Objects.requireNonNull(validation, "validation");
            Objects.requireNonNull(test, "test");
        }
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
