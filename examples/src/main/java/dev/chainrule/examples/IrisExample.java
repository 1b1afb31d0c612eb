package dev.chainrule.examples;

import dev.chainrule.data.Dataset;
import dev.chainrule.data.Scaler;
import dev.chainrule.data.StandardScaler;
import dev.chainrule.metrics.Evaluation;
import dev.chainrule.metrics.Metric;
import dev.chainrule.train.Convergence;
import dev.chainrule.train.Trainer;
import dev.chainrule.train.TrainingResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Fisher's iris: the {@link Iris} spec (4 measurements, 16 tanh hidden units, 3-way softmax,
 * categorical cross-entropy) trained on a stratified 60% of the bundled data, validated on 20%
 * and measured on the remaining 20%.
 */
public final class IrisExample {

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
    public static final int MAX_EPOCHS = 500;

    private static final List<String> SPECIES = BundledData.IRIS_SPECIES;

    private IrisExample() {}

    /**
     * What the run produced.
     *
     * @param network the trained network
     * @param scaler the standardisation fitted on the training rows; apply it to new inputs
     * @param training the loss and accuracy of every epoch, on the training and validation rows
     * @param before the untrained network on the validation rows
     * @param trainRows the number of training rows
     * @param test loss, accuracy and confusion matrix on the test rows
     * @param report the HTML training report written
     */
    public record Result(IrisNetwork network, Scaler scaler, TrainingResult training, Evaluation before,
            int trainRows, Evaluation test, Path report) {}

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
        IrisNetwork net = new IrisNetwork(NETWORK_SEED);
        out.print(net.summary());
        out.println();

        Dataset iris = BundledData.iris();
        Dataset.ThreeWaySplit split = iris.stratifiedSplit(TRAIN_FRACTION, VALIDATION_FRACTION, SPLIT_SEED);
        Scaler scaler = StandardScaler.fit(split.train());   // fitted on the training rows only
        Dataset train = scaler.transform(split.train());
        Dataset validation = scaler.transform(split.validation());
        Dataset testRows = scaler.transform(split.test());
        out.printf(Locale.ROOT, "data: %d rows from %s: %d to train on, %d to validate, %d to test%n%n",
                iris.size(), BundledData.IRIS, train.size(), validation.size(), testRows.size());

        Evaluation before = Evaluation.of(net, validation);
        Console.printBaseline(out, before);
        int epochs = options.epochsOr(MAX_EPOCHS);
        TrainingResult training = Trainer.of(net)
                .learningRate(LEARNING_RATE)
                .batchSize(BATCH_SIZE)
                .epochs(epochs)
                .seed(TRAINING_SEED)
                .validation(validation)   // measured after every epoch, never trained on
                .stopWhen(Convergence.noSignificantImprovement(0.001, 20))
                .listener(options.progress(50))
                .fit(train);

        Evaluation test = Evaluation.of(net, testRows);
        out.println();
        out.printf(Locale.ROOT, "final training loss (cross-entropy): %.6f after %d epochs, in %s%n",
                training.finalLoss(), training.epochs(), Console.seconds(training.elapsed()));
        out.println("stop reason: " + training.stopReason());
        out.println("test accuracy: " + Console.accuracy(test));
        out.println();
        Console.printConfusion(out, "species", Console.named(test, SPECIES));
        out.println();
        out.println("sample predictions (raw measurements in cm, standardised with the training scaler):");
        for (int row = 0; row < 3; row++) {
            double[] measurements = split.test().features(row);
            double[] p = net.predict(scaler.transform(measurements));
            int predicted = argmax(p);
            out.printf(Locale.ROOT, "  %.1f, %.1f, %.1f, %.1f  -> %-10s (p = %.3f)   true: %s%n",
                    measurements[0], measurements[1], measurements[2], measurements[3],
                    SPECIES.get(predicted), p[predicted], SPECIES.get(argmax(split.test().targets(row))));
        }

        Path report = new TrainingReport("Iris",
                        "Fisher's iris: 4 measurements in, 3 species out; 4-16-3 network, tanh and softmax")
                .result("test accuracy", Console.accuracy(test))
                .result("test loss (cross-entropy)", String.format(Locale.ROOT, "%.4f", test.loss()))
                .result("epochs", Integer.toString(training.epochs()))
                .curves(training, Metric.ACCURACY, "cross-entropy")
                .baseline(before)
                .note("Training loss and accuracy: the means over each epoch's mini-batches, measured while the"
                        + " parameters changed. Validation: the " + validation.size() + " validation rows, after"
                        + " each epoch.")
                .confusion(Console.named(test, SPECIES))
                .topology(net.summary())
                .setting("data", iris.size() + " rows of " + BundledData.IRIS)
                .setting("split (stratified, seed " + SPLIT_SEED + ")", train.size() + " train / "
                        + validation.size() + " validation / " + testRows.size() + " test")
                .setting("scaling", "StandardScaler fitted on the training rows")
                .setting("network seed", NETWORK_SEED)
                .setting("optimizer", "SGD, learning rate " + LEARNING_RATE)
                .setting("batch size", BATCH_SIZE)
                .setting("epoch budget", epochs)
                .setting("stop condition", "no significant improvement (0.1%) of the training loss for 20 epochs")
                .setting("trainer seed", TRAINING_SEED)
                .setting("stop reason", training.stopReason())
                .setting("training time", Console.seconds(training.elapsed()))
                .write(options.reportDirectory(), "iris");
        out.println();
        out.println("report: " + report.toAbsolutePath().normalize());
        return new Result(net, scaler, training, before, train.size(), test, report);
    }

    private static int argmax(double[] values) {
        int best = 0;
        for (int j = 1; j < values.length; j++) {
            if (values[j] > values[best]) {
                best = j;
            }
        }
        return best;
    }
}
