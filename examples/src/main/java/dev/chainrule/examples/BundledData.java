package dev.chainrule.examples;

import dev.chainrule.data.CsvOption;
import dev.chainrule.data.Dataset;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * The data sets bundled with the examples, read from the classpath (they live under
 * {@code src/main/resources/data/}, so inside {@code chainrule-examples.jar} too) with the
 * runtime's CSV reader, {@link Dataset#fromCsv(Reader, String, CsvOption...)}.
 *
 * <p>Every file is comma-separated with one header row; the last column is the class
 * {@code label} or, for diabetes, the regression {@code target}. Where the files came from and
 * their licences: {@code src/main/resources/data/README.md}.
 */
public final class BundledData {

    /** Fisher's iris: 150 rows, 4 measurements in cm, 3 species. */
    public static final String IRIS = "/data/iris.csv";
    /** Diabetes progression: 442 patients, 10 baseline values, a numeric target. */
    public static final String DIABETES = "/data/diabetes.csv";
    /** Breast Cancer Wisconsin (Diagnostic): 569 rows, 30 features, malignant or benign. */
    public static final String BREAST_CANCER = "/data/breast_cancer.csv";
    /** The 8x8 handwritten digits: 1,797 images of 64 pixels (0..16), digits 0..9. */
    public static final String DIGITS = "/data/digits.csv";
    /** MNIST's 60,000 training images of 784 pixels (0..255), gzipped. */
    public static final String MNIST_TRAIN = "/data/mnist_train.csv.gz";
    /** MNIST's 10,000 test images, gzipped. */
    public static final String MNIST_TEST = "/data/mnist_test.csv.gz";

    /** The species of {@link #IRIS}, indexed by label. */
    public static final List<String> IRIS_SPECIES = List.of("setosa", "versicolor", "virginica");
    /** The diagnoses of {@link #BREAST_CANCER}, indexed by label (scikit-learn's coding). */
    public static final List<String> DIAGNOSES = List.of("malignant", "benign");
    /** The classes of the digit data sets, indexed by label. */
    public static final List<String> DIGIT_NAMES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private BundledData() {}

    /** {@link #IRIS} with one-hot targets for its 3 species. */
    public static Dataset iris() {
        return read(IRIS, CsvOption.classLabel("label"));
    }

    /** {@link #DIABETES} with its one numeric target, unscaled. */
    public static Dataset diabetes() {
        return read(DIABETES, CsvOption.targets("target"));
    }

    /** {@link #BREAST_CANCER} with one 0/1 target: 0 = malignant, 1 = benign. */
    public static Dataset breastCancer() {
        return read(BREAST_CANCER, CsvOption.binaryLabel("label"));
    }

    /** {@link #DIGITS} with one-hot targets for the 10 digits. */
    public static Dataset digits() {
        return read(DIGITS, CsvOption.classLabel("label"));
    }

    /** {@link #MNIST_TRAIN}, read streaming from the gzipped resource, with one-hot targets. */
    public static Dataset mnistTrain() {
        return read(MNIST_TRAIN, CsvOption.classLabel("label"), CsvOption.classes(DIGIT_NAMES));
    }

    /** {@link #MNIST_TEST}, read streaming from the gzipped resource, with one-hot targets. */
    public static Dataset mnistTest() {
        return read(MNIST_TEST, CsvOption.classLabel("label"), CsvOption.classes(DIGIT_NAMES));
    }

    /**
     * Reads a bundled CSV resource; a resource whose name ends in {@code .gz} is decompressed
     * while it is read, never unpacked to disk.
     *
     * @param resource the classpath resource, for example {@code /data/iris.csv}
     * @throws IllegalArgumentException if the resource does not exist
     * @throws UncheckedIOException if it cannot be read or does not parse; the cause, a
     *     {@link dev.chainrule.data.CsvFormatException}, names the resource, line and column
     */
    public static Dataset read(String resource, CsvOption... options) {
        Objects.requireNonNull(resource, "resource");
        InputStream raw = BundledData.class.getResourceAsStream(resource);
        if (raw == null) {
            throw new IllegalArgumentException("resource " + resource + " is not on the classpath");
        }
        try (InputStream in = new BufferedInputStream(raw, 1 << 16);
                Reader reader = new InputStreamReader(
                        resource.endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in, StandardCharsets.UTF_8)) {
            return Dataset.fromCsv(reader, resource, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
