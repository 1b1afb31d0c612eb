package dev.chainrule.examples;

import dev.chainrule.data.Dataset;
import dev.chainrule.data.Scaler;
import dev.chainrule.data.StandardScaler;
import dev.chainrule.train.ProgressPrinter;
import dev.chainrule.train.Trainer;
import dev.chainrule.train.TrainingResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Binary classification: the {@link BreastCancer} spec (30 measurements, 16 tanh units, one
 * sigmoid output, binary cross-entropy) tells malignant from benign breast masses. Trained on a
 * stratified 60% of the 569 cases, validated on 20%, measured on the other 20% with accuracy and
 * a confusion matrix (a mass is called benign when the output is at least 0.5).
 */
public final class BreastCancerExample {

    /** The seed of the network's initial weights. */
    public static final long NETWORK_SEED = 42L;
    /** The seed of the train/validation/test split. */
    public static final long SPLIT_SEED = 7L;
    /** The seed of the trainer (the per-epoch shuffle). */
    public static final long TRAINING_SEED = 7L;
    public static final double TRAIN_FRACTION = 0.6;
    public static final double VALIDATION_FRACTION = 0.2;
    public static final double LEARNING_RATE = 0.05;
    public static final int BATCH_SIZE = 16;
    public static final int EPOCHS = 30;

    private static final List<String> DIAGNOSES = BundledData.DIAGNOSES;

    private BreastCancerExample() {}

    /**
     * What the run produced.
     *
     * @param network the trained network; its output is the probability of "benign"
     * @param scaler the standardisation fitted on the training rows; apply it to new inputs
     * @param training the losses and the reason training stopped
     * @param curves the loss and accuracy of every epoch
     * @param test loss, accuracy and confusion matrix on the test rows
     * @param report the HTML training report written
     */
    public record Result(BreastCancerNetwork network, Scaler scaler, TrainingResult training, LearningCurves curves,
            Metrics.Classification test, Path report) {}

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
        BreastCancerNetwork net = new BreastCancerNetwork(NETWORK_SEED);
        out.print(net.summary());
        out.println();

        Dataset cases = BundledData.breastCancer();
        Dataset.ThreeWaySplit split = cases.stratifiedSplit(TRAIN_FRACTION, VALIDATION_FRACTION, SPLIT_SEED);
        Scaler scaler = StandardScaler.fit(split.train());   // areas reach 4,000, smoothness 0.05: scale
        Dataset train = scaler.transform(split.train());
        Dataset validation = scaler.transform(split.validation());
        Dataset test = scaler.transform(split.test());
        out.printf(Locale.ROOT, "data: %d cases from %s: %d to train on, %d to validate, %d to test%n%n",
                cases.size(), BundledData.BREAST_CANCER, train.size(), validation.size(), test.size());

        int epochs = options.epochsOr(EPOCHS);
        LearningCurves curves = LearningCurves.start(net, LearningCurves.Kind.ACCURACY, train, validation, out, 5);
        TrainingResult training = Trainer.of(net)
                .learningRate(LEARNING_RATE)
                .batchSize(BATCH_SIZE)
                .epochs(epochs)
                .seed(TRAINING_SEED)
                .listener(ProgressPrinter.to(out).every(5))
                .listener(curves)
                .fit(train);

        Metrics.Classification result = Metrics.classify(net, test);
        int[][] c = result.confusion();
        out.println();
        out.printf(Locale.ROOT, "final training loss (binary cross-entropy): %.6f after %d epochs, in %s%n",
                training.finalLoss(), training.epochs(), Console.seconds(training.elapsed()));
        out.println("test accuracy: " + result.accuracyText());
        out.printf(Locale.ROOT, "malignant masses found (sensitivity): %d of %d; benign masses called malignant: %d of %d%n",
                c[0][0], c[0][0] + c[0][1], c[1][0], c[1][0] + c[1][1]);
        out.println();
        Console.printConfusion(out, "diagnosis", DIAGNOSES, c);

        Path report = new TrainingReport("Breast cancer",
                        "Breast Cancer Wisconsin (Diagnostic): 30 measurements in, malignant or benign out;"
                        + " 30-16-1 network, tanh and sigmoid, binary cross-entropy")
                .result("test accuracy", result.accuracyText())
                .result("malignant found", c[0][0] + " of " + (c[0][0] + c[0][1]))
                .result("test loss (binary cross-entropy)", String.format(Locale.ROOT, "%.4f", result.loss()))
                .curves(curves, "binary cross-entropy")
                .note("Training loss: the mean over each epoch's mini-batches. Validation loss and both accuracies:"
                        + " measured after each epoch, on all " + train.size() + " training and "
                        + validation.size() + " validation rows. A case is called benign when the output is at"
                        + " least 0.5.")
                .confusion(DIAGNOSES, c)
                .topology(net.summary())
                .setting("data", cases.size() + " rows of " + BundledData.BREAST_CANCER)
                .setting("split (stratified, seed " + SPLIT_SEED + ")", train.size() + " train / "
                        + validation.size() + " validation / " + test.size() + " test")
                .setting("scaling", "StandardScaler fitted on the training rows")
                .setting("network seed", NETWORK_SEED)
                .setting("optimizer", "SGD, learning rate " + LEARNING_RATE)
                .setting("batch size", BATCH_SIZE)
                .setting("epoch budget", epochs)
                .setting("trainer seed", TRAINING_SEED)
                .setting("stop reason", training.stopReason())
                .setting("training time", Console.seconds(training.elapsed()))
                .write(options.reportDirectory(), "breast-cancer");
        out.println();
        out.println("report: " + report.toAbsolutePath().normalize());
        return new Result(net, scaler, training, curves, result, report);
    }
}
