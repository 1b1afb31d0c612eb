package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chainrule.metrics.ConfusionMatrix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The results README.md's table of examples states are what the examples get with their default
 * settings. Runs repeat bit for bit on one machine; another CPU may round a last digit
 * differently, so a count may differ by one row and R² by 0.01. (MNIST's number is the
 * developer's measured run, recorded in docs/performance.md; it takes too long for a unit test.)
 */
class ReadmeResultsTest {

    private static final Pattern COUNT = Pattern.compile("(\\d+)/(\\d+)");

    @TempDir
    Path reports;

    private RunOptions quiet() {
        return RunOptions.defaults(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .withReportDirectory(reports);
    }

    @Test
    void xor() throws IOException {
        XorExample.Result r = XorExample.run(quiet());
        String cell = cell("xor");
        assertCount(cell, r.truthTable().confusionMatrix().correct(), r.truthTable().confusionMatrix().total());
        Matcher epochs = Pattern.compile("after (\\d+) epochs").matcher(cell);
        assertTrue(epochs.find(), cell);
        assertEquals(Integer.parseInt(epochs.group(1)), r.training().epochs(), 0.05 * r.training().epochs(),
                "README: " + cell);
    }

    @Test
    void iris() throws IOException {
        assertCount(cell("iris"), IrisExample.run(quiet()).test().confusionMatrix());
    }

    @Test
    void diabetes() throws IOException {
        double r2 = DiabetesExample.run(quiet()).test().r2();
        Matcher m = Pattern.compile("R² (-?[0-9.]+)").matcher(cell("diabetes"));
        assertTrue(m.find(), cell("diabetes"));
        assertEquals(Double.parseDouble(m.group(1)), r2, 0.01, "README: " + cell("diabetes"));
    }

    @Test
    void breastCancer() throws IOException {
        assertCount(cell("breast-cancer"), BreastCancerExample.run(quiet()).test().confusionMatrix());
    }

    @Test
    void digits() throws IOException {
        assertCount(cell("digits"), DigitsExample.run(quiet()).test().confusionMatrix());
    }

    /** The last cell of the example's row in README.md's table. */
    private static String cell(String example) throws IOException {
        for (String line : Files.readAllLines(Path.of("..", "README.md"), StandardCharsets.UTF_8)) {
            if (line.startsWith("| [`" + example + "`]")) {
                String[] cells = line.split("\\|");
                return cells[cells.length - 1].strip();
            }
        }
        return fail("README.md has no table row for " + example);
    }

    private static void assertCount(String cell, ConfusionMatrix m) {
        assertCount(cell, m.correct(), m.total());
    }

    private static void assertCount(String cell, long correct, long rows) {
        Matcher m = COUNT.matcher(cell);
        assertTrue(m.find(), "README: " + cell);
        assertEquals(Long.parseLong(m.group(2)), rows, "README: " + cell);
        assertEquals(Integer.parseInt(m.group(1)), correct, 1.0, "README says " + cell + "; the example gets "
                + correct + "/" + rows);
        String percent = String.format(java.util.Locale.ROOT, "%.2f%%", 100.0 * Integer.parseInt(m.group(1)) / rows);
        assertTrue(rows == 4 || cell.contains(percent), "the percentage matches the count: " + cell);
    }
}
