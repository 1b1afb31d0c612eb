package dev.chainrule.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SquaredNormTest {

    private static double sequential(float[] v, int from, int to) {
        double sum = 0;
        for (int j = from; j < to; j++) {
            sum += (double) v[j] * v[j];
        }
        return sum;
    }

    private static double sequential(double[] v, int from, int to) {
        double sum = 0;
        for (int j = from; j < to; j++) {
            sum += v[j] * v[j];
        }
        return sum;
    }

    @Test
    void equalsTheSumOfSquaresOverEveryRangeUpToRounding() {
        SplittableRandom random = new SplittableRandom(3);
        float[] floats = new float[40];
        double[] doubles = new double[40];
        for (int j = 0; j < floats.length; j++) {
            floats[j] = (float) random.nextGaussian();
            doubles[j] = random.nextGaussian() * 1e3;
        }
        // every range, so that every tail length after the blocks of eight is covered
        for (int from = 0; from <= floats.length; from++) {
            for (int to = from; to <= floats.length; to++) {
                double want = sequential(floats, from, to);
                assertEquals(want, SquaredNorm.of(floats, from, to), 1e-15 * (1 + want), "floats [" + from + ", " + to + ")");
                double wantDoubles = sequential(doubles, from, to);
                assertEquals(wantDoubles, SquaredNorm.of(doubles, from, to), 1e-14 * (1 + wantDoubles),
                        "doubles [" + from + ", " + to + ")");
            }
        }
    }

    @Test
    void anEmptyRangeIsZero() {
        assertEquals(0.0, SquaredNorm.of(new float[] {1f, 2f}, 1, 1));
        assertEquals(0.0, SquaredNorm.of(new double[0], 0, 0));
    }

    @Test
    void aNonFiniteElementAnywhereMakesTheSumNonFinite() {
        for (int at = 0; at < 19; at++) {
            float[] v = new float[19];
            java.util.Arrays.fill(v, 0.5f);
            v[at] = Float.NaN;
            assertTrue(Double.isNaN(SquaredNorm.of(v, 0, v.length)), "NaN at " + at);
            v[at] = Float.NEGATIVE_INFINITY;
            assertEquals(Double.POSITIVE_INFINITY, SquaredNorm.of(v, 0, v.length), "-infinity at " + at);
            double[] w = new double[19];
            w[at] = Double.NaN;
            assertTrue(Double.isNaN(SquaredNorm.of(w, 0, w.length)), "NaN at " + at);
        }
    }

    @Test
    void floatsAreSquaredInDoubleSoLargeGradientsDoNotOverflow() {
        float[] v = {Float.MAX_VALUE, Float.MAX_VALUE};
        double want = 2.0 * Float.MAX_VALUE * (double) Float.MAX_VALUE;
        assertEquals(want, SquaredNorm.of(v, 0, 2), want * 1e-15);
    }
}
