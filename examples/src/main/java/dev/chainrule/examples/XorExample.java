package dev.chainrule.examples;

import dev.chainrule.data.Dataset;
import dev.chainrule.metrics.Evaluation;
import dev.chainrule.metrics.Metric;
import dev.chainrule.metrics.Task;
import dev.chainrule.train.Convergence;
import dev.chainrule.train.Trainer;
import dev.chainrule.train.TrainingResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * XOR, the classic problem no single layer can solve: the {@link Xor} spec (2 inputs, 4 sigmoid
 * hidden units, 1 sigmoid output, mean squared error) trained on the four rows of the truth table
 * until the loss falls below 0.01.
 */
public final class XorExample {

    /** The seed of the network's initial weights. */
    public static final long NETWORK_SEED = 42L;
    /** The seed of the trainer (the per-epoch shuffle). */
    public static final long TRAINING_SEED = 7L;
    public static final double LEARNING_RATE = 2.0;
    public static final int BATCH_SIZE = 4;
    public static final int MAX_EPOCHS = 5000;
    public static final double TARGET_LOSS = 0.01;

    /** The four inputs of the truth table. */
    public static final double[][] INPUTS = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    /** {@code a xor b} for each row of {@link #INPUTS}. */
    public static final double[][] TARGETS = {{0}, {1}, {1}, {0}};

    private XorExample() {}

    /**
     * What the run produced.
     *
     * @param network the trained network
     * @param training the loss and accuracy of every epoch
     * @param before the untrained network on the truth table
     * @param predictions the network's output for each row of {@link #INPUTS}
     * @param truthTable the four rows classified (an output above 0.5 counts as 1)
     * @param report the HTML training report written
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
        PrintStream out = options.out();
        XorNetwork net = new XorNetwork(NETWORK_SEED);
        out.print(net.summary());
        out.println();

        // The truth table is all the data there is: it is also what each epoch is measured on.
        // Mean squared error does not say that the output is a class: Task.CLASSIFICATION does.
        Dataset data = Dataset.of(INPUTS, TARGETS);
        Evaluation before = Evaluation.of(net, data, Task.CLASSIFICATION);
        Console.printBaseline(out, before);
        int epochs = options.epochsOr(MAX_EPOCHS);
        TrainingResult training = Trainer.of(net)
                .learningRate(LEARNING_RATE)
                .batchSize(BATCH_SIZE)
                .epochs(epochs)
                .seed(TRAINING_SEED)
                .metrics(Task.CLASSIFICATION)
                .validation(data)
                .stopWhen(Convergence.lossBelow(TARGET_LOSS))
                .listener(options.progress(500))
                .fit(data);

        out.println();
        out.printf(Locale.ROOT, "final loss (mean squared error): %.6f%n", training.finalLoss());
        out.printf(Locale.ROOT, "epochs run: %d, in %s%n", training.epochs(), Console.seconds(training.elapsed()));
        out.println("stop reason: " + training.stopReason());
        out.println();
        out.println("predictions:");
        double[] predictions = new double[INPUTS.length];
        for (int i = 0; i < INPUTS.length; i++) {
            double[] x = INPUTS[i];
            predictions[i] = net.predict(x)[0];
            out.printf(Locale.ROOT, "  %.0f xor %.0f = %.0f   network: %.4f -> %d%n",
                    x[0], x[1], TARGETS[i][0], predictions[i], Math.round(predictions[i]));
        }

        Evaluation result = Evaluation.of(net, data, Task.CLASSIFICATION);
        Path report = new TrainingReport("XOR", "The classic: 2 inputs, 4 sigmoid hidden units, 1 sigmoid output,"
                        + " mean squared error, trained on the four rows of the truth table")
                .result("rows right", Console.accuracy(result))
                .result("final loss (MSE)", String.format(Locale.ROOT, "%.5f", training.finalLoss()))
                .result("epochs", Integer.toString(training.epochs()))
                .curves(training, Metric.ACCURACY, "mean squared error")
                .seriesNames("training (epoch mean)", "validation (= truth table)")
                .baseline(before)
                .note("XOR has only four possible inputs, so there are no held-out rows: the validation rows are"
                        + " the four rows of the truth table, evaluated after each epoch; the training loss and"
                        + " accuracy are the trainer's, measured on the same rows while the parameters changed.")
                .confusion(result.confusionMatrix())
                .topology(net.summary())
                .setting("data", "the 4 rows of the XOR truth table")
                .setting("network seed", NETWORK_SEED)
                .setting("optimizer", "SGD, learning rate " + LEARNING_RATE)
                .setting("batch size", BATCH_SIZE)
                .setting("epoch budget", epochs)
                .setting("stop condition", "training loss below " + TARGET_LOSS)
                .setting("trainer seed", TRAINING_SEED)
                .setting("stop reason", training.stopReason())
                .setting("training time", Console.seconds(training.elapsed()))
                .write(options.reportDirectory(), "xor");
        out.println();
        out.println("report: " + report.toAbsolutePath().normalize());
        return new Result(net, training, before, predictions, result, report);
    }
}
