package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.data.Dataset;
import java.util.List;
import org.junit.jupiter.api.Test;

class BundledDataTest {

    @Test
    void readsTheBundledIris() {
        Dataset iris = BundledData.iris();
        assertEquals(150, iris.size());
        assertEquals(4, iris.featureCount());
        assertEquals(3, iris.targetCount());
        assertArrayEquals(new double[] {5.1, 3.5, 1.4, 0.2}, iris.features(0));
        assertArrayEquals(new double[] {1, 0, 0}, iris.targets(0));
        assertArrayEquals(new double[] {5.9, 3.0, 5.1, 1.8}, iris.features(149));
        assertArrayEquals(new double[] {0, 0, 1}, iris.targets(149));
        int[] perClass = new int[3];
        for (int row = 0; row < iris.size(); row++) {
            perClass[IrisExample.argmax(iris.targets(row))]++;
        }
        assertArrayEquals(new int[] {50, 50, 50}, perClass);
    }

    @Test
    void keepsTheHeader() {
        BundledData.Table table = BundledData.read(BundledData.IRIS, 3);
        assertEquals(List.of("sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"),
                table.featureNames());
        assertEquals("label", table.columns().get(4));
    }

    @Test
    void readsAWellFormedFile() {
        Dataset data = BundledData.classification("/data/good.csv", 2);
        assertEquals(2, data.size());
        assertArrayEquals(new double[] {3.0, 4.0}, data.features(1));
        assertArrayEquals(new double[] {0, 1}, data.targets(1));
    }

    @Test
    void rejectsANonNumberNamingTheLine() {
        BundledData.CsvFormatException e = assertThrows(BundledData.CsvFormatException.class,
                () -> BundledData.classification("/data/bad-number.csv", 2));
        assertEquals(4, e.lineNumber());
        assertEquals("/data/bad-number.csv", e.resource());
        assertEquals("/data/bad-number.csv, line 4: column 2 (b) is \"oops\", not a number", e.getMessage());
    }

    @Test
    void rejectsAShortLine() {
        BundledData.CsvFormatException e = assertThrows(BundledData.CsvFormatException.class,
                () -> BundledData.classification("/data/bad-field-count.csv", 2));
        assertEquals(3, e.lineNumber());
        assertTrue(e.getMessage().contains("line 3: the line has 2 fields, expected 3"), e.getMessage());
    }

    @Test
    void rejectsALabelOutOfRange() {
        BundledData.CsvFormatException e = assertThrows(BundledData.CsvFormatException.class,
                () -> BundledData.classification("/data/bad-label.csv", 2));
        assertEquals(4, e.lineNumber());
        assertTrue(e.getMessage().contains("line 4: the label (label) is 3, outside 0..1"), e.getMessage());
    }

    @Test
    void namesAMissingResource() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BundledData.classification("/data/no-such-file.csv", 2));
        assertTrue(e.getMessage().contains("/data/no-such-file.csv"), e.getMessage());
    }
}
