package dev.chainrule.examples;

import dev.chainrule.data.Dataset;
import dev.chainrule.train.Convergence;
import dev.chainrule.train.ProgressPrinter;
import dev.chainrule.train.Trainer;
import dev.chainrule.train.TrainingResult;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Fisher's iris: the {@link Iris} spec (4 measurements, 16 tanh hidden units, 3-way softmax,
 * categorical cross-entropy) trained on a seeded 70% of the bundled data and measured on the
 * other 30%.
 */
public final class IrisExample {

    /** The seed of the network's initial weights. */
    public static final long NETWORK_SEED = 42L;
    /** The seed of the train/test split. */
    public static final long SPLIT_SEED = 7L;
    /** The seed of the trainer (the per-epoch shuffle). */
    public static final long TRAINING_SEED = 7L;
    public static final double TRAIN_FRACTION = 0.7;
    public static final double LEARNING_RATE = 0.1;
    public static final int BATCH_SIZE = 16;
    public static final int MAX_EPOCHS = 500;

    private static final List<String> SPECIES = BundledData.IRIS_SPECIES;

    private IrisExample() {}

    /**
     * What the run produced.
     *
     * @param network the trained network
     * @param scaler the standardisation fitted on the training split; apply it to new inputs
     * @param training the losses and the reason training stopped
     * @param trainRows the number of training rows
     * @param testAccuracy the fraction of test rows whose predicted species is right
     * @param confusion {@code confusion[true][predicted]} counts over the test rows
     */
    public record Result(IrisNetwork network, Standardizer scaler, TrainingResult training, int trainRows,
            double testAccuracy, int[][] confusion) {

        /** The number of test rows. */
        public int testRows() {
            int n = 0;
            for (int[] row : confusion) {
                for (int count : row) {
                    n += count;
                }
            }
            return n;
        }
    }

    public static void main(String[] args) {
        run(System.out);
    }

    /** Loads the data, trains, evaluates and prints everything to {@code out}. */
    public static Result run(PrintStream out) {
        IrisNetwork net = new IrisNetwork(NETWORK_SEED);
        out.print(net.summary());
        out.println();

        Dataset iris = BundledData.iris();
        Dataset.Split split = iris.split(TRAIN_FRACTION, SPLIT_SEED);
        Standardizer scaler = Standardizer.fit(split.train());   // fitted on the training rows only
        Dataset train = scaler.transform(split.train());
        Dataset test = scaler.transform(split.test());
        out.printf(Locale.ROOT, "data: %d rows from %s, %d for training, %d for testing%n%n",
                iris.size(), BundledData.IRIS, train.size(), test.size());

        TrainingResult training = Trainer.of(net)
                .learningRate(LEARNING_RATE)
                .batchSize(BATCH_SIZE)
                .epochs(MAX_EPOCHS)
                .seed(TRAINING_SEED)
                .stopWhen(Convergence.noSignificantImprovement(0.001, 20))
                .listener(ProgressPrinter.to(out).every(50))
                .fit(train);

        int[][] confusion = new int[SPECIES.size()][SPECIES.size()];
        int correct = 0;
        for (int row = 0; row < test.size(); row++) {
            int truth = argmax(test.targets(row));
            int predicted = net.predictClass(test.features(row));
            confusion[truth][predicted]++;
            if (truth == predicted) {
                correct++;
            }
        }
        double accuracy = (double) correct / test.size();

        out.println();
        out.printf(Locale.ROOT, "final training loss (cross-entropy): %.6f after %d epochs, in %.2f s%n",
                training.finalLoss(), training.epochs(), training.elapsed().toNanos() / 1e9);
        out.println("stop reason: " + training.stopReason());
        out.printf(Locale.ROOT, "test accuracy: %d/%d = %.1f%%%n%n", correct, test.size(), 100.0 * accuracy);
        printConfusion(out, confusion);

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
        return new Result(net, scaler, training, train.size(), accuracy, confusion);
    }

    private static void printConfusion(PrintStream out, int[][] confusion) {
        int width = 0;
        for (String name : SPECIES) {
            width = Math.max(width, name.length());
        }
        out.println("confusion matrix (rows: true species, columns: predicted):");
        StringBuilder header = new StringBuilder(" ".repeat(width + 2));
        for (String name : SPECIES) {
            header.append(String.format(Locale.ROOT, "  %" + width + "s", name));
        }
        out.println(header);
        for (int t = 0; t < confusion.length; t++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-" + width + "s", SPECIES.get(t)));
            for (int count : confusion[t]) {
                line.append(String.format(Locale.ROOT, "  %" + width + "d", count));
            }
            out.println(line);
        }
    }

    static int argmax(double[] values) {
        int best = 0;
        for (int j = 1; j < values.length; j++) {
            if (values[j] > values[best]) {
                best = j;
            }
        }
        return best;
    }
}
