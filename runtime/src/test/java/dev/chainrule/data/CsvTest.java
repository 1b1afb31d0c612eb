package dev.chainrule.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.testing.LogCapture;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {

    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private static double[] flat(Dataset d) {
        return d.featureArray();
    }

    // ---------------------------------------------------------------- good files

    @Test
    void readsAHeaderFileWithNumericClassLabels() throws IOException {
        Path p = file("iris.csv", "sepal_length,sepal_width,label\n5.1,3.5,0\n7.0,3.2,1\n6.3,3.3,2\n4.9,3.0,0\n");
        Dataset d = Dataset.fromCsv(p, CsvOption.classLabel("label"));
        assertEquals(4, d.size());
        assertEquals(2, d.featureCount());
        assertEquals(3, d.targetCount());
        assertEquals(List.of("sepal_length", "sepal_width"), d.featureNames());
        assertEquals(List.of("0", "1", "2"), d.classNames());
        assertArrayEquals(new double[] {5.1, 3.5, 7.0, 3.2, 6.3, 3.3, 4.9, 3.0}, flat(d));
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0}, d.targetArray());
    }

    @Test
    void stringLabelsAreSortedAndKept() throws IOException {
        Path p = file("s.csv", "x,species\n1,virginica\n2,setosa\n3,versicolor\n4,setosa\n");
        Dataset d = Dataset.fromCsv(p, CsvOption.classLabel("species"));
        assertEquals(List.of("setosa", "versicolor", "virginica"), d.classNames());
        assertArrayEquals(new double[] {0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0}, d.targetArray());
    }

    @Test
    void numericLabelsAreOrderedByValueAndEqualValuesMerge() throws IOException {
        Path p = file("n.csv", "x,y\n1,10\n2,2\n3,1.0\n4,1\n5,-3\n");
        Dataset d = Dataset.fromCsv(p, CsvOption.classLabel("y"));
        assertEquals(List.of("-3", "1", "2", "10"), d.classNames());
        int[] expected = {3, 2, 1, 1, 0};
        for (int r = 0; r < 5; r++) {
            double[] t = d.targets(r);
            assertEquals(1.0, t[expected[r]], "row " + r);
        }
    }

    @Test
    void choosesFeaturesAndRegressionTargetsByName() throws IOException {
        Path p = file("r.csv", "id,a,b,note,y1,y2\n7,1,2,\"hello, world\",10,20\n8,3,4,x,30,40\n");
        Dataset d = Dataset.fromCsv(p, CsvOption.features("b", "a"), CsvOption.targets("y2", "y1"));
        assertEquals(List.of("b", "a"), d.featureNames());
        assertEquals(List.of(), d.classNames());
        assertArrayEquals(new double[] {2, 1, 4, 3}, flat(d));
        assertArrayEquals(new double[] {20, 10, 40, 30}, d.targetArray());
    }

    @Test
    void defaultFeaturesAreEveryNonTargetColumnInFileOrder() throws IOException {
        Path p = file("d.csv", "a,y,b,c\n1,9,2,3\n");
        Dataset d = Dataset.fromCsv(p, CsvOption.targets("y"));
        assertEquals(List.of("a", "b", "c"), d.featureNames());
        assertArrayEquals(new double[] {1, 2, 3}, flat(d));
    }

    @Test
    void readsWithoutHeaderByIndexWithAnotherDelimiter() throws IOException {
        Path p = file("n.csv", "1;2;3;4\n5;6;7;8\n");
        Dataset d = Dataset.fromCsv(p, CsvOption.noHeader(), CsvOption.delimiter(';'), CsvOption.features(2, 0),
                CsvOption.targets(3));
        assertEquals(List.of(), d.featureNames());
        assertArrayEquals(new double[] {3, 1, 7, 5}, flat(d));
        assertArrayEquals(new double[] {4, 8}, d.targetArray());
    }

    @Test
    void handlesQuotesLineEndingsBlankLinesSpacesAndByteOrderMark() throws IOException {
        String text = "\uFEFF a , \"b\" ,label\r\n"
                + "\r\n"
                + " 1.5 ,\t-2e1 , \"multi\nline \"\"label\"\"\"\r\n"
                + "   \n"
                + "+.25,\"3\",\"x,y\"\r"
                + "1.,0,\"multi\nline \"\"label\"\"\"";
        Path p = file("q.csv", text);
        Dataset d = Dataset.fromCsv(p, CsvOption.classLabel("label"));
        assertEquals(List.of("a", "b"), d.featureNames());
        assertArrayEquals(new double[] {1.5, -20, 0.25, 3, 1, 0}, flat(d));
        assertEquals(List.of("multi\nline \"label\"", "x,y"), d.classNames());
        assertArrayEquals(new double[] {1, 0, 0, 1, 1, 0}, d.targetArray());
    }

    @Test
    void tabSeparatedKeepsTabsAsDelimiters() throws IOException {
        Path p = file("t.tsv", "a\tb\ty\n1\t\t2\n");
        CsvFormatException e = assertThrows(CsvFormatException.class,
                () -> Dataset.fromCsv(p, CsvOption.delimiter('\t'), CsvOption.targets("y")));
        assertEquals(2, e.line());
        assertEquals(2, e.column());
        Path q = file("u.tsv", "a\tb\ty\n1 \t 2\t3\n");
        Dataset d = Dataset.fromCsv(q, CsvOption.delimiter('\t'), CsvOption.targets("y"));
        assertArrayEquals(new double[] {1, 2}, flat(d));
    }

    @Test
    void readsGzippedFilesByTheirMagicBytes() throws IOException {
        Path p = dir.resolve("data.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write("x,label\n1,a\n2,b\n".getBytes(StandardCharsets.UTF_8));
        }
        Dataset d = Dataset.fromCsv(p, CsvOption.classLabel("label"));
        assertArrayEquals(new double[] {1, 2}, flat(d));
        assertEquals(List.of("a", "b"), d.classNames());
    }

    @Test
    void binaryLabelGivesOneZeroOneTarget() throws IOException {
        Path p = file("b.csv", "radius,diagnosis\n17.9,M\n12.1,B\n13.0,B\n");
        Dataset d = Dataset.fromCsv(p, CsvOption.binaryLabel("diagnosis"));
        assertEquals(1, d.targetCount());
        assertEquals(List.of("B", "M"), d.classNames());
        assertArrayEquals(new double[] {1, 0, 0}, d.targetArray());
        Dataset flipped = Dataset.fromCsv(p, CsvOption.binaryLabel(1), CsvOption.classes("M", "B"));
        assertArrayEquals(new double[] {0, 1, 1}, flipped.targetArray());
        assertEquals(List.of("M", "B"), flipped.classNames());
    }

    @Test
    void fixedClassesKeepIndicesWhenAFileLacksAClass() throws IOException {
        Dataset train = Dataset.fromCsv(file("train.csv", "x,c\n1,a\n2,b\n3,c\n"), CsvOption.classLabel("c"));
        Path test = file("test.csv", "x,c\n4,c\n5,a\n");
        Dataset shifted = Dataset.fromCsv(test, CsvOption.classLabel("c"));
        assertEquals(List.of("a", "c"), shifted.classNames(), "without classes(), the test file has its own");
        Dataset same = Dataset.fromCsv(test, CsvOption.classLabel("c"), CsvOption.classes(train.classNames()));
        assertEquals(train.classNames(), same.classNames());
        assertArrayEquals(new double[] {0, 0, 1, 1, 0, 0}, same.targetArray());

        Dataset numeric = Dataset.fromCsv(file("num.csv", "x,c\n1,1.0\n2,0\n"), CsvOption.classLabel("c"),
                CsvOption.classes("0", "1", "2"));
        assertArrayEquals(new double[] {0, 1, 0, 1, 0, 0}, numeric.targetArray());

        CsvFormatException e = assertThrows(CsvFormatException.class, () -> Dataset.fromCsv(
                file("bad.csv", "x,c\n1,a\n2,d\n"), CsvOption.classLabel("c"), CsvOption.classes("a", "b")));
        assertEquals(3, e.line());
        assertEquals(2, e.column());
        assertTrue(e.getMessage().contains("\"d\" is not one of the classes [a, b]"), e.getMessage());
    }

    @Test
    void readsFromAReaderWithASourceName() throws IOException {
        Dataset d = Dataset.fromCsv(new StringReader("a,y\n1,2\n"), "inline", CsvOption.targets("y"));
        assertArrayEquals(new double[] {1}, flat(d));
        CsvFormatException e = assertThrows(CsvFormatException.class,
                () -> Dataset.fromCsv(new StringReader("a,y\n1,z\n"), "inline", CsvOption.targets("y")));
        assertEquals("inline, line 2, column 2 (y): expected a number, found \"z\"", e.getMessage());
    }

    @Test
    void numberParserAgreesWithParseDoubleBitForBit() {
        SplittableRandom random = new SplittableRandom(17L);
        String[] fixed = {"0", "-0", "00012", "1.", ".5", "-.5", "1e3", "1E-3", "+7", "123456789012345",
            "1234567890123456", "0.1", "0.30000000000000004", "9007199254740993", "1e22", "1e23", "4.35",
            "1.7976931348623157e308", "4.9e-324", "2.2250738585072014E-308", "123.456e-7", "0.000001234"};
        List<String> cases = new ArrayList<>(List.of(fixed));
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder();
            if (random.nextBoolean()) {
                s.append(random.nextBoolean() ? '-' : '+');
            }
            int intDigits = random.nextInt(0, 12);
            for (int k = 0; k < intDigits; k++) {
                s.append((char) ('0' + random.nextInt(10)));
            }
            int frac = random.nextInt(0, 12);
            if (frac > 0 || intDigits == 0) {
                s.append('.');
                for (int k = 0; k < Math.max(frac, 1); k++) {
                    s.append((char) ('0' + random.nextInt(10)));
                }
            }
            if (random.nextInt(4) == 0) {
                s.append(random.nextBoolean() ? 'e' : 'E').append(random.nextInt(-40, 40));
            }
            cases.add(s.toString());
        }
        for (String c : cases) {
            char[] chars = c.toCharArray();
            double expected = Double.parseDouble(c);
            double actual = CsvTokenizer.parse(chars, 0, chars.length);
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual), c);
        }
        for (String bad : new String[] {"", "+", "-", ".", "e5", "1e", "1e+", "1.2.3", "NaN", "Infinity", "0x10",
            "1d", "1f", "1,5", "1 2", "--1"}) {
            char[] chars = bad.toCharArray();
            assertTrue(Double.isNaN(CsvTokenizer.parse(chars, 0, chars.length)), bad);
        }
    }

    // ---------------------------------------------------------------- bad files: line and column

    private CsvFormatException bad(String text, CsvOption... options) throws IOException {
        Path p = file("bad.csv", text);
        CsvOption[] all = options.length == 0 ? new CsvOption[] {CsvOption.targets("y")} : options;
        return assertThrows(CsvFormatException.class, () -> Dataset.fromCsv(p, all));
    }

    private void assertAt(CsvFormatException e, long line, int column, String fragment) {
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(column, e.column(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertTrue(e.getMessage().startsWith(dir.resolve("bad.csv") + ", line " + line), e.getMessage());
    }

    @Test
    void malformedNumber() throws IOException {
        CsvFormatException e = bad("a,b,y\n1,2,3\n4,5x,6\n");
        assertAt(e, 3, 2, "column 2 (b): expected a number, found \"5x\"");
        assertEquals("expected a number, found \"5x\"", e.problem());
        assertEquals(dir.resolve("bad.csv").toString(), e.source());
    }

    @Test
    void missingValue() throws IOException {
        assertAt(bad("a,b,y\n1,2,3\n\n4,,6\n"), 4, 2, "missing value (the field is empty)");
        assertAt(bad("a,b,y\n1,NA,3\n"), 2, 2, "missing value: found \"NA\"");
        assertAt(bad("a,b,y\n1,?,3\n"), 2, 2, "missing value: found \"?\"");
        assertAt(bad("a,b,y\n1,2,\n"), 2, 3, "(y): missing value");
    }

    @Test
    void nonFiniteAndOddNumbers() throws IOException {
        assertAt(bad("a,b,y\n1,NaN,3\n"), 2, 2, "found \"NaN\"; every value must be a finite number");
        assertAt(bad("a,b,y\n1,-Infinity,3\n"), 2, 2, "every value must be a finite number");
        assertAt(bad("a,b,y\n1,1e999,3\n"), 2, 2, "too large for a double");
        assertAt(bad("a;b;y\n1;2,5;3\n", CsvOption.delimiter(';'), CsvOption.targets("y")), 2, 2,
                "decimal commas are not supported");
        assertAt(bad("a,b,y\n1,0x1F,3\n"), 2, 2, "expected a number, found \"0x1F\"");
    }

    @Test
    void wrongColumnCount() throws IOException {
        assertAt(bad("a,b,y\n1,2,3\n4,5\n"), 3, 3, "the line has 2 columns, expected 3 (as in the header);"
                + " this one is missing");
        assertAt(bad("a,b,y\n1,2,3,4\n"), 2, 4, "the line has 4 columns, expected 3");
        assertAt(bad("1,2\n3\n", CsvOption.noHeader(), CsvOption.targets(1)), 2, 2, "expected 2 (as in the first line)");
    }

    @Test
    void unknownColumnName() throws IOException {
        CsvFormatException e = bad("a,b,Label\n1,2,3\n", CsvOption.classLabel("label"));
        assertAt(e, 1, 0, "no column named 'label' in the header (did you mean 'Label'?); the columns are: a, b, Label");
        assertAt(bad("a,b,y\n1,2,3\n", CsvOption.features("a", "c"), CsvOption.targets("y")), 1, 0,
                "no column named 'c'");
        assertAt(bad("a,a,y\n1,2,3\n", CsvOption.features("a"), CsvOption.targets("y")), 1, 0,
                "more than one column named 'a'");
        assertAt(bad("\n\n1,2\n", CsvOption.noHeader(), CsvOption.targets(5)), 3, 0,
                "column index 5 (counting from 0) is beyond the 2 columns");
    }

    @Test
    void quotingErrors() throws IOException {
        assertAt(bad("a,b,y\n1,\"2,3\n4,5,6\n"), 2, 2, "never closed");
        assertAt(bad("a,b,y\n1,2\"x,3\n"), 2, 2, "a quote inside an unquoted field");
        assertAt(bad("a,b,y\n1,\"2\"x,3\n"), 2, 2, "after the closing quote, found 'x'");
    }

    @Test
    void emptyFilesAndEncoding() throws IOException {
        assertAt(bad(""), 1, 0, "the file is empty");
        assertAt(bad("a,b,y\n\n"), 1, 0, "no data rows after the header");
        Path p = dir.resolve("bad.csv");
        Files.write(p, new byte[] {'a', ',', 'y', '\n', '1', ',', (byte) 0xC3, (byte) 0x28, '\n'});
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> Dataset.fromCsv(p, CsvOption.targets("y")));
        assertAt(e, 2, 0, "not valid text");
    }

    @Test
    void labelProblems() throws IOException {
        assertAt(bad("x,c\n1,a\n2,\n", CsvOption.classLabel("c")), 3, 2, "missing class label");
        assertAt(bad("x,c\n1,a\n2,b\n3,a\n4,c\n", CsvOption.binaryLabel("c")), 5, 2,
                "binaryLabel needs exactly two classes, but the column has 3: [a, b, c]");
        assertAt(bad("x,c\n1,a\n2,a\n", CsvOption.classLabel("c")), 2, 2, "only one class, [a]");
    }

    // ---------------------------------------------------------------- skipping bad rows

    @Test
    void skipsBadRowsOnlyWhenAskedAndReportsThem() throws IOException {
        Path p = file("s.csv", "a,y\n1,2\nx,3\n4,5\n6\n7,8\n,9\n");
        assertThrows(CsvFormatException.class, () -> Dataset.fromCsv(p, CsvOption.targets("y")));
        List<CsvFormatException> problems = new ArrayList<>();
        Dataset d;
        try (LogCapture log = LogCapture.of(Dataset.class.getName())) {
            d = Dataset.fromCsv(p, CsvOption.targets("y"), CsvOption.skipBadRows(problems::add));
            assertEquals(1, log.warnings().size(), log.warnings().toString());
            String warning = log.warnings().get(0);
            assertTrue(warning.startsWith("skipped 3 bad rows of 6 in " + p), warning);
            assertTrue(warning.contains("line 3, column 1: expected a number, found \"x\""), warning);
        }
        assertArrayEquals(new double[] {1, 4, 7}, flat(d));
        assertArrayEquals(new double[] {2, 5, 8}, d.targetArray());
        assertEquals(List.of(3L, 5L, 7L), problems.stream().map(CsvFormatException::line).toList());
        assertEquals(List.of(1, 2, 1), problems.stream().map(CsvFormatException::column).toList());

        CsvFormatException all = assertThrows(CsvFormatException.class, () -> Dataset.fromCsv(
                file("allbad.csv", "a,y\nx,1\ny,2\n"), CsvOption.targets("y"), CsvOption.skipBadRows()));
        assertTrue(all.getMessage().contains("no valid rows: all 2 rows were skipped"), all.getMessage());
    }

    @Test
    void quotingErrorsAreNeverSkipped() throws IOException {
        Path p = file("q.csv", "a,y\n1,\"2\n");
        assertThrows(CsvFormatException.class,
                () -> Dataset.fromCsv(p, CsvOption.targets("y"), CsvOption.skipBadRows()));
    }

    // ---------------------------------------------------------------- options

    @Test
    void conflictingOrIncompleteOptionsAreRejected() throws IOException {
        Path p = file("o.csv", "a,y\n1,2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dataset.fromCsv(p));
        assertTrue(e.getMessage().contains("say which column holds the targets"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Dataset.fromCsv(p, CsvOption.targets("y"),
                CsvOption.delimiter(';'), CsvOption.delimiter(',')));
        assertEquals("conflicting CSV options: CsvOption.delimiter(';') and CsvOption.delimiter(',') both set the"
                + " delimiter", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.fromCsv(p, CsvOption.targets("y"), CsvOption.classLabel("a")));
        assertTrue(e.getMessage().contains("both set the target"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.fromCsv(p, CsvOption.header(), CsvOption.noHeader(), CsvOption.targets(1)));
        assertTrue(e.getMessage().contains("both set the header"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.fromCsv(p, CsvOption.noHeader(), CsvOption.targets("y")));
        assertTrue(e.getMessage().contains("choose it by index"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.fromCsv(p, CsvOption.features("a", "y"), CsvOption.targets("y")));
        assertEquals("column 'y' is chosen both as a feature and as a target", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.fromCsv(p, CsvOption.targets("y"), CsvOption.classes("a", "b")));
        assertTrue(e.getMessage().contains("not to numeric targets"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CsvOption.delimiter('"'));
        assertThrows(IllegalArgumentException.class, () -> CsvOption.features(-1));
        assertThrows(IllegalArgumentException.class, () -> CsvOption.features("a", "a"));
        assertThrows(IllegalArgumentException.class, () -> CsvOption.classes("only"));
        assertThrows(IllegalArgumentException.class, () -> CsvOption.targets(new String[0]));
        assertEquals("CsvOption.delimiter('\\t')", CsvOption.delimiter('\t').toString());
    }
}
