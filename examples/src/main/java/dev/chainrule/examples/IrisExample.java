package dev.chainrule.examples;

import dev.chainrule.data.Dataset;
import dev.chainrule.data.Scaler;
import dev.chainrule.data.StandardScaler;
import dev.chainrule.metrics.Evaluation;
import dev.chainrule.metrics.Metric;
import dev.chainrule.train.Convergence;
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

    /** The shared settings with a budget of 500 epochs, a progress line every 50. */
    static final ExampleRun.Settings SETTINGS = ExampleRun.Settings.DEFAULTS.epochs(500).printEvery(50);

    private static final List<String> SPECIES = BundledData.IRIS_SPECIES;

    private IrisExample() {}

    /**
     * What the run produced.
     *
     * @param scaler the standardisation fitted on the training rows; apply it to new inputs
     * @param before the untrained network on the validation rows
     * @param test loss, accuracy and confusion matrix on the test rows
     */
    public record Result(IrisNetwork network, Scaler scaler, TrainingResult training, Evaluation before,
            int trainRows, Evaluation test, Path report) {}

    public static void main(String[] args) {
        run(RunOptions.defaults(System.out));
    }

    /** Loads the data, trains, evaluates, prints everything and writes the report. */
    public static Result run(RunOptions options) {
        IrisNetwork net = new IrisNetwork(SETTINGS.networkSeed());
        ExampleRun run = new ExampleRun(options, net, SETTINGS);

        Dataset iris = BundledData.iris();
        Dataset.ThreeWaySplit split = run.split(iris, "rows", BundledData.IRIS);   // each species keeps its share
        Scaler scaler = StandardScaler.fit(split.train());                          // on the training rows only
        ExampleRun.Data data = run.scale(split, scaler::transform, "StandardScaler fitted on the training rows");

        // SGD with the settings' learning rate, batch size, budget and seed, validated after every epoch
        TrainingResult training = run.trainer()
                .stopWhen(Convergence.noSignificantImprovement(0.001, 20))
                .fit(data.train());

        Evaluation test = Evaluation.of(net, data.test());
        PrintStream out = options.out();
        run.printTraining(training, "cross-entropy");
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

        TrainingReport report = run.report("Iris",
                        "Fisher's iris: 4 measurements in, 3 species out; 4-16-3 network, tanh and softmax",
                        training, Metric.ACCURACY, "cross-entropy")
                .result("test accuracy", Console.accuracy(test))
                .result("test loss (cross-entropy)", String.format(Locale.ROOT, "%.4f", test.loss()))
                .result("epochs", Integer.toString(training.epochs()))
                .confusion(Console.named(test, SPECIES))
                .setting("stop condition", "no significant improvement (0.1%) of the training loss for 20 epochs");
        Path file = run.write(report, "iris");
        return new Result(net, scaler, training, run.before(), data.train().size(), test, file);
    }

    /** The index of the largest value: the class of a one-hot target, or the most probable species. */
    public static int argmax(double[] values) {
        int best = 0;
        for (int j = 1; j < values.length; j++) {
            if (values[j] > values[best]) {
                best = j;
            }
        }
        return best;
    }
}
