package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.data.Dataset;
import dev.chainrule.data.Scaler;
import dev.chainrule.data.StandardScaler;
import dev.chainrule.metrics.Evaluation;
import dev.chainrule.train.Convergence;
import dev.chainrule.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the Iris example itself, with its default settings. */
class IrisExampleTest {

    @TempDir
    Path reports;

    @Test
    void classifiesTheHeldOutFlowers() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        IrisExample.Result result = IrisExample.run(
                RunOptions.defaults(new PrintStream(buffer, true, StandardCharsets.UTF_8)).withReportDirectory(reports));
        String output = buffer.toString(StandardCharsets.UTF_8);

        assertEquals(90, result.trainRows(), "60% of 150 rows");
        assertEquals(30, result.test().size(), "20%, stratified");
        assertArrayEquals(new long[] {10, 10, 10}, Arrays.stream(result.test().confusionMatrix().counts())
                .mapToLong(row -> Arrays.stream(row).sum()).toArray(), "each species keeps its share");
        String observed = String.format(Locale.ROOT, "test accuracy %s, final training loss %.6f after %d epochs (%s)",
                Console.accuracy(result.test()), result.training().finalLoss(), result.training().epochs(),
                result.training().stopReason());
        System.out.println("IrisExampleTest: " + observed);
        // This split (seed 7) is the hardest of the twelve in splitSeedsAgree: 27 of 30 here.
        assertTrue(result.test().accuracy() >= 0.85, observed + "\n" + output);

        assertTrue(output.startsWith("IrisNetwork"), "the summary comes first:\n" + output);
        assertTrue(output.contains("confusion matrix"), output);
        assertTrue(output.contains("test accuracy: " + Console.accuracy(result.test())), output);
        assertTrue(output.contains("val_accuracy"), "the progress lines show the validation:\n" + output);
        for (String species : BundledData.IRIS_SPECIES) {
            assertTrue(output.contains(species), species + " missing from:\n" + output);
        }
        assertEquals(reports.resolve("iris.html"), result.report());
    }

    /**
     * One split of 150 rows decides a lot: each test flower is 3.3%. Over twelve split seeds
     * (the example's settings otherwise), the accuracy on the held-out 20% is typically 96.7%.
     */
    @Test
    void splitSeedsAgree() {
        Dataset iris = BundledData.iris();
        double[] accuracy = new double[12];
        for (int seed = 1; seed <= accuracy.length; seed++) {
            Dataset.ThreeWaySplit split = iris.stratifiedSplit(IrisExample.SETTINGS.trainFraction(),
                    IrisExample.SETTINGS.validationFraction(), seed);
            Scaler scaler = StandardScaler.fit(split.train());
            IrisNetwork net = new IrisNetwork(IrisExample.SETTINGS.networkSeed());
            Trainer.of(net)
                    .learningRate(IrisExample.SETTINGS.learningRate())
                    .batchSize(IrisExample.SETTINGS.batchSize())
                    .epochs(IrisExample.SETTINGS.epochs())
                    .seed(IrisExample.SETTINGS.trainingSeed())
                    .stopWhen(Convergence.noSignificantImprovement(0.001, 20))
                    .fit(scaler.transform(split.train()));
            accuracy[seed - 1] = Evaluation.of(net, scaler.transform(split.test())).accuracy();
        }
        double[] sorted = accuracy.clone();
        Arrays.sort(sorted);
        String observed = "test accuracy for split seeds 1..12: " + Arrays.toString(accuracy);
        System.out.println("IrisExampleTest: " + observed);
        assertTrue((sorted[5] + sorted[6]) / 2 >= 0.95, "median: " + observed);
        assertTrue(sorted[0] >= 0.85, "worst: " + observed);
    }
}
