package dev.chainrule.examples;

import dev.chainrule.data.Dataset;
import dev.chainrule.data.Scaler;
import dev.chainrule.data.StandardScaler;
import dev.chainrule.metrics.ConfusionMatrix;
import dev.chainrule.metrics.Evaluation;
import dev.chainrule.metrics.Metric;
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
 * a confusion matrix (a mass is called benign when the output is above 0.5).
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
     * @param training the loss and accuracy of every epoch, on the training and validation rows
     * @param before the untrained network on the validation rows
     * @param test loss, accuracy and confusion matrix on the test rows
     * @param report the HTML training report written
     */
    public record Result(BreastCancerNetwork network, Scaler scaler, TrainingResult training, Evaluation before,
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
        BreastCancerNetwork net = new BreastCancerNetwork(NETWORK_SEED);
        out.print(net.summary());
        out.println();

        Dataset cases = BundledData.breastCancer();
        Dataset.ThreeWaySplit split = cases.stratifiedSplit(TRAIN_FRACTION, VALIDATION_FRACTION, SPLIT_SEED);
        Scaler scaler = StandardScaler.fit(split.train());   // areas reach 4,000, smoothness 0.05: scale
        Dataset train = scaler.transform(split.train());
        Dataset validation = scaler.transform(split.validation());
        Dataset testRows = scaler.transform(split.test());
        out.printf(Locale.ROOT, "data: %d cases from %s: %d to train on, %d to validate, %d to test%n%n",
                cases.size(), BundledData.BREAST_CANCER, train.size(), validation.size(), testRows.size());

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
        ConfusionMatrix confusion = Console.named(test, DIAGNOSES);
        long malignantFound = confusion.count(0, 0);
        long malignant = malignantFound + confusion.count(0, 1);
        long benignMissed = confusion.count(1, 0);
        long benign = benignMissed + confusion.count(1, 1);
        out.println();
        out.printf(Locale.ROOT, "final training loss (binary cross-entropy): %.6f after %d epochs, in %s%n",
                training.finalLoss(), training.epochs(), Console.seconds(training.elapsed()));
        out.println("test accuracy: " + Console.accuracy(test));
        out.printf(Locale.ROOT, "malignant masses found (sensitivity): %d of %d; benign masses called malignant: %d of %d%n",
                malignantFound, malignant, benignMissed, benign);
        out.println();
        Console.printConfusion(out, "diagnosis", confusion);

        Path report = new TrainingReport("Breast cancer",
                        "Breast Cancer Wisconsin (Diagnostic): 30 measurements in, malignant or benign out;"
                        + " 30-16-1 network, tanh and sigmoid, binary cross-entropy")
                .result("test accuracy", Console.accuracy(test))
                .result("malignant found", malignantFound + " of " + malignant)
                .result("test loss (binary cross-entropy)", String.format(Locale.ROOT, "%.4f", test.loss()))
                .curves(training, Metric.ACCURACY, "binary cross-entropy")
                .baseline(before)
                .note("Training loss and accuracy: the means over each epoch's mini-batches, measured while the"
                        + " parameters changed. Validation: the " + validation.size() + " validation rows, after"
                        + " each epoch. A case is called benign when the output is above"
                        + " 0.5.")
                .confusion(confusion)
                .topology(net.summary())
                .setting("data", cases.size() + " rows of " + BundledData.BREAST_CANCER)
                .setting("split (stratified, seed " + SPLIT_SEED + ")", train.size() + " train / "
                        + validation.size() + " validation / " + testRows.size() + " test")
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
        return new Result(net, scaler, training, before, test, report);
    }
}
