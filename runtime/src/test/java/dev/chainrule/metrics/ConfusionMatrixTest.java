package dev.chainrule.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

    private static final ConfusionMatrix IRIS = ConfusionMatrix.of(
            new long[][] {{50, 0, 0}, {0, 47, 3}, {0, 2, 48}}, List.of("setosa", "versicolor", "virginica"));

    @Test
    void printsATableWithTheClassNames() {
        assertEquals("actual \\ predicted  setosa  versicolor  virginica\n"
                + "setosa                  50           0          0\n"
                + "versicolor               0          47          3\n"
                + "virginica                0           2         48", IRIS.toString());
        assertEquals("actual \\ predicted     0  1\n"
                + "0                   1234  0\n"
                + "1                      5  6", ConfusionMatrix.of(new long[][] {{1234, 0}, {5, 6}}).toString());
    }

    @Test
    void countsAndRates() {
        assertEquals(150, IRIS.total());
        assertEquals(145, IRIS.correct());
        assertEquals(145.0 / 150, IRIS.accuracy());
        assertEquals(3, IRIS.count(1, 2));
        assertEquals(47.0 / 50, IRIS.recall(1));
        assertEquals(47.0 / 49, IRIS.precision(1));
        assertEquals(48.0 / 51, IRIS.precision(2));
        ConfusionMatrix empty = ConfusionMatrix.of(new long[][] {{0, 0}, {3, 0}});
        assertTrue(Double.isNaN(empty.recall(0)));
        assertTrue(Double.isNaN(empty.precision(1)));
        assertTrue(Double.isNaN(ConfusionMatrix.of(new long[1][1]).accuracy()));
        assertThrows(IndexOutOfBoundsException.class, () -> IRIS.count(3, 0));
    }

    @Test
    void isImmutableAndComparedByValue() {
        long[][] counts = {{1, 2}, {3, 4}};
        ConfusionMatrix m = ConfusionMatrix.of(counts);
        counts[0][0] = 99;
        m.counts()[0][0] = 99;
        assertEquals(1, m.count(0, 0));
        assertEquals(ConfusionMatrix.of(new long[][] {{1, 2}, {3, 4}}), m);
        assertEquals(ConfusionMatrix.of(new long[][] {{1, 2}, {3, 4}}).hashCode(), m.hashCode());
        assertNotEquals(ConfusionMatrix.of(new long[][] {{1, 2}, {3, 4}}, List.of("a", "b")), m);
    }

    @Test
    void rejectsMalformedCounts() {
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(new long[0][0]));
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(new long[][] {{1, 2}, {3}}));
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(new long[][] {{-1}}));
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(new long[2][2], List.of("a")));
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(new long[2][2], List.of("a", "a")));
    }
}
