package dev.chainrule.examples;

import dev.chainrule.Model;
import dev.chainrule.TrainingStep;
import dev.chainrule.data.Dataset;
import java.util.Locale;
import java.util.Objects;

/**
 * The loss and the metrics of a network on a dataset: accuracy and a confusion matrix for
 * classifiers, R² for regression. One forward pass over the rows, in batches, through the
 * network's own {@link TrainingStep} (so the loss is exactly the one training minimises).
 *
 * <p>The examples compute these themselves until the runtime's metrics land; then this class
 * goes away.
 */
public final class Metrics {

    /** Rows per forward pass; any size gives the same numbers. */
    static final int BATCH = 256;

    private Metrics() {}

    /**
     * Evaluates a classifier. With several outputs (softmax) the predicted and the true class are
     * the index of the largest output and of the one-hot target; with one output (sigmoid) they
     * are 1 when the value is at least 0.5, else 0.
     */
    public static Classification classify(Model model, Dataset data) {
        check(model, data);
        int classes = Math.max(2, model.outputSize());
        int[][] confusion = new int[classes][classes];
        double loss = forEachBatch(model, data, (row, output) -> {
            double[] target = data.targets(row);
            confusion[classOf(target)][classOf(output)]++;
        });
        return new Classification(loss, confusion);
    }

    /**
     * Evaluates a network with one output as a regression: the loss, the predictions and
     * {@code R² = 1 - Σ(y - ŷ)² / Σ(y - ȳ)²} over the rows, with {@code ȳ} the mean of these rows'
     * targets (as scikit-learn's {@code r2_score}). R² is 0 for a model that always predicts the
     * mean, 1 for a perfect one, and negative for one worse than the mean.
     *
     * @throws IllegalArgumentException if the network has more than one output
     */
    public static Regression regress(Model model, Dataset data) {
        check(model, data);
        if (model.outputSize() != 1) {
            throw new IllegalArgumentException("regress() reports R² of one output; the network has "
                    + model.outputSize());
        }
        double[] predicted = new double[data.size()];
        double[] actual = new double[data.size()];
        double loss = forEachBatch(model, data, (row, output) -> {
            predicted[row] = output[0];
            actual[row] = data.targets(row)[0];
        });
        return new Regression(loss, rSquared(actual, predicted), predicted, actual);
    }

    /** {@code 1 - Σ(y - ŷ)² / Σ(y - ȳ)²}; NaN when the targets are all equal. */
    static double rSquared(double[] actual, double[] predicted) {
        double mean = 0;
        for (double y : actual) {
            mean += y;
        }
        mean /= actual.length;
        double residual = 0;
        double total = 0;
        for (int i = 0; i < actual.length; i++) {
            residual += (actual[i] - predicted[i]) * (actual[i] - predicted[i]);
            total += (actual[i] - mean) * (actual[i] - mean);
        }
        return total == 0 ? Double.NaN : 1.0 - residual / total;
    }

    /** The class of an output or target row: the argmax, or a threshold of 0.5 for one value. */
    static int classOf(double[] values) {
        if (values.length == 1) {
            return values[0] >= 0.5 ? 1 : 0;
        }
        int best = 0;
        for (int j = 1; j < values.length; j++) {
            if (values[j] > values[best]) {
                best = j;
            }
        }
        return best;
    }

    private interface RowConsumer {
        void accept(int row, double[] output);
    }

    /** Runs every row forward, hands each output to {@code consumer}, and returns the mean loss. */
    private static double forEachBatch(Model model, Dataset data, RowConsumer consumer) {
        int n = data.size();
        TrainingStep step = model.newTrainingStep(Math.min(BATCH, n));
        double[] output = new double[model.outputSize()];
        double weightedLoss = 0;
        for (int from = 0; from < n; from += BATCH) {
            int size = Math.min(BATCH, n - from);
            for (int slot = 0; slot < size; slot++) {
                data.loadInto(step, slot, from + slot, model.precision());
            }
            weightedLoss += step.loss(size) * size;   // the batch's mean loss, weighted by its rows
            for (int slot = 0; slot < size; slot++) {
                step.output(slot, output);
                consumer.accept(from + slot, output);
            }
        }
        return weightedLoss / n;
    }

    private static void check(Model model, Dataset data) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(data, "data");
        if (data.featureCount() != model.inputSize() || data.targetCount() != model.outputSize()) {
            throw new IllegalArgumentException(data + " does not fit a network with " + model.inputSize()
                    + " inputs and " + model.outputSize() + " outputs");
        }
    }

    /**
     * A classifier's results.
     *
     * @param loss the mean loss over the rows
     * @param confusion {@code confusion[true][predicted]}: how many rows of each true class got
     *     each predicted class
     */
    public record Classification(double loss, int[][] confusion) {

        /** The number of rows evaluated. */
        public int rows() {
            int n = 0;
            for (int[] row : confusion) {
                for (int count : row) {
                    n += count;
                }
            }
            return n;
        }

        /** The number of rows whose predicted class is the true one: the diagonal. */
        public int correct() {
            int n = 0;
            for (int c = 0; c < confusion.length; c++) {
                n += confusion[c][c];
            }
            return n;
        }

        /** The fraction of rows classified correctly. */
        public double accuracy() {
            return (double) correct() / rows();
        }

        /** For example {@code 9,790/10,000 = 97.90%}. */
        public String accuracyText() {
            return String.format(Locale.ROOT, "%,d/%,d = %.2f%%", correct(), rows(), 100.0 * accuracy());
        }
    }

    /**
     * A regression's results, in the units of the dataset's targets.
     *
     * @param loss the mean loss (mean squared error) over the rows
     * @param rSquared the coefficient of determination, see {@link #regress}
     * @param predicted the network's output for each row
     * @param actual each row's target
     */
    public record Regression(double loss, double rSquared, double[] predicted, double[] actual) {

        /** {@code sqrt(mean((ŷ - y)²))} over the rows, in the units of the targets. */
        public double rootMeanSquaredError() {
            double sum = 0;
            for (int i = 0; i < actual.length; i++) {
                double e = predicted[i] - actual[i];
                sum += e * e;
            }
            return Math.sqrt(sum / actual.length);
        }
    }
}
