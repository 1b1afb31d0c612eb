package dev.chainrule.examples;

import dev.chainrule.data.Dataset;
import dev.chainrule.metrics.Evaluation;
import dev.chainrule.metrics.Metric;
import dev.chainrule.metrics.Task;
import dev.chainrule.train.Convergence;
import dev.chainrule.train.TrainingResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * XOR, the classic problem no single layer can solve: the {@link Xor} spec (2 inputs, 4 sigmoid
 * hidden units, 1 sigmoid output, mean squared error) trained on the four rows of the truth table
 * until the loss falls below 0.01.
 */
public final class XorExample {

    /** The shared seeds; SGD at 2.0 on the whole table at once, at most 5,000 epochs, a line every 500. */
    static final ExampleRun.Settings SETTINGS = ExampleRun.Settings.DEFAULTS.learningRate(2.0).batchSize(4)
            .epochs(5000).printEvery(500);
    public static final double TARGET_LOSS = 0.01;

    /** The four inputs of the truth table. */
    public static final double[][] INPUTS = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    /** {@code a xor b} for each row of {@link #INPUTS}. */
    public static final double[][] TARGETS = {{0}, {1}, {1}, {0}};

    private XorExample() {}

    /**
     * What the run produced.
     *
     * @param before the untrained network on the truth table
     * @param predictions the network's output for each row of {@link #INPUTS}
     * @param truthTable the four rows classified (an output above 0.5 counts as 1)
     */
    public record Result(XorNetwork network, TrainingResult training, Evaluation before, double[] predictions,
            Evaluation truthTable, Path report) {}

    public static void main(String[] args) {
        run(RunOptions.defaults(System.out));
    }

    /** Runs with the default settings, printing to {@code out}. */
    public static Result run(PrintStream out) {
        return run(RunOptions.defaults(out));
    }

    /** Trains the network, printing the summary, the progress and the results, and writes the report. */
    public static Result run(RunOptions options) {
        XorNetwork net = new XorNetwork(SETTINGS.networkSeed());
        ExampleRun run = new ExampleRun(options, net, SETTINGS);

        // The truth table is all the data there is: it is also what each epoch is measured on.
        Dataset table = Dataset.of(INPUTS, TARGETS);
        run.use(new ExampleRun.Data(table, table, table));
        run.setting("data", "the 4 rows of the XOR truth table");

        // Mean squared error does not say that the output is a class: Task.CLASSIFICATION does.
        TrainingResult training = run.trainer(Task.CLASSIFICATION)
                .stopWhen(Convergence.lossBelow(TARGET_LOSS))
                .fit(table);

        PrintStream out = options.out();
        run.printTraining(training, "mean squared error");
        out.println();
        out.println("predictions:");
        double[] predictions = new double[INPUTS.length];
        for (int i = 0; i < INPUTS.length; i++) {
            double[] x = INPUTS[i];
            predictions[i] = net.predict(x)[0];
            out.printf(Locale.ROOT, "  %.0f xor %.0f = %.0f   network: %.4f -> %d%n",
                    x[0], x[1], TARGETS[i][0], predictions[i], Math.round(predictions[i]));
        }

        Evaluation result = Evaluation.of(net, table, Task.CLASSIFICATION);
        TrainingReport report = run.report("XOR", "The classic: 2 inputs, 4 sigmoid hidden units, 1 sigmoid output,"
                        + " mean squared error, trained on the four rows of the truth table",
                        training, Metric.ACCURACY, "mean squared error")
                .result("rows right", Console.accuracy(result))
                .result("final loss (MSE)", String.format(Locale.ROOT, "%.5f", training.finalLoss()))
                .result("epochs", Integer.toString(training.epochs()))
                .seriesNames("training (epoch mean)", "validation (= truth table)")
                .note("XOR has only four possible inputs, so there are no held-out rows: the validation rows are"
                        + " the truth table itself.")
                .confusion(result.confusionMatrix())
                .setting("stop condition", "training loss below " + TARGET_LOSS);
        Path file = run.write(report, "xor");
        return new Result(net, training, run.before(), predictions, result, file);
    }
}
