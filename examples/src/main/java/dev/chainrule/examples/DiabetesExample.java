package dev.chainrule.examples;

import dev.chainrule.data.Dataset;
import dev.chainrule.data.Scaler;
import dev.chainrule.data.StandardScaler;
import dev.chainrule.metrics.Evaluation;
import dev.chainrule.metrics.Metric;
import dev.chainrule.train.Trainer;
import dev.chainrule.train.TrainingResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A regression: the {@link Diabetes} spec (10 baseline measurements, 16 tanh units, one linear
 * output, mean squared error) predicts a measure of disease progression one year later. Trained on
 * 60% of the 442 patients, validated on 20%, measured on the other 20% with R², the share of the
 * target's variance the network explains.
 */
public final class DiabetesExample {

    /** The seed of the network's initial weights. */
    public static final long NETWORK_SEED = 42L;
    /** The seed of the train/validation/test split. */
    public static final long SPLIT_SEED = 7L;
    /** The seed of the trainer (the per-epoch shuffle). */
    public static final long TRAINING_SEED = 7L;
    public static final double TRAIN_FRACTION = 0.6;
    public static final double VALIDATION_FRACTION = 0.2;
    public static final double LEARNING_RATE = 0.01;
    public static final int BATCH_SIZE = 16;
    public static final int EPOCHS = 30;

    private DiabetesExample() {}

    /**
     * What the run produced.
     *
     * @param network the trained network; it predicts standardised targets, see {@code target}
     * @param scaler the standardisation of the features, fitted on the training rows
     * @param target the standardisation of the target: {@code progression = mean + std × output}
     * @param training the loss and R² of every epoch, on the training and validation rows
     * @param before the untrained network on the validation rows
     * @param test the test rows' loss, errors and R², of the standardised target (R² is the same in
     *     any units; multiply the errors by {@code target.std()} for the target's units)
     * @param predicted the network's prediction for each test row, in the target's units
     * @param actual each test row's target, in its units
     * @param report the HTML training report written
     */
    public record Result(DiabetesNetwork network, Scaler scaler, TargetScale target, TrainingResult training,
            Evaluation before, Evaluation test, double[] predicted, double[] actual, Path report) {

        /** The root mean squared error on the test rows, in the target's units. */
        public double testRmse() {
            return target.std() * test.rootMeanSquaredError();
        }
    }

    /**
     * Standardises a single regression target, {@code (y - mean) / std}, with the mean and the
     * population standard deviation of the training rows. The target ranges from 25 to 346: fed
     * raw to mean squared error, its gradients would be hundreds of times larger than those of
     * standardised features, and training would diverge at any learning rate that suits them.
     */
    public record TargetScale(double mean, double std) {

        static TargetScale fit(Dataset train) {
            double mean = 0;
            for (int row = 0; row < train.size(); row++) {
                mean += train.targets(row)[0];
            }
            mean /= train.size();
            double squares = 0;
            for (int row = 0; row < train.size(); row++) {
                double d = train.targets(row)[0] - mean;
                squares += d * d;
            }
            return new TargetScale(mean, Math.sqrt(squares / train.size()));
        }

        /** The dataset with standardised targets (and unchanged features). */
        Dataset transform(Dataset data) {
            double[][] x = new double[data.size()][];
            double[][] y = new double[data.size()][];
            for (int row = 0; row < data.size(); row++) {
                x[row] = data.features(row);
                y[row] = new double[] {(data.targets(row)[0] - mean) / std};
            }
            return Dataset.of(x, y);
        }

        /** A network output back in the target's units. */
        public double inverse(double standardised) {
            return mean + std * standardised;
        }
    }

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
        DiabetesNetwork net = new DiabetesNetwork(NETWORK_SEED);
        out.print(net.summary());
        out.println();

