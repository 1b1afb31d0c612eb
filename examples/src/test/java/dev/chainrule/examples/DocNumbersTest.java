package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chainrule.data.Dataset;
import dev.chainrule.data.StandardScaler;
import dev.chainrule.train.Convergence;
import dev.chainrule.train.LearningRateSchedule;
import dev.chainrule.train.Monitor;
import dev.chainrule.train.ProgressBar;
import dev.chainrule.train.Trainer;
import dev.chainrule.train.TrainingResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The program output the docs quote is what the programs print: every line of each quoted block
 * (but {@code ...}) is a line of the output, the times in brackets aside, which vary from run to
 * run. The runs repeat bit for bit on one machine with the same JDK.
 */
class DocNumbersTest {

    private static final Path DOCS = Path.of("..", "docs");

    @TempDir
    Path reports;

    /** docs/getting-started.md quotes the Iris example's progress and its test results. */
    @Test
    void gettingStartedQuotesTheIrisExample() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        IrisExample.run(RunOptions.defaults(new PrintStream(buffer, true, StandardCharsets.UTF_8))
                .withReportDirectory(reports));
        String output = buffer.toString(StandardCharsets.UTF_8);
        assertQuoted("getting-started.md", "before training: validation loss", output);
        assertQuoted("getting-started.md", "test accuracy: ", output);
    }

    /** docs/training.md prints the Iris example's test evaluation. */
    @Test
    void trainingGuideQuotesTheIrisTestEvaluation() throws IOException {
        IrisExample.Result result = IrisExample.run(RunOptions.defaults(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).withReportDirectory(reports));
        assertQuoted("training.md", "CLASSIFICATION of ", result.test() + "\n");
    }

    /**
     * docs/training.md runs its first code block on the Iris example's standardised training rows
     * and quotes the plain progress lines, one frame of the bar drawn in place, and the result.
     */
    @Test
    void trainingGuideQuotesItsFirstExample() throws IOException {
        ExampleRun.Settings iris = IrisExample.SETTINGS;
        Dataset.ThreeWaySplit split = BundledData.iris().stratifiedSplit(iris.trainFraction(),
                iris.validationFraction(), iris.splitSeed());
        Dataset train = StandardScaler.fit(split.train()).transform(split.train());

        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        TrainingResult r = firstExample(new IrisNetwork(iris.networkSeed()), train,
                ProgressBar.to(new PrintStream(plain, true, StandardCharsets.UTF_8), false).every(25));
        assertQuoted("training.md", "epoch   1/300  loss", plain.toString(StandardCharsets.UTF_8));
        String page = Files.readString(DOCS.resolve("training.md"), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        String quoted = r.toString().substring(0, r.toString().indexOf(", stopped:"));
        assertTrue(page.contains("`" + quoted + ", ...)`"), "docs/training.md should quote " + quoted + ", ...");
        String restored = "got the parameters of epoch " + r.restoredEpoch().orElseThrow() + " back";
        assertTrue(page.contains(restored), "docs/training.md should say the network " + restored);

        ByteArrayOutputStream inPlace = new ByteArrayOutputStream();
        firstExample(new IrisNetwork(iris.networkSeed()), train,
                ProgressBar.to(new PrintStream(inPlace, true, StandardCharsets.UTF_8), true).every(25));
        // The first frame is always drawn: epoch 1 after its first batch.
        String firstFrame = inPlace.toString(StandardCharsets.UTF_8).split("\r")[1];
        assertQuoted("training.md", "epoch   1/300  [", firstFrame + "\n");
    }

    /** docs/optimizers.md quotes IrisOptimizers. */
    @Test
    void optimizersGuideQuotesIrisOptimizers() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        IrisOptimizers.run(RunOptions.defaults(new PrintStream(buffer, true, StandardCharsets.UTF_8)));
        assertQuoted("optimizers.md", "held-out accuracy of SGD", buffer.toString(StandardCharsets.UTF_8));
    }

    /** The first code block of docs/training.md, with the progress output given. */
    private static TrainingResult firstExample(IrisNetwork net, Dataset train, ProgressBar progress) {
        return Trainer.of(net)
                .learningRate(0.1).batchSize(16).epochs(300).seed(7L)
                .schedule(LearningRateSchedule.cosineAnnealing(290, 0.001).withLinearWarmUp(10))
                .validationSplit(0.2, 7L)
                .stopWhen(Convergence.noImprovement(Monitor.VALIDATION_LOSS, 1e-4, 20))
                .restoreBest(true)
                .listener(progress)
                .fit(train);
    }

    /**
     * Each line of the page's plain code block that starts with {@code firstLine} (but lines of
     * {@code ...}) is a line of {@code output}, with times like {@code (0.1 s)} left out of both.
     */
    private static void assertQuoted(String page, String firstLine, String output) throws IOException {
        List<String> block = block(page, firstLine);
        List<String> printed = output.lines().map(DocNumbersTest::withoutTime).toList();
        List<String> missing = new ArrayList<>();
        for (String line : block) {
            if (!line.strip().equals("...") && !printed.contains(withoutTime(line))) {
                missing.add(line);
            }
        }
        assertEquals(List.of(), missing, "docs/" + page + " quotes lines the program does not print; it printed:\n"
                + output);
    }

    /** The lines of the first {@code ```} block (no language) of the page whose first line starts so. */
    private static List<String> block(String page, String firstLine) throws IOException {
        List<String> lines = Files.readAllLines(DOCS.resolve(page), StandardCharsets.UTF_8);
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).equals("```") && lines.get(i + 1).startsWith(firstLine)) {
                int end = i + 1;
                while (!lines.get(end).startsWith("```")) {
                    end++;
                }
                return lines.subList(i + 1, end);
            }
        }
        return fail("docs/" + page + " has no code block starting with '" + firstLine + "'");
    }

    private static String withoutTime(String line) {
        return line.replaceAll("\\(\\d+\\.\\d s\\)", "(time)").stripTrailing();
    }
}
