package dev.chainrule.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Dataset.hasClassTargets and targetsInto. */
class ClassTargetsTest {

    @Test
    void oneHotRowsAndSingleZeroOneTargetsAreClasses() {
        assertTrue(Dataset.ofLabels(new double[][] {{1}, {2}, {3}}, new int[] {0, 2, 1}, 3).hasClassTargets());
        assertTrue(Dataset.of(new double[][] {{1}, {2}}, new double[][] {{0}, {1}}).hasClassTargets());
        assertFalse(Dataset.of(new double[][] {{1}, {2}}, new double[][] {{0}, {0.5}}).hasClassTargets());
        assertFalse(Dataset.of(new double[][] {{1}, {2}}, new double[][] {{1, 0}, {1, 1}}).hasClassTargets());
        assertFalse(Dataset.of(new double[][] {{1}}, new double[][] {{0, 0}}).hasClassTargets(), "no hot column");
        assertFalse(Dataset.of(new double[][] {{1}}, new double[][] {{0.2, 0.8}}).hasClassTargets());
    }

    @Test
    void targetsIntoCopiesARowWithoutAllocating() {
        Dataset d = Dataset.of(new double[][] {{1}, {2}}, new double[][] {{3, 4}, {5, 6}});
        double[] out = new double[2];
        d.targetsInto(1, out);
        assertArrayEquals(new double[] {5, 6}, out);
        assertThrows(IndexOutOfBoundsException.class, () -> d.targetsInto(2, out));
        assertThrows(IllegalArgumentException.class, () -> d.targetsInto(0, new double[3]));
    }
}
