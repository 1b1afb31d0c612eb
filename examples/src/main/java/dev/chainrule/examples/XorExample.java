package dev.chainrule.examples;

import dev.chainrule.data.Dataset;
import dev.chainrule.train.Convergence;
import dev.chainrule.train.ProgressPrinter;
import dev.chainrule.train.Trainer;
import dev.chainrule.train.TrainingResult;
import java.io.PrintStream;
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
     * @param training the losses and the reason training stopped
     * @param predictions the network's output for each row of {@link #INPUTS}
     */
    public record Result(XorNetwork network, TrainingResult training, double[] predictions) {}

    public static void main(String[] args) {
        run(System.out);
    }

    /** Trains the network, printing the summary, the progress and the results to {@code out}. */
    public static Result run(PrintStream out) {
        XorNetwork net = new XorNetwork(NETWORK_SEED);
        out.print(net.summary());
        out.println();

        Dataset data = Dataset.of(INPUTS, TARGETS);
        TrainingResult training = Trainer.of(net)
                .learningRate(LEARNING_RATE)
                .batchSize(BATCH_SIZE)
                .epochs(MAX_EPOCHS)
                .seed(TRAINING_SEED)
                .stopWhen(Convergence.lossBelow(TARGET_LOSS))
                .listener(ProgressPrinter.to(out).every(500))
                .fit(data);

        out.println();
        out.printf(Locale.ROOT, "final loss (mean squared error): %.6f%n", training.finalLoss());
        out.printf(Locale.ROOT, "epochs run: %d, in %.2f s%n", training.epochs(), training.elapsed().toNanos() / 1e9);
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
        return new Result(net, training, predictions);
    }
}
