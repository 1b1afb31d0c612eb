package dev.chainrule.spark;

import java.io.Serializable;

/**
 * A sum of weighted vectors that {@code treeAggregate} builds up: each partition adds its part,
 * Spark merges the partial sums.
 *
 * <p><b>Why double-double.</b> Spark merges partial sums in the order its tasks finish, which
 * changes from run to run; plain {@code double} addition is not associative, so the total would
 * change in its last bits, and so would every later step. Each value here is kept as an
 * unevaluated sum {@code hi + lo} of two doubles (Knuth's TwoSum, and an exact product by
 * {@link Math#fma}), about 106 bits, and rounded to one double only at the end: the result is
 * the correctly rounded weighted sum for all practical purposes, whatever the merge order, so a
 * run repeats bit for bit and a retried task cannot change it. (The bound is about
 * {@code 2^-104} times the sum of the magnitudes; only a total that falls that close to a
 * rounding boundary could round differently.) The cost, a few extra additions per value per
 * partition, is nothing beside computing a gradient.
 *
 * <p><b>Why it holds one part unexpanded.</b> A task adds exactly one part (its partition's
 * gradient, or its copy's parameters) and ships the sum back to the driver; expanded to two
 * doubles per value, an MNIST-sized gradient would be 1.6 MB, over Spark's limit for results sent
 * directly with the task's status ({@code spark.task.maxDirectResultSize}, 1 MiB), and measured
 * three times slower per job. So a sum with one part keeps it as it came, {@code factor × values}
 * (a FLOAT network's gradient as {@code float}s, which it is exactly), and expands only when a
 * second part arrives, in {@code treeAggregate}'s merges. The zero value Spark ships with every
 * task is a few bytes.
 */
final class Sum implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The one part not yet expanded: {@code factor × (doublePart or floatPart)}, or neither. */
    private double[] doublePart;
    private float[] floatPart;
    private double factor;
    /** The expanded sum, {@code hi + lo} per value, once a second part arrived. */
    private double[] hi;
    private double[] lo;
    /** Scalars summed the same way: [0] the weighted loss, [1] the weight. */
    private final double[] scalarHi = new double[2];
    private final double[] scalarLo = new double[2];
    /** The number of rows the parts covered, exact. */
    long rows;
    /** Steps the parts took (parameter averaging), summed. */
    long steps;
    /** The first problem a part reported (a diverged local step), or null. */
    String problem;

    /** Adds {@code factor × values}; the values are copied. */
    Sum add(double[] values, double factor) {
        if (isEmpty()) {
            doublePart = values.clone();
            this.factor = factor;
        } else {
            expand(values.length);
            accumulate(values, null, factor);
        }
        return this;
    }

    /** Adds {@code factor × values}, for a FLOAT network's gradient; the values are copied. */
    Sum add(float[] values, double factor) {
        if (isEmpty()) {
            floatPart = values.clone();
            this.factor = factor;
        } else {
            expand(values.length);
            accumulate(null, values, factor);
        }
        return this;
    }

    private boolean isEmpty() {
        return doublePart == null && floatPart == null && hi == null;
    }

    private int length() {
        return hi != null ? hi.length : doublePart != null ? doublePart.length : floatPart.length;
    }

    /** Turns the one part into the expanded form, so that more can be added. */
    private void expand(int length) {
        if (hi == null) {
            double[] d = doublePart;
            float[] f = floatPart;
            int n = d != null ? d.length : f != null ? f.length : length;
            hi = new double[n];
            lo = new double[n];
            doublePart = null;
            floatPart = null;
            if (d != null || f != null) {
                accumulate(d, f, factor);
            }
        }
        if (length != hi.length) {
            throw new IllegalStateException("a part has " + length + " values, the sum " + hi.length);
        }
    }

    /** Adds {@code factor × values} (exactly one of the arrays) to the expanded sum. */
    private void accumulate(double[] d, float[] f, double factor) {
        for (int i = 0; i < hi.length; i++) {
            double v = d != null ? d[i] : f[i];
            double p = factor * v;
            double pe = Math.fma(factor, v, -p); // the product's rounding error, exactly
            addTo(hi, lo, i, p, pe);
        }
    }

    /** Adds {@code value} (weighted loss) and {@code weight} to the scalar sums. */
    Sum addLoss(double value, double weight) {
        addTo(scalarHi, scalarLo, 0, value, 0.0);
        addTo(scalarHi, scalarLo, 1, weight, 0.0);
        return this;
    }

    /** Adds another partial sum into this one and returns this one (or {@code other}, if this one is empty). */
    Sum merge(Sum other) {
        if (!other.isEmpty()) {
            if (isEmpty()) {
                doublePart = other.doublePart; // Spark discards a merged partial sum, so no copy
                floatPart = other.floatPart;
                factor = other.factor;
                hi = other.hi;
                lo = other.lo;
            } else {
                expand(other.length());
                if (other.hi != null) {
                    for (int i = 0; i < hi.length; i++) {
                        addTo(hi, lo, i, other.hi[i], other.lo[i]);
                    }
                } else {
                    accumulate(other.doublePart, other.floatPart, other.factor);
                }
            }
        }
        for (int i = 0; i < 2; i++) {
            addTo(scalarHi, scalarLo, i, other.scalarHi[i], other.scalarLo[i]);
        }
        rows += other.rows;
        steps += other.steps;
        if (problem == null) {
            problem = other.problem;
        }
        return this;
    }

    /** Adds the double-double {@code (a, ae)} to element {@code i}. */
    private static void addTo(double[] hi, double[] lo, int i, double a, double ae) {
        double s = hi[i] + a;
        double bb = s - hi[i];
        double err = (hi[i] - (s - bb)) + (a - bb); // TwoSum: s + err == hi[i] + a exactly
        double l = lo[i] + ae + err;
        double t = s + l; // renormalise so that |lo| stays below half an ulp of hi
        lo[i] = l - (t - s);
        hi[i] = t;
    }

    /** Whether any part added a vector. */
    boolean hasValues() {
        return !isEmpty();
    }

    /**
     * The vector sum, each element rounded once to a double: the same for one part as for that
     * part expanded, and so exactly {@code values} for one part with factor 1.
     */
    double[] values() {
        int n = length();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            if (hi != null) {
                out[i] = hi[i] + lo[i];
            } else {
                double v = doublePart != null ? doublePart[i] : floatPart[i];
                double p = factor * v;
                out[i] = p + Math.fma(factor, v, -p);
            }
        }
        return out;
    }

    /** The summed weighted loss. */
    double loss() {
        return scalarHi[0] + scalarLo[0];
    }

    /** The summed weights of the loss. */
    double weight() {
        return scalarHi[1] + scalarLo[1];
    }
}