        Dataset diabetes = BundledData.diabetes();
        Dataset.ThreeWaySplit split = diabetes.split(TRAIN_FRACTION, VALIDATION_FRACTION, SPLIT_SEED);
        Scaler scaler = StandardScaler.fit(split.train());      // features: fitted on the training rows only
        TargetScale target = TargetScale.fit(split.train());    // the target too
        Dataset train = target.transform(scaler.transform(split.train()));
        Dataset validation = target.transform(scaler.transform(split.validation()));
        Dataset testRows = target.transform(scaler.transform(split.test()));
        out.printf(Locale.ROOT, "data: %d patients from %s: %d to train on, %d to validate, %d to test%n",
                diabetes.size(), BundledData.DIABETES, train.size(), validation.size(), testRows.size());
        out.printf(Locale.ROOT, "target: disease progression, mean %.1f and standard deviation %.1f in the training"
                + " rows; the network predicts (progression - mean) / std%n%n", target.mean(), target.std());

        Evaluation before = Evaluation.of(net, validation);
        Console.printBaseline(out, before);
        int epochs = options.epochsOr(EPOCHS);
        TrainingResult training = Trainer.of(net)
                .learningRate(LEARNING_RATE)
                .batchSize(BATCH_SIZE)
                .epochs(epochs)
                .seed(TRAINING_SEED)
                .validation(validation)
                .listener(options.progress(10))
                .fit(train);

        Evaluation test = Evaluation.of(net, testRows);   // mean squared error: R², MAE and RMSE
        double[] predicted = new double[testRows.size()];
        double[] actual = new double[testRows.size()];
        for (int row = 0; row < predicted.length; row++) {
            predicted[row] = target.inverse(net.predict(testRows.features(row))[0]);
            actual[row] = target.inverse(testRows.targets(row)[0]);
        }
        double rmse = target.std() * test.rootMeanSquaredError();

        out.println();
        out.printf(Locale.ROOT, "final training loss (MSE of the standardised target): %.4f after %d epochs, in %s%n",
                training.finalLoss(), training.epochs(), Console.seconds(training.elapsed()));
        out.printf(Locale.ROOT, "test R²: %.3f (0 would be always predicting the mean, 1 a perfect fit)%n", test.r2());
        out.printf(Locale.ROOT, "test root mean squared error: %.1f (the target's standard deviation is %.1f)%n",
                rmse, target.std());
        out.println();
        out.println("sample predictions:");
        for (int i = 0; i < 5; i++) {
            out.printf(Locale.ROOT, "  patient %d: predicted %5.1f, actual %5.1f%n", i + 1, predicted[i], actual[i]);
        }

        Path report = new TrainingReport("Diabetes",
                        "Regression: 10 baseline measurements in, disease progression after one year out;"
                        + " 10-16-1 network, tanh and a linear output, mean squared error")
                .result("test R²", String.format(Locale.ROOT, "%.3f", test.r2()))
                .result("test RMSE", String.format(Locale.ROOT, "%.1f", rmse))
                .result("epochs", Integer.toString(training.epochs()))
                .curves(training, Metric.R_SQUARED, "MSE (standardised target)")
                .baseline(before)
                .note("Training loss and R²: measured on each epoch's mini-batches while the parameters changed."
                        + " Validation: the " + validation.size() + " validation rows, after each epoch."
                        + " R² = 1 - Σ(y - ŷ)² / Σ(y - ȳ)²: 0 for always predicting the mean, 1 for a perfect fit.")
                .scatter(actual, predicted, "progression")
                .topology(net.summary())
                .setting("data", diabetes.size() + " rows of " + BundledData.DIABETES)
                .setting("split (seed " + SPLIT_SEED + ")", train.size() + " train / " + validation.size()
                        + " validation / " + testRows.size() + " test")
                .setting("scaling", "StandardScaler on the features and the same on the target, fitted on the"
                        + " training rows")
                .setting("network seed", NETWORK_SEED)
                .setting("optimizer", "SGD, learning rate " + LEARNING_RATE)
                .setting("batch size", BATCH_SIZE)
                .setting("epoch budget", epochs)
                .setting("trainer seed", TRAINING_SEED)
                .setting("stop reason", training.stopReason())
                .setting("training time", Console.seconds(training.elapsed()))
                .write(options.reportDirectory(), "diabetes");
        out.println();
        out.println("report: " + report.toAbsolutePath().normalize());
        return new Result(net, scaler, target, training, before, test, predicted, actual, report);
    }
}
