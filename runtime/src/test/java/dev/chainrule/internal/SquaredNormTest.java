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

    /** The order ofRows documents: element j of every row into partial sum j mod 8, rows in order, then the fixed tree. */
    private static double documentedOrder(float[][] rows, int from, int to) {
        double[] partial = new double[8];
        for (int i = from; i < to; i++) {
            for (int j = 0; j < rows[i].length; j++) {
                double a = rows[i][j];
                partial[j % 8] = Math.fma(a, a, partial[j % 8]);
            }
        }
        return ((partial[0] + partial[1]) + (partial[2] + partial[3])) + ((partial[4] + partial[5]) + (partial[6] + partial[7]));
    }

    @Test
    void rowsAreSummedInTheDocumentedOrderForEveryWidth() {
        SplittableRandom random = new SplittableRandom(5);
        for (int width = 0; width <= 19; width++) {
            float[][] rows = new float[6][width];
            double[][] doubleRows = new double[6][width];
            for (float[] row : rows) {
                for (int j = 0; j < width; j++) {
                    row[j] = (float) random.nextGaussian();
                }
            }
            for (int i = 0; i < rows.length; i++) {
                for (int j = 0; j < width; j++) {
                    doubleRows[i][j] = rows[i][j] * 1e3;
                }
            }
            for (int from = 0; from <= rows.length; from++) {
                for (int to = from; to <= rows.length; to++) {
                    String where = "width " + width + ", rows [" + from + ", " + to + ")";
                    double want = documentedOrder(rows, from, to);
                    assertEquals(want, SquaredNorm.ofRows(rows, from, to), 0.0, where);
                    double sequential = 0;
                    for (int i = from; i < to; i++) {
                        sequential += sequential(doubleRows[i], 0, width);
                    }
                    assertEquals(sequential, SquaredNorm.ofRows(doubleRows, from, to), 1e-14 * (1 + sequential), where);
                }
            }
        }
    }

    @Test
    void rowsOfDifferentLengthsAndNonFiniteElementsAnywhere() {
        float[][] ragged = {{1f, 2f, 3f}, {}, {4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f}};
        assertEquals(sequential(ragged[0], 0, 3) + sequential(ragged[2], 0, 10), SquaredNorm.ofRows(ragged, 0, 3), 0.0);
        for (int width = 1; width <= 17; width++) {
            for (int at = 0; at < 2 * width; at++) {
                float[][] rows = new float[2][width];
                rows[at / width][at % width] = Float.NaN;
                assertTrue(Double.isNaN(SquaredNorm.ofRows(rows, 0, 2)), "NaN at " + at + ", width " + width);
                rows[at / width][at % width] = Float.POSITIVE_INFINITY;
                assertEquals(Double.POSITIVE_INFINITY, SquaredNorm.ofRows(rows, 0, 2), "infinity at " + at + ", width " + width);
                double[][] doubleRows = new double[2][width];
                doubleRows[at / width][at % width] = Double.NEGATIVE_INFINITY;
                assertEquals(Double.POSITIVE_INFINITY, SquaredNorm.ofRows(doubleRows, 0, 2), "-infinity at " + at);
            }
        }
    }
}
