package dev.chainrule.examples;

import dev.chainrule.data.Dataset;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Reads the data sets bundled with the examples (under {@code src/main/resources/data/}, so
 * inside the jar too) from the classpath.
 *
 * <p>The format is the one of every bundled file: ASCII, comma-separated, one header row, no
 * quoting; numeric feature columns first, and the last column an integer class label
 * {@code 0..classCount-1}. Any other line is an error that names the resource and the line
 * (numbered from 1, the header being line 1), so a damaged file fails at once and says where.
 */
public final class BundledData {

    /** The bundled Iris data set: 150 rows, 4 measurements in cm, 3 species. */
    public static final String IRIS = "/data/iris.csv";

    /** The species of {@link #IRIS}, indexed by label. */
    public static final List<String> IRIS_SPECIES = List.of("setosa", "versicolor", "virginica");

    /** A decimal number, optionally with an exponent: no hex, no NaN or Infinity, no type suffix. */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private BundledData() {}

    /** The bundled Iris data set as a one-hot classification dataset (4 features, 3 targets). */
    public static Dataset iris() {
        return classification(IRIS, IRIS_SPECIES.size());
    }

    /**
     * Reads a bundled CSV file as a classification dataset whose targets are the one-hot
     * encoding of the last column ({@link Dataset#ofLabels}).
     *
     * @param resource the classpath resource, for example {@code /data/iris.csv}
     * @param classCount the number of classes; every label must be in {@code 0..classCount-1}
     * @throws CsvFormatException if a line is malformed (the message names resource and line)
     * @throws IllegalArgumentException if the resource does not exist
     * @throws UncheckedIOException if reading fails
     */
    public static Dataset classification(String resource, int classCount) {
        Table table = read(resource, classCount);
        return Dataset.ofLabels(table.features(), table.labels(), classCount);
    }

    /**
     * Reads a bundled CSV file into arrays, checking every line as described on the class.
     *
     * @see #classification(String, int)
     */
    public static Table read(String resource, int classCount) {
        Objects.requireNonNull(resource, "resource");
        if (classCount < 1) {
            throw new IllegalArgumentException("classCount is " + classCount + ", must be at least 1");
        }
        InputStream in = BundledData.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalArgumentException("resource " + resource + " is not on the classpath");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            return parse(resource, reader, classCount);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + resource + ": " + e.getMessage(), e);
        }
    }

    private static Table parse(String resource, BufferedReader reader, int classCount) throws IOException {
        String headerLine = reader.readLine();
        if (headerLine == null || headerLine.isBlank()) {
            throw new CsvFormatException(resource, 1, "the header row is missing (the file is empty)");
        }
        String[] header = headerLine.split(",", -1);
        if (header.length < 2) {
            throw new CsvFormatException(resource, 1, "the header has " + header.length
                    + " column; it needs at least one feature column and the label column");
        }
        for (int c = 0; c < header.length; c++) {
            header[c] = header[c].strip();
            if (header[c].isEmpty()) {
                throw new CsvFormatException(resource, 1, "column " + (c + 1) + " of the header has no name");
            }
        }
        int featureCount = header.length - 1;
        List<double[]> features = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int lineNumber = 1;
        String line;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) {
                throw new CsvFormatException(resource, lineNumber, "the line is empty");
            }
            String[] fields = line.split(",", -1);
            if (fields.length != header.length) {
                throw new CsvFormatException(resource, lineNumber, "the line has " + fields.length
                        + (fields.length == 1 ? " field" : " fields") + ", expected " + header.length
                        + " as in the header");
            }
            double[] row = new double[featureCount];
            for (int c = 0; c < featureCount; c++) {
                String field = fields[c].strip();
                if (!NUMBER.matcher(field).matches()) {
                    throw new CsvFormatException(resource, lineNumber, "column " + (c + 1) + " (" + header[c]
                            + ") is \"" + field + "\", not a number");
                }
                row[c] = Double.parseDouble(field);
                if (!Double.isFinite(row[c])) {
                    throw new CsvFormatException(resource, lineNumber, "column " + (c + 1) + " (" + header[c]
                            + ") is \"" + field + "\", too large for a double");
                }
            }
            String labelField = fields[featureCount].strip();
            int label;
            try {
                label = Integer.parseInt(labelField);
            } catch (NumberFormatException e) {
                throw new CsvFormatException(resource, lineNumber, "the label (" + header[featureCount] + ") is \""
                        + labelField + "\", not an integer class index");
            }
            if (label < 0 || label >= classCount) {
                throw new CsvFormatException(resource, lineNumber, "the label (" + header[featureCount] + ") is "
                        + label + ", outside 0.." + (classCount - 1));
            }
            features.add(row);
            labels.add(label);
        }
        if (features.isEmpty()) {
            throw new CsvFormatException(resource, lineNumber, "the file has a header but no data rows");
        }
        int[] labelArray = labels.stream().mapToInt(Integer::intValue).toArray();
        return new Table(List.of(header), features.toArray(new double[0][]), labelArray);
    }

    /**
     * The contents of a bundled file.
     *
     * @param columns the header: the feature names, then the label column's name
     * @param features one row of features per data line
     * @param labels one class index per data line
     */
    public record Table(List<String> columns, double[][] features, int[] labels) {

        /** The names of the feature columns, in order. */
        public List<String> featureNames() {
            return columns.subList(0, columns.size() - 1);
        }
    }

    /** A bundled CSV file that does not have the expected format, with the line at fault. */
    public static final class CsvFormatException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        private final String resource;
        private final int lineNumber;

        CsvFormatException(String resource, int lineNumber, String problem) {
            super(resource + ", line " + lineNumber + ": " + problem);
            this.resource = resource;
            this.lineNumber = lineNumber;
        }

        /** The classpath resource that was read. */
        public String resource() {
            return resource;
        }

        /** The line at fault, numbered from 1 (the header is line 1). */
        public int lineNumber() {
            return lineNumber;
        }
    }
}
