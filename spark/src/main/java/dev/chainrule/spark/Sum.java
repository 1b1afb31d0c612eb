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
 * <p>The arrays are made on the first {@link #add}, so the zero value Spark ships with every
 * task is a few bytes.
 */
final class Sum implements Serializable {

    private static final long serialVersionUID = 1L;

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

    /** Adds {@code factor × values} to the vector sum. */
    Sum add(double[] values, double factor) {
        if (hi == null) {
            hi = new double[values.length];
            lo = new double[values.length];
        } else if (values.length != hi.length) {
            throw new IllegalStateException("a part has " + values.length + " values, the sum " + hi.length);
        }
        for (int i = 0; i < values.length; i++) {
            double p = factor * values[i];
            double pe = Math.fma(factor, values[i], -p); // exact error of the product
            addTo(hi, lo, i, p, pe);
        }
        return this;
    }

    /** Adds {@code value} (weighted loss) and {@code weight} to the scalar sums. */
    Sum addLoss(double value, double weight) {
        addTo(scalarHi, scalarLo, 0, value, 0.0);
        addTo(scalarHi, scalarLo, 1, weight, 0.0);
        return this;
    }

    /** Adds another partial sum into this one and returns this one. */
    Sum merge(Sum other) {
        if (other.hi != null) {
            if (hi == null) {
                hi = new double[other.hi.length];
                lo = new double[other.hi.length];
            }
            for (int i = 0; i < hi.length; i++) {
                addTo(hi, lo, i, other.hi[i], other.lo[i]);
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
        return hi != null;
    }

    /** The vector sum, each element rounded once to a double. */
    double[] values() {
        double[] out = new double[hi.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = hi[i] + lo[i];
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
