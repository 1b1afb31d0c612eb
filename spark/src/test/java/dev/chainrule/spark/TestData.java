package dev.chainrule.spark;

import dev.chainrule.data.CsvOption;
import dev.chainrule.data.Dataset;
import dev.chainrule.data.Scaler;
import dev.chainrule.data.StandardScaler;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The data the tests train on, read from this module's test resources (copies of the examples'
 * files, with their licences in {@code src/test/resources/data/README.md}).
 */
final class TestData {

    private TestData() {}

    /** Iris split 70/30 with seed 7 and standardised on the training part, as the examples' acceptance test. */
    static Dataset.Split irisScaled() {
        Dataset.Split split = read("/data/iris.csv").split(0.7, 7L);
        Scaler scaler = StandardScaler.fit(split.train());
        return new Dataset.Split(scaler.transform(split.train()), scaler.transform(split.test()));
    }

    static Dataset read(String resource) {
        InputStream in = TestData.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalArgumentException(resource + " is not on the test class path");
        }
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return Dataset.fromCsv(reader, resource, CsvOption.classLabel("label"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rows of a dataset as samples, in dataset order. */
    static List<Sample> samples(Dataset data) {
        List<Sample> out = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            out.add(new Sample(data.features(i), data.targets(i)));
        }
        return out;
    }
}
