package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.metrics.ConfusionMatrix;
import dev.chainrule.metrics.Evaluation;
import dev.chainrule.train.TrainingResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every example of the launcher with a small epoch budget and checks that it learns — its
 * losses fall well below the untrained network's, and its held-out score beats chance by a
 * stated margin — and that it prints its progress and writes a report with the curves.
 *
 * <p>Chance is what a model without the inputs would score: for a classifier, always predicting
 * the test rows' most common class; for a regression, always predicting the mean (R² = 0).
 */
class ExamplesLearnTest {

    /**
     * One example's budget and bar.
     *
     * @param name the launcher's name
     * @param epochs the small budget (0 for XOR: its own loss threshold ends it within a second)
     * @param margin the test score must exceed chance by this much
     * @param classifier whether there is a confusion matrix and an accuracy
     */
    record Case(String name, int epochs, double margin, boolean classifier) {
        @Override
        public String toString() {
            return name + " (" + (epochs == 0 ? "default" : epochs) + " epochs)";
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("xor", 0, 0.5, true),               // all four rows: 100% against 50%
                new Case("iris", 30, 0.45, true),            // chance 33%
                new Case("diabetes", 10, 0.3, false),        // R² above 0.3; chance 0
                new Case("breast-cancer", 5, 0.25, true),    // chance 63% (benign)
                new Case("digits", 5, 0.7, true),            // chance 10%
                new Case("mnist", 1, 0.75, true));           // chance 11% (the digit 1)
    }

    @TempDir
    Path reports;

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void learnsAndWritesItsReport(Case c) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        RunOptions options = RunOptions.defaults(new PrintStream(buffer, true, StandardCharsets.UTF_8))
                .withReportDirectory(reports).withEpochs(c.epochs());
        long start = System.nanoTime();
        Outcome result = run(c.name(), options);
        String output = buffer.toString(StandardCharsets.UTF_8);
        double seconds = (System.nanoTime() - start) / 1e9;

        TrainingResult training = result.training();
        double[] trainLoss = training.trainLoss();
        double[] validationLoss = training.validationLoss();
        double before = result.before().loss();
        double score;
        double chance;
        if (c.classifier()) {
            ConfusionMatrix m = result.score().confusionMatrix();
            score = result.score().accuracy();
            chance = majorityShare(m);
        } else {
            score = result.score().r2();
            chance = 0.0;
        }
        String observed = String.format(Locale.ROOT, "%s: %d epochs in %.1f s; validation loss before training %.4f;"
                + " after: training loss %.4f, validation loss %.4f; test score %.4f against chance %.4f (margin %.2f)",
                c.name(), training.epochs(), seconds, before, last(trainLoss), last(validationLoss), score, chance,
                c.margin());
        System.out.println("ExamplesLearnTest " + observed);

        // It learns.
        // The untrained network's validation loss stands for both: the rows come from one distribution.
        if (c.epochs() > 0) {
            assertEquals(c.epochs(), training.epochs(), observed);
        }
        assertEquals(training.epochs(), validationLoss.length, "validated after every epoch");
        assertTrue(last(trainLoss) < 0.7 * before, "training loss did not fall: " + observed);
        assertTrue(last(validationLoss) < 0.7 * before, "validation loss did not fall: " + observed);
        assertTrue(score >= chance + c.margin(), "not far enough above chance: " + observed + "\n" + output);

        // It says so as it goes.
        assertTrue(Pattern.compile("(?m)^epoch +1/\\d+  loss").matcher(output).find(), output);
        assertTrue(output.contains("before training: validation loss"), output);
        assertTrue(output.contains("val_loss"), "the progress lines show the validation: " + output);
        assertTrue(output.contains("stopped: "), output);

        // And writes a self-contained report with both curves.
        Path report = result.report();
        String html = Files.readString(report, StandardCharsets.UTF_8);
        assertEquals(reports.resolve(c.name() + ".html"), report);
        assertTrue(output.contains("report: " + report.toAbsolutePath().normalize()), output);
        assertEquals(2, count(html, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"curve\""), "two charts");
        Matcher polyline = Pattern.compile("<polyline class=\"series\"[^>]* points=\"([^\"]*)\"").matcher(html);
        int series = 0;
        while (polyline.find()) {
            assertEquals(training.epochs(), polyline.group(1).split(" ").length, "one vertex per epoch");
            series++;
        }
        assertEquals(4, series, "training and validation, loss and accuracy or R²");
        assertEquals(c.classifier(), html.contains("<table class=\"confusion\">"), "a confusion matrix for classifiers");
        assertTrue(html.contains("total parameters:"), "the topology");
        assertTrue(html.contains("<h2>Settings</h2>"), "the settings");
        assertFalse(html.contains("<script") || html.contains("src=") || html.contains("href=")
                || html.contains("@import") || html.contains("url("), "loads nothing");
        assertEquals(count(html, "http"), count(html, "xmlns=\"http://www.w3.org/2000/svg\""),
                "no address but the SVG namespace");
    }

    @Test
    void everyExampleOfTheLauncherHasACase() {
        assertEquals(Examples.ALL.stream().map(Examples.Example::name).toList(),
                cases().map(Case::name).toList());
    }

    /**
     * What the checks need from an example's result.
     *
     * @param before the untrained network on the validation rows
     * @param score the trained network on the test rows (for XOR, the truth table)
     */
    record Outcome(TrainingResult training, Evaluation before, Evaluation score, Path report) {}

    private static Outcome run(String name, RunOptions options) {
        switch (name) {
            case "xor": {
                XorExample.Result r = XorExample.run(options);
                return new Outcome(r.training(), r.before(), r.truthTable(), r.report());
            }
            case "iris": {
                IrisExample.Result r = IrisExample.run(options);
                return new Outcome(r.training(), r.before(), r.test(), r.report());
            }
            case "diabetes": {
                DiabetesExample.Result r = DiabetesExample.run(options);
                return new Outcome(r.training(), r.before(), r.test(), r.report());
            }
            case "breast-cancer": {
                BreastCancerExample.Result r = BreastCancerExample.run(options);
                return new Outcome(r.training(), r.before(), r.test(), r.report());
            }
            case "digits": {
                DigitsExample.Result r = DigitsExample.run(options);
                return new Outcome(r.training(), r.before(), r.test(), r.report());
            }
            case "mnist": {
                MnistExample.Result r = MnistExample.run(options);
                return new Outcome(r.training(), r.before(), r.test(), r.report());
            }
            default:
                throw new AssertionError("no case for example " + name + "; add it to cases() and run()");
        }
    }

    /** The share of the most common true class: what always predicting it would score. */
    private static double majorityShare(ConfusionMatrix m) {
        long best = 0;
        for (int actual = 0; actual < m.classCount(); actual++) {
            long n = 0;
            for (int predicted = 0; predicted < m.classCount(); predicted++) {
                n += m.count(actual, predicted);
            }
            best = Math.max(best, n);
        }
        return (double) best / m.total();
    }

    private static double last(double[] values) {
        return values[values.length - 1];
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
