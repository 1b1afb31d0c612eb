package dev.chainrule.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * How often each true class was predicted as each class: row {@code actual}, column
 * {@code predicted}, as scikit-learn's {@code confusion_matrix} lays it out. The diagonal holds
 * the right predictions. Immutable.
 *
 * <p>{@link #toString()} prints a table with the class names:
 * <pre>
 * actual \ predicted  setosa  versicolor  virginica
 * setosa                  50           0          0
 * versicolor               0          47          3
 * virginica                0           2         48
 * </pre>
 */
public final class ConfusionMatrix {

    private final int classCount;
    private final long[] counts;
    private final List<String> classNames;

    private ConfusionMatrix(int classCount, long[] counts, List<String> classNames) {
        this.classCount = classCount;
        this.counts = counts;
        this.classNames = classNames;
    }

    /**
     * A matrix from its counts, {@code counts[actual][predicted]}, with classes named
     * {@code "0"}, {@code "1"}, ...
     *
     * @throws IllegalArgumentException unless {@code counts} is square, at least 1×1, with no
     *     negative count
     */
    public static ConfusionMatrix of(long[][] counts) {
        Objects.requireNonNull(counts, "counts is null");
        return of(counts, defaultNames(counts.length));
    }

    /**
     * A matrix from its counts, {@code counts[actual][predicted]}, with a name per class.
     *
     * @throws IllegalArgumentException unless {@code counts} is square, at least 1×1, with no
     *     negative count, and there is one distinct name per class
     */
    public static ConfusionMatrix of(long[][] counts, List<String> classNames) {
        Objects.requireNonNull(counts, "counts is null");
        Objects.requireNonNull(classNames, "classNames is null");
        int k = counts.length;
        if (k == 0) {
            throw new IllegalArgumentException("a confusion matrix needs at least one class");
        }
        long[] flat = new long[k * k];
        for (int a = 0; a < k; a++) {
            if (counts[a] == null || counts[a].length != k) {
                throw new IllegalArgumentException("row " + a + " has " + (counts[a] == null ? "no" : counts[a].length)
                        + " counts; a confusion matrix of " + k + " classes is " + k + "×" + k);
            }
            for (int p = 0; p < k; p++) {
                if (counts[a][p] < 0) {
                    throw new IllegalArgumentException("count [" + a + "][" + p + "] is " + counts[a][p]
                            + "; counts cannot be negative");
                }
                flat[a * k + p] = counts[a][p];
            }
        }
        return new ConfusionMatrix(k, flat, checkNames(classNames, k));
    }

    /** Wraps counts the caller hands over (not copied); for {@link MetricAccumulator}. */
    static ConfusionMatrix wrap(int classCount, long[] counts, List<String> classNames) {
        return new ConfusionMatrix(classCount, counts, classNames);
    }

    static List<String> defaultNames(int classCount) {
        List<String> names = new ArrayList<>(classCount);
        for (int c = 0; c < classCount; c++) {
            names.add(Integer.toString(c));
        }
        return List.copyOf(names);
    }

    private static List<String> checkNames(List<String> names, int classCount) {
        List<String> copy = List.copyOf(names);
        if (copy.size() != classCount) {
            throw new IllegalArgumentException(copy.size() + " class names for " + classCount + " classes");
        }
        if (new HashSet<>(copy).size() != copy.size()) {
            throw new IllegalArgumentException("class names must be distinct: " + copy);
        }
        return copy;
    }

    /** The number of classes: the matrix is {@code classCount × classCount}. */
    public int classCount() {
        return classCount;
    }

    /**
     * The class names, class {@code i} first: the dataset's ({@code Dataset.classNames()}) when it
     * has them, otherwise {@code "0"}, {@code "1"}, ...
     */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * How many samples of class {@code actual} were predicted as class {@code predicted}.
     *
     * @throws IndexOutOfBoundsException unless both are in {@code 0..classCount-1}
     */
    public long count(int actual, int predicted) {
        Objects.checkIndex(actual, classCount);
        Objects.checkIndex(predicted, classCount);
        return counts[actual * classCount + predicted];
    }

    /** A copy of the counts, {@code [actual][predicted]}. */
    public long[][] counts() {
        long[][] out = new long[classCount][];
        for (int a = 0; a < classCount; a++) {
            out[a] = Arrays.copyOfRange(counts, a * classCount, (a + 1) * classCount);
        }
        return out;
    }

    /** The number of samples counted. */
    public long total() {
        long sum = 0;
        for (long c : counts) {
            sum += c;
        }
        return sum;
    }

    /** The number of right predictions: the sum of the diagonal. */
    public long correct() {
        long sum = 0;
        for (int c = 0; c < classCount; c++) {
            sum += counts[c * classCount + c];
        }
        return sum;
    }

    /** {@link #correct()} over {@link #total()}; NaN for an empty matrix. */
    public double accuracy() {
        long total = total();
        return total == 0 ? Double.NaN : (double) correct() / total;
    }

    /**
     * Of the samples of class {@code c}, the fraction predicted as {@code c} (its row's diagonal
     * share); NaN if no sample is of class {@code c}.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= c < classCount}
     */
    public double recall(int c) {
        Objects.checkIndex(c, classCount);
        long row = 0;
        for (int p = 0; p < classCount; p++) {
            row += counts[c * classCount + p];
        }
        return row == 0 ? Double.NaN : (double) counts[c * classCount + c] / row;
    }

    /**
     * Of the samples predicted as class {@code c}, the fraction that are {@code c} (its column's
     * diagonal share); NaN if nothing was predicted as {@code c}.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= c < classCount}
     */
    public double precision(int c) {
        Objects.checkIndex(c, classCount);
        long column = 0;
        for (int a = 0; a < classCount; a++) {
            column += counts[a * classCount + c];
        }
        return column == 0 ? Double.NaN : (double) counts[c * classCount + c] / column;
    }

    /** Equal counts and class names. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ConfusionMatrix m && classCount == m.classCount && Arrays.equals(counts, m.counts)
                && classNames.equals(m.classNames);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(counts) + classNames.hashCode();
    }

    /** The table shown in the class comment: actual classes down, predicted classes across. */
    @Override
    public String toString() {
        String corner = "actual \\ predicted";
        int first = corner.length();
        for (String name : classNames) {
            first = Math.max(first, name.length());
        }
        int[] width = new int[classCount];
        for (int p = 0; p < classCount; p++) {
            width[p] = classNames.get(p).length();
            for (int a = 0; a < classCount; a++) {
                width[p] = Math.max(width[p], Long.toString(counts[a * classCount + p]).length());
            }
        }
        StringBuilder s = new StringBuilder();
        s.append(pad(corner, first, false));
        for (int p = 0; p < classCount; p++) {
            s.append("  ").append(pad(classNames.get(p), width[p], true));
        }
        for (int a = 0; a < classCount; a++) {
            s.append('\n').append(pad(classNames.get(a), first, false));
            for (int p = 0; p < classCount; p++) {
                s.append("  ").append(pad(Long.toString(counts[a * classCount + p]), width[p], true));
            }
        }
        return s.toString();
    }

    private static String pad(String text, int width, boolean right) {
        String spaces = " ".repeat(Math.max(0, width - text.length()));
        return right ? spaces + text : text + spaces;
    }
}
