package dev.chainrule.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.data.CsvOption;
import dev.chainrule.data.Dataset;
import dev.chainrule.train.EpochEvent;
import dev.chainrule.train.Trainer;
import dev.chainrule.train.TrainingResult;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The measurement of docs/spark.md, not part of the normal build: MNIST's 60,000 training rows,
 * read by Spark from the gzipped CSV, trained for three epochs in {@code local[1]} and then in
 * {@code local[2]} (the same two partitions both times, so the same work), synchronously and with
 * parameter averaging; prints rows per second of epochs 2 and 3 (epoch 1 also reads the file and
 * warms the JIT), and the local trainer on the same rows with one and two threads for reference.
 * Run it with
 *
 * <pre>
 * mvn -B -ntp -pl spark -am verify -Dtest=MnistThroughputTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dchainrule.mnist=$PWD/examples/src/main/resources/data/mnist_train.csv.gz
 * </pre>
 */
@EnabledIfSystemProperty(named = "chainrule.mnist", matches = ".+")
class MnistThroughputTest {

    private static final int EPOCHS = 3;

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void measureLocalOneAgainstLocalTwo() {
        Path csv = Path.of(System.getProperty("chainrule.mnist"));
        assertTrue(Files.isRegularFile(csv), csv + " is not a file");
        List<String> report = new ArrayList<>();
        for (String master : List.of("local[1]", "local[2]")) {
            SparkSession spark = SparkSession.builder().master(master).appName("mnist-throughput")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
            try {
                org.apache.spark.sql.Dataset<Row> frame = mnist(spark, csv).repartition(2).cache();
                long rows = frame.count();
                report.add(measure(master, "synchronous, batch 256", rows,
                        SparkTrainer.of(new MnistNetwork(1L)).learningRate(0.1).batchSize(256), frame));
                report.add(measure(master, "synchronous, batch 1024", rows,
                        SparkTrainer.of(new MnistNetwork(1L)).learningRate(0.2).batchSize(1024), frame));
                report.add(measure(master, "averaging, batch 32, 50 local steps", rows,
                        SparkTrainer.of(new MnistNetwork(1L)).parameterAveraging(50).learningRate(0.05).batchSize(32),
                        frame));
                frame.unpersist();
            } finally {
                spark.stop();
            }
        }
        // The reference: the local trainer on the same rows, with as many threads as local[N] has.
        Dataset train = readLocally(csv);
        for (int threads : new int[] {1, 2}) {
            List<Duration> ends = new ArrayList<>();
            Trainer.of(new MnistNetwork(1L)).learningRate(0.1).batchSize(256).epochs(EPOCHS).seed(3L).threads(threads)
                    .listener((EpochEvent e) -> ends.add(e.elapsed())).fit(train);
            double seconds = (ends.get(EPOCHS - 1).toNanos() - ends.get(0).toNanos()) / 1e9 / (EPOCHS - 1);
            report.add(String.format("%-9s %-36s %6.1f s/epoch %8.0f rows/s", "Trainer", "threads(" + threads
                    + "), batch 256", seconds, train.size() / seconds));
        }
        System.out.println("MnistThroughputTest (" + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + "):\n" + String.join("\n", report));
    }

    private static String measure(String master, String mode, long rows, SparkTrainer trainer,
            org.apache.spark.sql.Dataset<Row> frame) {
        List<Duration> ends = new ArrayList<>();
        TrainingResult result = trainer.epochs(EPOCHS).seed(3L).listener((EpochEvent e) -> ends.add(e.elapsed()))
                .fit(frame);
        double seconds = (ends.get(EPOCHS - 1).toNanos() - ends.get(0).toNanos()) / 1e9 / (EPOCHS - 1);
        return String.format("%-9s %-36s %6.1f s/epoch %8.0f rows/s  (epoch 1 with reading: %5.1f s; loss %.4f -> %.4f)",
                master, mode, seconds, rows / seconds, ends.get(0).toNanos() / 1e9, result.trainLoss()[0],
                result.finalLoss());
    }

    /** The CSV as a local dataset, the pixels scaled to [0, 1] as {@link #mnist} does. */
    static Dataset readLocally(Path csv) {
        try (Reader reader = new InputStreamReader(new GZIPInputStream(Files.newInputStream(csv), 1 << 16),
                StandardCharsets.UTF_8)) {
            Dataset raw = Dataset.fromCsv(reader, csv.toString(), CsvOption.classLabel("label"));
            double[][] x = new double[raw.size()][];
            double[][] y = new double[raw.size()][];
            for (int i = 0; i < raw.size(); i++) {
                x[i] = raw.features(i);
                for (int j = 0; j < x[i].length; j++) {
                    x[i][j] /= 255.0;
                }
                y[i] = raw.targets(i);
            }
            return Dataset.of(x, y);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CSV as a DataFrame of {@code features} (the 784 pixels / 255) and {@code label}. */
    static org.apache.spark.sql.Dataset<Row> mnist(SparkSession spark, Path csv) {
        StructType schema = new StructType();
        for (int i = 0; i < 784; i++) {
            schema = schema.add("pixel" + i, DataTypes.IntegerType);
        }
        schema = schema.add("label", DataTypes.IntegerType);
        org.apache.spark.sql.Dataset<Row> raw = spark.read().option("header", "true").schema(schema)
                .csv(csv.toString());
        Column[] pixels = new Column[784];
        for (int i = 0; i < 784; i++) {
            pixels[i] = functions.col("pixel" + i).divide(255.0);
        }
        return raw.select(functions.array(pixels).as("features"), functions.col("label"));
    }
}
