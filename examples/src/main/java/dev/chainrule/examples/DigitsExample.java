package dev.chainrule.examples;

import dev.chainrule.data.Dataset;
import dev.chainrule.data.MinMaxScaler;
import dev.chainrule.data.Scaler;
import dev.chainrule.metrics.ConfusionMatrix;
import dev.chainrule.metrics.Evaluation;
import dev.chainrule.metrics.Metric;
import dev.chainrule.train.Trainer;
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

    /** The seed of the network's initial weights. */
    public static final long NETWORK_SEED = 42L;
    /** The seed of the train/validation/test split. */
    public static final long SPLIT_SEED = 7L;
    /** The seed of the trainer (the per-epoch shuffle). */
    public static final long TRAINING_SEED = 7L;
    public static final double TRAIN_FRACTION = 0.6;
    public static final double VALIDATION_FRACTION = 0.2;
    public static final double LEARNING_RATE = 0.1;
    public static final int BATCH_SIZE = 16;
    public static final int EPOCHS = 40;

    private DigitsExample() {}

    /**
     * What the run produced.
     *
     * @param network the trained network
     * @param scaler the pixel scaling (count / 16); apply it to new images
     * @param training the loss and accuracy of every epoch, on the training and validation rows
     * @param before the untrained network on the validation rows
     * @param test loss, accuracy and confusion matrix on the test rows
     * @param report the HTML training report written
     */
    public record Result(DigitsNetwork network, Scaler scaler, TrainingResult training, Evaluation before,
            Evaluation test, Path report) {}

    public static void main(String[] args) {
        run(RunOptions.defaults(System.out));
    }

    /** Runs with the default settings, printing to {@code out}. */
    public static Result run(PrintStream out) {
        return run(RunOptions.defaults(out));
    }

    /** Loads the data, trains, evaluates, prints everything and writes the report. */
    public static Result run(RunOptions options) {
        PrintStream out = options.out();
        DigitsNetwork net = new DigitsNetwork(NETWORK_SEED);
        out.print(net.summary());
        out.println();

        Dataset digits = BundledData.digits();
        Dataset.ThreeWaySplit split = digits.stratifiedSplit(TRAIN_FRACTION, VALIDATION_FRACTION, SPLIT_SEED);
        // Each pixel counts the "on" bits of a 4x4 block: 0..16 becomes 0..1, the same for every pixel.
        double[] empty = new double[64];
        double[] full = new double[64];
        Arrays.fill(full, 16.0);
        Scaler scaler = MinMaxScaler.of(empty, full, 0.0, 1.0);
        Dataset train = scaler.transform(split.train());
        Dataset validation = scaler.transform(split.validation());
        Dataset testRows = scaler.transform(split.test());
        out.printf(Locale.ROOT, "data: %,d images from %s: %d to train on, %d to validate, %d to test%n%n",
                digits.size(), BundledData.DIGITS, train.size(), validation.size(), testRows.size());

        int epochs = options.epochsOr(EPOCHS);
        Evaluation before = Evaluation.of(net, validation);
        Console.printBaseline(out, before);
        TrainingResult training = Trainer.of(net)
                .learningRate(LEARNING_RATE)
                .batchSize(BATCH_SIZE)
                .epochs(epochs)
                .seed(TRAINING_SEED)
                .validation(validation)
                .listener(options.progress(5))
                .fit(train);

        Evaluation test = Evaluation.of(net, testRows);
        ConfusionMatrix confusion = Console.named(test, BundledData.DIGIT_NAMES);
        out.println();
        out.printf(Locale.ROOT, "final training loss (cross-entropy): %.6f after %d epochs, in %s%n",
                training.finalLoss(), training.epochs(), Console.seconds(training.elapsed()));
        out.println("test accuracy: " + Console.accuracy(test));
        out.println();
        Console.printConfusion(out, "digit", confusion);

        Path report = new TrainingReport("Digits 8x8",
                        "Handwritten digits, 8x8 pixel counts: 64-32-10 network, tanh and softmax")
                .result("test accuracy", Console.accuracy(test))
                .result("test loss (cross-entropy)", String.format(Locale.ROOT, "%.4f", test.loss()))
                .result("epochs", Integer.toString(training.epochs()))
                .curves(training, Metric.ACCURACY, "cross-entropy")
                .baseline(before)
                .note("Training loss and accuracy: the means over each epoch's mini-batches, measured while the"
                        + " parameters changed. Validation: the " + validation.size() + " validation rows, after"
                        + " each epoch.")
                .confusion(confusion)
                .topology(net.summary())
                .setting("data", digits.size() + " rows of " + BundledData.DIGITS)
                .setting("split (stratified, seed " + SPLIT_SEED + ")", train.size() + " train / "
                        + validation.size() + " validation / " + testRows.size() + " test")
                .setting("scaling", "pixel count / 16 (MinMaxScaler with the range 0..16)")
                .setting("network seed", NETWORK_SEED)
                .setting("optimizer", "SGD, learning rate " + LEARNING_RATE)
                .setting("batch size", BATCH_SIZE)
                .setting("epoch budget", epochs)
                .setting("trainer seed", TRAINING_SEED)
                .setting("stop reason", training.stopReason())
                .setting("training time", Console.seconds(training.elapsed()))
                .write(options.reportDirectory(), "digits");
        out.println();
        out.println("report: " + report.toAbsolutePath().normalize());
        return new Result(net, scaler, training, before, test, report);
    }
}
