package dev.chainrule.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The partial sums Spark merges: independent of the merge order, exact for one part. */
class SumTest {

    private static Sum part(double[] values, double factor) {
        return new Sum().add(values, factor);
    }

    @Test
    void theMergeOrderDoesNotChangeTheTotal() {
        SplittableRandom random = new SplittableRandom(1L);
        int parts = 7;
        int n = 2000;
        double[][] values = new double[parts][n];
        double[] factors = new double[parts];
        for (int k = 0; k < parts; k++) {
            factors[k] = random.nextDouble(0.01, 1.0);
            for (int i = 0; i < n; i++) {
                // magnitudes over many binades, and signs that cancel, so plain addition would differ
                values[k][i] = (random.nextBoolean() ? 1 : -1) * random.nextDouble() * Math.pow(10, random.nextInt(-8, 8));
            }
        }
        double[] reference = null;
        boolean plainDiffered = false;
        double[] plainReference = null;
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < parts; k++) {
            order.add(k);
        }
        for (int trial = 0; trial < 20; trial++) {
            Collections.shuffle(order, new java.util.Random(trial));
            // a random tree of merges: fold the parts in shuffled order into two halves, then join
            Sum left = new Sum();
            Sum right = new Sum();
            double[] plain = new double[n];
            for (int j = 0; j < parts; j++) {
                int k = order.get(j);
                (j % 2 == 0 ? left : right).merge(part(values[k], factors[k]));
                for (int i = 0; i < n; i++) {
                    plain[i] += factors[k] * values[k][i];
                }
            }
            double[] total = (trial % 2 == 0 ? left.merge(right) : right.merge(left)).values();
            if (reference == null) {
                reference = total;
                plainReference = plain;
            } else {
                SynchronousStepsTest.assertExactly(reference, total, "totals of two merge orders");
                plainDiffered |= !java.util.Arrays.equals(plainReference, plain);
            }
        }
        // the test is not vacuous: plain double addition does depend on the order here
        assertEquals(true, plainDiffered);
    }

    @Test
    void onePartWithFactorOneIsReturnedExactly() {
        double[] g = {0.1, -3e-17, 12345.678, -0.0, Double.MIN_VALUE};
        SynchronousStepsTest.assertExactly(g, new Sum().merge(part(g, 1.0)).values(), "one part");
        float[] f = {0.1f, -3e-17f, 12345.678f};
        double[] widened = {0.1f, -3e-17f, 12345.678f};
        SynchronousStepsTest.assertExactly(widened, new Sum().merge(new Sum().add(f, 1.0)).values(), "float part");
    }

    @Test
    void lossesWeightsRowsAndProblemsAddUp() {
        Sum a = new Sum().addLoss(0.5, 0.25);
        a.rows = 3;
        Sum b = new Sum().addLoss(1.5, 0.75);
        b.rows = 9;
        b.problem = "diverged";
        Sum total = new Sum().merge(a).merge(b);
        assertEquals(2.0, total.loss(), 0.0);
        assertEquals(1.0, total.weight(), 0.0);
        assertEquals(12, total.rows);
        assertEquals("diverged", total.problem);
        assertNotEquals(true, total.hasValues());
    }
}
