package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.data.CsvFormatException;
import dev.chainrule.data.CsvOption;
import dev.chainrule.data.Dataset;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The bundled data sets: intact, complete, and read the way the examples expect. */
class BundledDataTest {

    private static final Path DATA_README = Path.of("src", "main", "resources", "data", "README.md");

    @Test
    void readsTheBundledIris() {
        Dataset iris = BundledData.iris();
        assertEquals(150, iris.size());
        assertEquals(4, iris.featureCount());
        assertEquals(3, iris.targetCount());
        assertEquals(List.of("sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"),
                iris.featureNames());
        assertEquals(List.of("0", "1", "2"), iris.classNames(), "numeric labels, ordered by value");
        assertArrayEquals(new double[] {5.1, 3.5, 1.4, 0.2}, iris.features(0));
        assertArrayEquals(new double[] {1, 0, 0}, iris.targets(0));
        assertArrayEquals(new double[] {5.9, 3.0, 5.1, 1.8}, iris.features(149));
        assertArrayEquals(new double[] {0, 0, 1}, iris.targets(149));
        assertArrayEquals(new int[] {50, 50, 50}, classCounts(iris));
    }

    @Test
    void readsDiabetesAsARegression() {
        Dataset diabetes = BundledData.diabetes();
        assertEquals(442, diabetes.size());
        assertEquals(10, diabetes.featureCount());
        assertEquals(1, diabetes.targetCount());
        assertEquals(List.of("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"), diabetes.featureNames());
        assertArrayEquals(new double[] {59, 2, 32.1, 101, 157, 93.2, 38, 4, 4.8598, 87}, diabetes.features(0));
        assertArrayEquals(new double[] {151}, diabetes.targets(0));
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int row = 0; row < diabetes.size(); row++) {
            min = Math.min(min, diabetes.targets(row)[0]);
            max = Math.max(max, diabetes.targets(row)[0]);
        }
        assertEquals(25, min);
        assertEquals(346, max);
    }

    @Test
    void readsBreastCancerWithOneBinaryTarget() {
        Dataset cases = BundledData.breastCancer();
        assertEquals(569, cases.size());
        assertEquals(30, cases.featureCount());
        assertEquals(1, cases.targetCount());
        assertEquals("mean_radius", cases.featureNames().get(0));
        assertEquals("worst_fractal_dimension", cases.featureNames().get(29));
        assertArrayEquals(new int[] {212, 357}, classCounts(cases), "0 = malignant, 1 = benign");
    }

    @Test
    void readsTheDigits() {
        Dataset digits = BundledData.digits();
        assertEquals(1797, digits.size());
        assertEquals(64, digits.featureCount());
        assertArrayEquals(new int[] {178, 182, 177, 183, 181, 182, 181, 179, 174, 180}, classCounts(digits));
        assertEquals(16.0, max(digits.featureMaxAbs()));
    }

    @Test
    void readsTheGzippedMnistTestSetStreaming() {
        Dataset test = BundledData.mnistTest();
        assertEquals(10_000, test.size());
        assertEquals(784, test.featureCount());
        assertEquals(BundledData.DIGIT_NAMES, test.classNames());
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, classCounts(test));
        assertEquals(255.0, max(test.featureMaxAbs()));
        assertEquals(7, classOf(test.targets(0)), "the first test image is a 7");
        // (The 60,000 training images are read by the MNIST example's test.)
    }

    @Test
    void everyBundledFileHasTheChecksumItsReadmeStates() throws Exception {
        Map<String, String> expected = checksumsInReadme();
        assertEquals(List.of("iris.csv", "diabetes.csv", "breast_cancer.csv", "digits.csv", "mnist_train.csv.gz",
                "mnist_test.csv.gz"), List.copyOf(expected.keySet()), "one SHA-256 per bundled file in " + DATA_README);
        for (Map.Entry<String, String> file : expected.entrySet()) {
            assertEquals(file.getValue(), sha256("/data/" + file.getKey()),
                    file.getKey() + " differs from the file described in " + DATA_README
                            + " (changed line endings? a Git LFS pointer?)");
        }
    }

    @Test
    void namesTheResourceAndLineOfABadRow() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> BundledData.read("/data/bad-number.csv", CsvOption.classLabel("label")));
        CsvFormatException cause = assertInstanceOf(CsvFormatException.class, e.getCause());
        assertEquals("/data/bad-number.csv", cause.source());
        assertEquals(4, cause.line());
        assertEquals(2, cause.column());
        assertTrue(e.getMessage().startsWith("/data/bad-number.csv, line 4, column 2 (b)"), e.getMessage());
    }

    @Test
    void namesAMissingResource() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BundledData.read("/data/no-such-file.csv", CsvOption.classLabel("label")));
        assertTrue(e.getMessage().contains("/data/no-such-file.csv"), e.getMessage());
    }

    /** The file name and checksum of each "## file — title" section's "SHA-256:" line(s). */
    private static Map<String, String> checksumsInReadme() throws IOException {
        Map<String, String> sums = new LinkedHashMap<>();
        Pattern hash = Pattern.compile("`([0-9a-f]{64})`(?: \\((train|test)\\))?");
        String section = null;
        for (String line : Files.readAllLines(DATA_README, StandardCharsets.UTF_8)) {
            if (line.startsWith("## ")) {
                section = line.substring(3, line.indexOf(" — "));
            }
            Matcher m = hash.matcher(line);
            while (m.find()) {
                String name = m.group(2) == null ? section : "mnist_" + m.group(2) + ".csv.gz";
                sums.put(name, m.group(1));
            }
        }
        return sums;
    }

    private static String sha256(String resource) throws IOException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(BundledData.class.getResourceAsStream(resource), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static int[] classCounts(Dataset data) {
        int[] counts = new int[Math.max(2, data.targetCount())];
        for (int row = 0; row < data.size(); row++) {
            counts[classOf(data.targets(row))]++;
        }
        return counts;
    }

    /** The hot column of a one-hot row, or the value of a single 0/1 target. */
    static int classOf(double[] targets) {
        if (targets.length == 1) {
            return (int) targets[0];
        }
        int best = 0;
        for (int j = 1; j < targets.length; j++) {
            if (targets[j] > targets[best]) {
                best = j;
            }
        }
        return best;
    }

    private static double max(double[] values) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            m = Math.max(m, v);
        }
        return m;
    }
}
