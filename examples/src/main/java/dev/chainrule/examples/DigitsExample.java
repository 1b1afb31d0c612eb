package dev.chainrule.examples;

import dev.chainrule.data.Dataset;
import dev.chainrule.data.MinMaxScaler;
import dev.chainrule.data.Scaler;
import dev.chainrule.metrics.ConfusionMatrix;
import dev.chainrule.metrics.Evaluation;
import dev.chainrule.metrics.Metric;
import dev.chainrule.train.TrainingResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The 8x8 digits: the {@link Digits} spec (64 pixel counts, 32 tanh units, 10-way softmax)
 * trained on a stratified 60% of the 1,797 images, validated on 20%, measured on the other 20%.
 * MNIST's little sibling: the same task at 1/12 of the pixels, trained in a second or two.
 */
public final class DigitsExample {

    /** The shared settings with a budget of 40 epochs, a progress line every 5. */
    static final ExampleRun.Settings SETTINGS = ExampleRun.Settings.DEFAULTS.epochs(40).printEvery(5);

    private DigitsExample() {}

    /**
     * What the run produced.
     *
     * @param scaler the pixel scaling (count / 16); apply it to new images
     * @param before the untrained network on the validation rows
     * @param test loss, accuracy and confusion matrix on the test rows
     */
    public record Result(DigitsNetwork network, Scaler scaler, TrainingResult training, Evaluation before,
            Evaluation test, Path report) {}

    public static void main(String[] args) {
        run(RunOptions.defaults(System.out));
    }

    /** Loads the data, trains, evaluates, prints everything and writes the report. */
    public static Result run(RunOptions options) {
        DigitsNetwork net = new DigitsNetwork(SETTINGS.networkSeed());
        ExampleRun run = new ExampleRun(options, net, SETTINGS);

        Dataset digits = BundledData.digits();
        Dataset.ThreeWaySplit split = run.split(digits, "images", BundledData.DIGITS);
        // Each pixel counts the "on" bits of a 4x4 block: 0..16 becomes 0..1, the same for every pixel.
        double[] empty = new double[64];
        double[] full = new double[64];
        Arrays.fill(full, 16.0);
        Scaler scaler = MinMaxScaler.of(empty, full, 0.0, 1.0);
        ExampleRun.Data data = run.scale(split, scaler::transform,
                "pixel count / 16 (MinMaxScaler with the range 0..16)");

        TrainingResult training = run.trainer().fit(data.train());

        Evaluation test = Evaluation.of(net, data.test());
        ConfusionMatrix confusion = Console.named(test, BundledData.DIGIT_NAMES);
        PrintStream out = options.out();
        run.printTraining(training, "cross-entropy");
        out.println("test accuracy: " + Console.accuracy(test));
        out.println();
        Console.printConfusion(out, "digit", confusion);

        TrainingReport report = run.report("Digits 8x8",
                        "Handwritten digits, 8x8 pixel counts: 64-32-10 network, tanh and softmax",
                        training, Metric.ACCURACY, "cross-entropy")
                .result("test accuracy", Console.accuracy(test))
                .result("test loss (cross-entropy)", String.format(Locale.ROOT, "%.4f", test.loss()))
                .result("epochs", Integer.toString(training.epochs()))
                .confusion(confusion);
        Path file = run.write(report, "digits");
        return new Result(net, scaler, training, run.before(), test, file);
    }
}
