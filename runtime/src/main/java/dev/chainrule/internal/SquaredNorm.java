package dev.chainrule.internal;

/**
 * The sum of the squares of part of a row, for generated {@code gradientSquaredNorm} and
 * {@code combineGradients}: in {@code double}, with eight partial sums added in a fixed order at
 * the end. One running sum would wait for the previous addition at every element (a 100,000-value
 * gradient took longer to measure than to apply); eight independent ones keep the adder busy, and
 * the fixed order keeps the result the same on every run.
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
}
