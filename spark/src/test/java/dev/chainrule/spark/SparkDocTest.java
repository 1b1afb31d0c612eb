package dev.chainrule.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.io.ModelFile;
import dev.chainrule.train.Convergence;
import dev.chainrule.train.ProgressPrinter;
import dev.chainrule.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of docs/spark.md, which quotes this file (DocsTest in examples/ checks that the
 * page's excerpts appear here, in order): they compile, run and train.
 */
class SparkDocTest {

    @Test
    void theFirstExampleTrainsIris(@TempDir Path dir) throws IOException {
        JavaSparkContext sc = LocalSpark.context();
        List<Sample> samples = TestData.samples(TestData.irisScaled().train());

        IrisNetwork net = new IrisNetwork(42L);
        JavaRDD<Sample> rows = sc.parallelize(samples, 2);                // features and one-hot targets
        TrainingResult r = SparkTrainer.of(net)
                .learningRate(0.1).batchSize(16).epochs(40).seed(7L)
                .stopWhen(Convergence.noSignificantImprovement(0.001, 20))
                .listener(ProgressPrinter.to(System.out).every(10))
                .fit(rows);
        ModelFile.save(net, dir.resolve("iris.model"));                   // the trained network is on the driver

        assertTrue(r.finalLoss() < 0.5 * r.trainLoss()[0], r.toString());
        assertTrue(Files.size(dir.resolve("iris.model")) > 0);
    }

    @Test
    void theDataFrameExampleTrainsFromParquet(@TempDir Path dir) {
        SparkSession spark = LocalSpark.session();
        String path = dir.resolve("iris.parquet").toString();
        BadInputTest.frame(BadInputTest.irisRows(TestData.irisScaled().train())).write().parquet(path);
        IrisNetwork net = new IrisNetwork(42L);

        Dataset<Row> frame = spark.read().parquet(path);
        TrainingResult r = SparkTrainer.of(net).columns("features", "label").epochs(3).fit(frame);

        assertEquals(3, r.epochs());
        assertTrue(Double.isFinite(r.finalLoss()));
    }
}
