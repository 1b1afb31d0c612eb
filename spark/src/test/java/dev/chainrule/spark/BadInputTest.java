package dev.chainrule.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.data.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Data that do not fit the network are refused before training starts, with a message that
 * names what is wrong, where, and the expected and actual sizes; the network is left unchanged.
 */
class BadInputTest {

    private static List<Sample> irisSamples() {
        return TestData.samples(TestData.irisScaled().train());
    }

    private static String failure(List<Sample> samples, int partitions) {
        IrisNetwork net = new IrisNetwork(42L);
        double[] before = net.parameters();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkTrainer.of(net).epochs(1).fit(LocalSpark.context().parallelize(samples, partitions)));
        SynchronousStepsTest.assertExactly(before, net.parameters(), "parameters after a refused fit");
        return e.getMessage();
    }

    @Test
    void aRowWithTheWrongFeatureCountIsNamed() {
        List<Sample> samples = new ArrayList<>(irisSamples()); // 105 rows: partition 1 holds rows 52..104
        samples.set(60, new Sample(new double[] {1, 2, 3}, samples.get(60).targets()));
        String message = failure(samples, 2);
        assertTrue(message.contains("row 8 of partition 1 has 3 features, but the network takes 4 inputs"), message);
        assertTrue(message.contains("row 60 of the data"), message);
    }

    @Test
    void aRowWithTheWrongTargetCountIsNamed() {
        List<Sample> samples = new ArrayList<>(irisSamples());
        samples.set(3, new Sample(samples.get(3).features(), new double[] {1, 0}));
        String message = failure(samples, 2);
        assertTrue(message.contains("row 3 of partition 0 has 2 targets, but the network gives 3 outputs"), message);
    }

    @Test
    void aValueThatIsNotFiniteIsNamed() {
        List<Sample> samples = new ArrayList<>(irisSamples());
        samples.set(0, new Sample(new double[] {1, Double.NaN, 3, 4}, samples.get(0).targets()));
        String message = failure(samples, 1);
        assertTrue(message.contains("row 0 of partition 0 has feature 1 = NaN, but every value must be finite"), message);
    }

    @Test
    void emptyDataAreRefused() {
        String message = failure(List.of(), 2);
        assertTrue(message.contains("the data have no rows"), message);
    }

    @Test
    void aValidationDatasetOfTheWrongWidthIsRefused() {
        Dataset wrong = Dataset.of(new double[][] {{1, 2}}, new double[][] {{1, 0, 0}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkTrainer.of(new IrisNetwork()).validation(wrong)
                        .fit(LocalSpark.context().parallelize(irisSamples(), 2)));
        assertEquals("the validation dataset has 2 features and 3 targets per row, but the network takes 4 inputs"
                + " and gives 3 outputs", e.getMessage());
    }

    @Test
    void aMissingColumnIsNamedWithTheColumnsThereAre() {
        org.apache.spark.sql.Dataset<Row> frame = frame(List.of(row(0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkTrainer.of(new IrisNetwork()).columns("x", "label").fit(frame));
        assertEquals("the DataFrame has no features column 'x'; its columns are [features, label] (choose others"
                + " with SparkTrainer.columns(features, targets))", e.getMessage());
    }

    @Test
    void aColumnOfTheWrongTypeIsNamed() {
        org.apache.spark.sql.Dataset<Row> frame = frame(List.of(row(0)))
                .selectExpr("features", "cast(label as string) as label");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkTrainer.of(new IrisNetwork()).fit(frame));
        assertTrue(e.getMessage().startsWith("the targets column 'label' is string, but must be a number"),
                e.getMessage());
    }

    @Test
    void aClassIndexOutOfRangeIsNamed() {
        org.apache.spark.sql.Dataset<Row> frame = frame(List.of(
                row(0),
                row(3)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkTrainer.of(new IrisNetwork()).fit(frame.coalesce(1)));
        assertTrue(e.getMessage().contains("row 1 of partition 0 has 'label' = 3.0, which is not a class index 0..2"
                + " for the network's 3 outputs"), e.getMessage());
    }

    @Test
    void aNetworkThatCannotBeRebuiltIsRefusedOnTheDriver() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Networks.create("dev.chainrule.spark.NoSuchNetwork"));
        assertTrue(e.getMessage().contains("class dev.chainrule.spark.NoSuchNetwork is not on this JVM's class path"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Networks.create(String.class.getName()));
        assertTrue(e.getMessage().contains("does not implement dev.chainrule.Model"), e.getMessage());
    }

    private static Row row(int label) {
        return RowFactory.create(new Double[] {1.0, 2.0, 3.0, 4.0}, label);
    }

    static org.apache.spark.sql.Dataset<Row> frame(List<Row> rows) {
        StructType schema = new StructType()
                .add("features", DataTypes.createArrayType(DataTypes.DoubleType))
                .add("label", DataTypes.IntegerType);
        return LocalSpark.session().createDataFrame(rows, schema);
    }

    static List<Row> irisRows(Dataset data) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            double[] t = data.targets(i);
            int label = 0;
            for (int j = 1; j < t.length; j++) {
                if (t[j] > t[label]) {
                    label = j;
                }
            }
            rows.add(RowFactory.create(Arrays.stream(data.features(i)).boxed().toArray(Double[]::new), label));
        }
        return rows;
    }
}
