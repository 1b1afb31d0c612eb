package dev.chainrule.examples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Precision;
import dev.chainrule.data.Dataset;
import dev.chainrule.data.Scaler;
import dev.chainrule.data.StandardScaler;
import dev.chainrule.examples.BundledData;
import dev.chainrule.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the FAQ's snippets and checks what the FAQ says about them. */
class FaqSnippetsTest {

    @TempDir
    Path dir;

    @Test
    void aNetworkSaysWhichKernelsItRuns() {
        String summary = FaqSnippets.whichKernels();
        String last = summary.lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.equals("kernels: portable Java") || last.equals("kernels: Vector API (jdk.incubator.vector)"),
                "summary() ends with the kernels: " + last);
    }

    @Test
    void scalingAndStopping() {
        Dataset iris = BundledData.iris();
        double[] sizes = FaqSnippets.scale(iris, new double[] {5.1, 3.5, 1.4, 0.2});
        assertEquals(30, sizes[0], "20% of 150 rows to test");
        assertEquals(3, sizes[1], "three probabilities");
        Dataset.Split split = StandardScaler.fit(iris).transform(iris).stratifiedSplit(0.8, 3L);
        TrainingResult result = FaqSnippets.stopping(new IrisNetwork(1L), split.train(), split.test());
        assertTrue(result.epochs() <= 1000, result.stopReason());
        double[] validation = result.validationLoss();
        int best = 0;
        for (int e = 1; e < validation.length; e++) {
            if (validation[e] < validation[best]) {
                best = e;
            }
        }
        // Empty when the last epoch was the best: the network then has its parameters anyway.
        assertEquals(best + 1, result.restoredEpoch().orElse(result.epochs()), "the best validation epoch's parameters");
    }

    @Test
    void aSavedModelComesBackWithItsScaler() throws IOException {
        Dataset iris = BundledData.iris();
        Scaler scaler = StandardScaler.fit(iris);
        IrisNetwork net = new IrisNetwork(42L);
        dev.chainrule.train.Trainer.of(net).learningRate(0.1).batchSize(16).epochs(100).fit(scaler.transform(iris));
        int species = FaqSnippets.saveAndLoad(net, scaler, dir.resolve("iris.model"));
        assertEquals(net.predictClass(scaler.transform(new double[] {5.1, 3.5, 1.4, 0.2})), species);
        assertEquals(0, species, "a setosa");
    }

    @Test
    void aCopyServesWhileTheOriginalTrains() {
        Dataset iris = BundledData.iris();
        IrisNetwork net = new IrisNetwork(42L);
        double[] before = net.parameters();
        IrisNetwork serving = FaqSnippets.threads(net, StandardScaler.fit(iris).transform(iris));
        assertNotSame(net, serving);
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(serving.parameters()),
                "the copy kept the parameters from before training");
    }

    @Test
    void aDoubleNetworkPassesTheTightGradientCheck() {
        double[][] x = {{-0.9, 1.0, -1.3, -1.3}, {0.3, -0.6, 0.5, 0.3}, {1.1, -0.1, 1.0, 1.2}};
        double[][] y = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        double error = FaqSnippets.gradientCheckInDouble(x, y);
        assertTrue(error < 1e-6, "max relative error " + error);
        assertEquals(Precision.DOUBLE, new Iris64Network().precision());
    }
}
