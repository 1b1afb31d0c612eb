package dev.chainrule.examples;

import dev.chainrule.data.Dataset;
import dev.chainrule.data.Scaler;
import dev.chainrule.data.StandardScaler;
import dev.chainrule.metrics.Evaluation;
import dev.chainrule.metrics.Metric;
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

    /** The shared settings with a learning rate of 0.01 for 30 epochs. */
    static final ExampleRun.Settings SETTINGS = ExampleRun.Settings.DEFAULTS.learningRate(0.01).epochs(30);

    private DiabetesExample() {}

    /**
     * What the run produced.
     *
     * @param network the trained network; it predicts standardised targets, see {@code target}
     * @param scaler the standardisation of the features, fitted on the training rows
     * @param target the standardisation of the target: {@code progression = mean + std × output}
     * @param before the untrained network on the validation rows
     * @param test the test rows' loss, errors and R², of the standardised target (R² is the same in
     *     any units; multiply the errors by {@code target.std()} for the target's units)
     * @param predicted the network's prediction for each test row, in the target's units
     * @param actual each test row's target, in its units
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

    /** Loads the data, trains, evaluates, prints everything and writes the report. */
    public static Result run(RunOptions options) {
        DiabetesNetwork net = new DiabetesNetwork(SETTINGS.networkSeed());
        ExampleRun run = new ExampleRun(options, net, SETTINGS);

        Dataset diabetes = BundledData.diabetes();
        Dataset.ThreeWaySplit split = run.split(diabetes, "patients", BundledData.DIABETES);
        Scaler scaler = StandardScaler.fit(split.train());      // features: fitted on the training rows only
        TargetScale target = TargetScale.fit(split.train());    // the target too
        ExampleRun.Data data = run.scale(split, rows -> target.transform(scaler.transform(rows)),
                "StandardScaler on the features and the same on the target, fitted on the training rows");
        PrintStream out = options.out();
        out.printf(Locale.ROOT, "target: disease progression, mean %.1f and standard deviation %.1f in the training"
                + " rows; the network predicts (progression - mean) / std%n%n", target.mean(), target.std());

        TrainingResult training = run.trainer().fit(data.train());

        Evaluation test = Evaluation.of(net, data.test());   // mean squared error: R², MAE and RMSE
        double[] predicted = new double[data.test().size()];
        double[] actual = new double[data.test().size()];
        for (int row = 0; row < predicted.length; row++) {
            predicted[row] = target.inverse(net.predict(data.test().features(row))[0]);
            actual[row] = target.inverse(data.test().targets(row)[0]);
        }
        double rmse = target.std() * test.rootMeanSquaredError();

        run.printTraining(training, "MSE of the standardised target");
        out.printf(Locale.ROOT, "test R²: %.3f (0 would be always predicting the mean, 1 a perfect fit)%n", test.r2());
        out.printf(Locale.ROOT, "test root mean squared error: %.1f (the target's standard deviation is %.1f)%n",
                rmse, target.std());
        out.println();
        out.println("sample predictions:");
        for (int i = 0; i < 5; i++) {
            out.printf(Locale.ROOT, "  patient %d: predicted %5.1f, actual %5.1f%n", i + 1, predicted[i], actual[i]);
        }

        TrainingReport report = run.report("Diabetes",
                        "Regression: 10 baseline measurements in, disease progression after one year out;"
                        + " 10-16-1 network, tanh and a linear output, mean squared error",
                        training, Metric.R_SQUARED, "MSE (standardised target)")
                .result("test R²", String.format(Locale.ROOT, "%.3f", test.r2()))
                .result("test RMSE", String.format(Locale.ROOT, "%.1f", rmse))
                .result("epochs", Integer.toString(training.epochs()))
                .note("R² = 1 - Σ(y - ŷ)² / Σ(y - ȳ)²: 0 for always predicting the mean, 1 for a perfect fit.")
                .scatter(actual, predicted, "progression");
        Path file = run.write(report, "diabetes");
        return new Result(net, scaler, target, training, run.before(), test, predicted, actual, file);
    }
}
