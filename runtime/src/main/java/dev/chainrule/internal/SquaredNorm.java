package dev.chainrule.internal;

/**
 * The sum of the squares of part of a row, or of a layer's rows, for generated
 * {@code gradientSquaredNorm} and {@code combineGradients}: in {@code double}, with eight partial
 * sums added in a fixed order at the end. One running sum would wait for the previous addition at
 * every element (a 100,000-value gradient took longer to measure than to apply); eight independent
 * ones keep the adder busy, and the fixed order keeps the result the same on every run.
 */
public final class SquaredNorm {

    private static final int PARTIAL_SUMS = 8;

    private SquaredNorm() {}

    /** {@code sum over j in [from, to) of v[j]^2}, each square and sum in {@code double}. */
    public static double of(float[] v, int from, int to) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int j = from;
        for (; j + PARTIAL_SUMS <= to; j += PARTIAL_SUMS) {
            double a0 = v[j], a1 = v[j + 1], a2 = v[j + 2], a3 = v[j + 3];
            double a4 = v[j + 4], a5 = v[j + 5], a6 = v[j + 6], a7 = v[j + 7];
            s0 = Math.fma(a0, a0, s0);
            s1 = Math.fma(a1, a1, s1);
            s2 = Math.fma(a2, a2, s2);
            s3 = Math.fma(a3, a3, s3);
            s4 = Math.fma(a4, a4, s4);
            s5 = Math.fma(a5, a5, s5);
            s6 = Math.fma(a6, a6, s6);
            s7 = Math.fma(a7, a7, s7);
        }
        double rest = 0;
        for (; j < to; j++) {
            double a = v[j];
            rest = Math.fma(a, a, rest);
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)) + rest;
    }

    /**
     * {@code sum over rows i in [from, to), over every j, of rows[i][j]^2}: the rows of one layer
     * in one call, with the eight partial sums carried from row to row (element j of every row goes
     * to partial sum {@code j mod 8}), so that a layer of narrow rows (3 outputs, say) costs one
     * call and no per-row summing. Rows may differ in length.
     */
    public static double ofRows(float[][] rows, int from, int to) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        for (int i = from; i < to; i++) {
            float[] v = rows[i];
            int j = 0;
            for (; j + PARTIAL_SUMS <= v.length; j += PARTIAL_SUMS) {
                double a0 = v[j], a1 = v[j + 1], a2 = v[j + 2], a3 = v[j + 3];
                double a4 = v[j + 4], a5 = v[j + 5], a6 = v[j + 6], a7 = v[j + 7];
                s0 = Math.fma(a0, a0, s0);
                s1 = Math.fma(a1, a1, s1);
                s2 = Math.fma(a2, a2, s2);
                s3 = Math.fma(a3, a3, s3);
                s4 = Math.fma(a4, a4, s4);
                s5 = Math.fma(a5, a5, s5);
                s6 = Math.fma(a6, a6, s6);
                s7 = Math.fma(a7, a7, s7);
            }
            // the last (length mod 8) elements, in the partial sums of their column mod 8
            if (j < v.length) {
                double a = v[j];
                s0 = Math.fma(a, a, s0);
            }
            if (j + 1 < v.length) {
                double a = v[j + 1];
                s1 = Math.fma(a, a, s1);
            }
            if (j + 2 < v.length) {
                double a = v[j + 2];
                s2 = Math.fma(a, a, s2);
            }
            if (j + 3 < v.length) {
                double a = v[j + 3];
                s3 = Math.fma(a, a, s3);
            }
            if (j + 4 < v.length) {
                double a = v[j + 4];
                s4 = Math.fma(a, a, s4);
            }
            if (j + 5 < v.length) {
                double a = v[j + 5];
                s5 = Math.fma(a, a, s5);
            }
            if (j + 6 < v.length) {
                double a = v[j + 6];
                s6 = Math.fma(a, a, s6);
            }
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** {@code sum over j in [from, to) of v[j]^2}. */
    public static double of(double[] v, int from, int to) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int j = from;
        for (; j + PARTIAL_SUMS <= to; j += PARTIAL_SUMS) {
            double a0 = v[j], a1 = v[j + 1], a2 = v[j + 2], a3 = v[j + 3];
            double a4 = v[j + 4], a5 = v[j + 5], a6 = v[j + 6], a7 = v[j + 7];
            s0 = Math.fma(a0, a0, s0);
            s1 = Math.fma(a1, a1, s1);
            s2 = Math.fma(a2, a2, s2);
            s3 = Math.fma(a3, a3, s3);
            s4 = Math.fma(a4, a4, s4);
            s5 = Math.fma(a5, a5, s5);
            s6 = Math.fma(a6, a6, s6);
            s7 = Math.fma(a7, a7, s7);
        }
        double rest = 0;
        for (; j < to; j++) {
            double a = v[j];
            rest = Math.fma(a, a, rest);
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)) + rest;
    }

    /**
     * {@code sum over rows i in [from, to), over every j, of rows[i][j]^2}: the rows of one layer
     * in one call, with the eight partial sums carried from row to row (element j of every row goes
     * to partial sum {@code j mod 8}), so that a layer of narrow rows (3 outputs, say) costs one
     * call and no per-row summing. Rows may differ in length.
     */
    public static double ofRows(double[][] rows, int from, int to) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        for (int i = from; i < to; i++) {
            double[] v = rows[i];
            int j = 0;
            for (; j + PARTIAL_SUMS <= v.length; j += PARTIAL_SUMS) {
                double a0 = v[j], a1 = v[j + 1], a2 = v[j + 2], a3 = v[j + 3];
                double a4 = v[j + 4], a5 = v[j + 5], a6 = v[j + 6], a7 = v[j + 7];
                s0 = Math.fma(a0, a0, s0);
                s1 = Math.fma(a1, a1, s1);
                s2 = Math.fma(a2, a2, s2);
                s3 = Math.fma(a3, a3, s3);
                s4 = Math.fma(a4, a4, s4);
                s5 = Math.fma(a5, a5, s5);
                s6 = Math.fma(a6, a6, s6);
                s7 = Math.fma(a7, a7, s7);
            }
            // the last (length mod 8) elements, in the partial sums of their column mod 8
            if (j < v.length) {
                double a = v[j];
                s0 = Math.fma(a, a, s0);
            }
            if (j + 1 < v.length) {
                double a = v[j + 1];
                s1 = Math.fma(a, a, s1);
            }
            if (j + 2 < v.length) {
                double a = v[j + 2];
                s2 = Math.fma(a, a, s2);
            }
            if (j + 3 < v.length) {
                double a = v[j + 3];
                s3 = Math.fma(a, a, s3);
            }
            if (j + 4 < v.length) {
                double a = v[j + 4];
                s4 = Math.fma(a, a, s4);
            }
            if (j + 5 < v.length) {
                double a = v[j + 5];
                s5 = Math.fma(a, a, s5);
            }
            if (j + 6 < v.length) {
                double a = v[j + 6];
                s6 = Math.fma(a, a, s6);
            }
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
}
