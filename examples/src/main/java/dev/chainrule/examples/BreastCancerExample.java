package dev.chainrule.examples;

import dev.chainrule.data.Dataset;
import dev.chainrule.data.Scaler;
import dev.chainrule.data.StandardScaler;
import dev.chainrule.metrics.ConfusionMatrix;
import dev.chainrule.metrics.Evaluation;
import dev.chainrule.metrics.Metric;
import dev.chainrule.train.TrainingResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Binary classification: the {@link BreastCancer} spec (30 measurements, 16 tanh units, one
 * sigmoid output, binary cross-entropy) tells malignant from benign breast masses. Trained on a
 * stratified 60% of the 569 cases, validated on 20%, measured on the other 20% with accuracy and
 * a confusion matrix (a mass is called benign when the output is above 0.5).
 */
public final class BreastCancerExample {

    /** The shared settings with a learning rate of 0.05 for 30 epochs, a progress line every 5. */
    static final ExampleRun.Settings SETTINGS = ExampleRun.Settings.DEFAULTS.learningRate(0.05).epochs(30)
            .printEvery(5);

    private BreastCancerExample() {}

    /**
     * What the run produced.
     *
     * @param network the trained network; its output is the probability of "benign"
     * @param scaler the standardisation fitted on the training rows; apply it to new inputs
     * @param before the untrained network on the validation rows
     * @param test loss, accuracy and confusion matrix on the test rows
     */
    public record Result(BreastCancerNetwork network, Scaler scaler, TrainingResult training, Evaluation before,
            Evaluation test, Path report) {}

    public static void main(String[] args) {
        run(RunOptions.defaults(System.out));
    }

    /** Loads the data, trains, evaluates, prints everything and writes the report. */
    public static Result run(RunOptions options) {
        BreastCancerNetwork net = new BreastCancerNetwork(SETTINGS.networkSeed());
        ExampleRun run = new ExampleRun(options, net, SETTINGS);

        Dataset cases = BundledData.breastCancer();
        Dataset.ThreeWaySplit split = run.split(cases, "cases", BundledData.BREAST_CANCER);
        Scaler scaler = StandardScaler.fit(split.train());   // areas reach 4,000, smoothness 0.05: scale
        ExampleRun.Data data = run.scale(split, scaler::transform, "StandardScaler fitted on the training rows");

        TrainingResult training = run.trainer().fit(data.train());

        Evaluation test = Evaluation.of(net, data.test());
        ConfusionMatrix confusion = Console.named(test, BundledData.DIAGNOSES);
        long malignantFound = confusion.count(0, 0);
        long malignant = malignantFound + confusion.count(0, 1);
        long benignMissed = confusion.count(1, 0);
        long benign = benignMissed + confusion.count(1, 1);
        PrintStream out = options.out();
        run.printTraining(training, "binary cross-entropy");
        out.println("test accuracy: " + Console.accuracy(test));
        out.printf(Locale.ROOT, "malignant masses found (sensitivity): %d of %d; benign masses called malignant: %d of %d%n",
                malignantFound, malignant, benignMissed, benign);
        out.println();
        Console.printConfusion(out, "diagnosis", confusion);

        TrainingReport report = run.report("Breast cancer",
                        "Breast Cancer Wisconsin (Diagnostic): 30 measurements in, malignant or benign out;"
                        + " 30-16-1 network, tanh and sigmoid, binary cross-entropy",
                        training, Metric.ACCURACY, "binary cross-entropy")
                .result("test accuracy", Console.accuracy(test))
                .result("malignant found (sensitivity)", malignantFound + " of " + malignant)
                .result("test loss (binary cross-entropy)", String.format(Locale.ROOT, "%.4f", test.loss()))
                .note("A case is called benign when the output is above 0.5.")
                .confusion(confusion);
        Path file = run.write(report, "breast-cancer");
        return new Result(net, scaler, training, run.before(), test, file);
    }
}
