package dev.chainrule.metrics;

import dev.chainrule.Model;
import dev.chainrule.data.Dataset;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How a network did on a set of samples: its loss and the metrics that fit its {@link Task}.
 * Immutable.
 *
 * <pre>{@code
 * Evaluation test = Evaluation.of(net, split.test());
 * System.out.println(test);                       // loss, accuracy and the confusion matrix
 * double accuracy = test.accuracy();
 * }</pre>
 *
 * <p>Accessors of metrics the task does not measure (the accuracy of a regression, the R² of a
 * classifier) throw {@link IllegalStateException} rather than return a meaningless number;
 * {@link #metrics()} lists what is there.
 */
public final class Evaluation {

    private final Task task;
    private final long size;
    private final double loss;
    private final List<ConfusionMatrix> matrices;
    private final double meanAbsoluteError;
    private final double rootMeanSquaredError;
    private final double r2;

    Evaluation(Task task, long size, double loss, List<ConfusionMatrix> matrices, double meanAbsoluteError,
            double rootMeanSquaredError, double r2) {
        this.task = task;
        this.size = size;
        this.loss = loss;
        this.matrices = matrices;
        this.meanAbsoluteError = meanAbsoluteError;
        this.rootMeanSquaredError = rootMeanSquaredError;
        this.r2 = r2;
    }

    /**
     * Evaluates {@code model} on every row of {@code data}, with the task its loss implies
     * ({@link Task#of(Model)}). The loss is the network's own, computed as training computes it
     * (dropout off), in chunks of up to {@link Evaluator#CHUNK} rows whose mean losses are
     * averaged weighted by their sizes. The confusion matrix names the classes after
     * {@code data.classNames()} when the dataset has them.
     *
     * <p>This is what {@code Model.evaluate(Dataset)} does.
     *
     * @throws IllegalArgumentException if the dataset's feature or target count differs from the
     *     network's input or output size
     */
    public static Evaluation of(Model model, Dataset data) {
        Objects.requireNonNull(model, "model is null");
        return of(model, data, Task.of(model));
    }

    /**
     * Evaluates {@code model} on {@code data} with an explicit task, for a network whose loss does
     * not say what its outputs mean (a classifier trained on mean squared error).
     *
     * @throws IllegalArgumentException as {@link #of(Model, Dataset)}
     */
    public static Evaluation of(Model model, Dataset data, Task task) {
        return new Evaluator(model, data, task).evaluate();
    }

    /** What the outputs were taken to mean. */
    public Task task() {
        return task;
    }

    /** The number of samples evaluated. */
    public long size() {
        return size;
    }

    /**
     * The network's mean loss over the samples. For the training metrics the trainer reports per
     * epoch, the epoch's training loss (measured while the parameters changed).
     */
    public double loss() {
        return loss;
    }

    /** The metrics this evaluation has, in report order: {@code task().metrics()}. */
    public List<Metric> metrics() {
        return task.metrics();
    }

    /**
     * The value of one metric.
     *
     * @throws IllegalStateException if this evaluation's task does not measure it
     */
    public double metric(Metric metric) {
        Objects.requireNonNull(metric, "metric is null");
        switch (metric) {
            case ACCURACY:
                return accuracy();
            case MEAN_ABSOLUTE_ERROR:
                return meanAbsoluteError();
            case ROOT_MEAN_SQUARED_ERROR:
                return rootMeanSquaredError();
            default:
                return r2();
        }
    }

    /**
     * The fraction of right decisions: for {@link Task#CLASSIFICATION} of samples whose class
     * was predicted right, for {@link Task#MULTI_LABEL} of all output decisions.
     *
     * @throws IllegalStateException for a {@link Task#REGRESSION}
     */
    public double accuracy() {
        require(task != Task.REGRESSION, Metric.ACCURACY);
        long correct = 0;
        long total = 0;
        for (ConfusionMatrix m : matrices) {
            correct += m.correct();
            total += m.total();
        }
        return (double) correct / total;
    }

    /**
     * The confusion matrix of a {@link Task#CLASSIFICATION}: {@code k × k} for {@code k} outputs,
     * 2×2 for a single sigmoid output.
     *
     * @throws IllegalStateException for the other tasks ({@link Task#MULTI_LABEL} has one per
     *     output: {@link #confusionMatrix(int)})
     */
    public ConfusionMatrix confusionMatrix() {
        if (task != Task.CLASSIFICATION) {
            throw new IllegalStateException("a " + task + " evaluation has no single confusion matrix"
                    + (task == Task.MULTI_LABEL ? "; it has one per output: confusionMatrix(output)" : ""));
        }
        return matrices.get(0);
    }

    /**
     * The 2×2 confusion matrix of one output of a {@link Task#MULTI_LABEL} evaluation (class 1 is
     * "yes", an output above 0.5).
     *
     * @throws IllegalStateException for the other tasks
     * @throws IndexOutOfBoundsException if {@code output} is not an output
     */
    public ConfusionMatrix confusionMatrix(int output) {
        if (task != Task.MULTI_LABEL) {
            throw new IllegalStateException("confusionMatrix(output) is for MULTI_LABEL evaluations; this one is "
                    + task + (task == Task.CLASSIFICATION ? ": use confusionMatrix()" : ""));
        }
        return matrices.get(Objects.checkIndex(output, matrices.size()));
    }

    /**
     * The mean absolute error; see {@link Metric#MEAN_ABSOLUTE_ERROR}.
     *
     * @throws IllegalStateException unless this is a {@link Task#REGRESSION}
     */
    public double meanAbsoluteError() {
        require(task == Task.REGRESSION, Metric.MEAN_ABSOLUTE_ERROR);
        return meanAbsoluteError;
    }

    /**
     * The root mean squared error; see {@link Metric#ROOT_MEAN_SQUARED_ERROR}.
     *
     * @throws IllegalStateException unless this is a {@link Task#REGRESSION}
     */
    public double rootMeanSquaredError() {
        require(task == Task.REGRESSION, Metric.ROOT_MEAN_SQUARED_ERROR);
        return rootMeanSquaredError;
    }

    /**
     * The coefficient of determination; see {@link Metric#R_SQUARED}.
     *
     * @throws IllegalStateException unless this is a {@link Task#REGRESSION}
     */
    public double r2() {
        require(task == Task.REGRESSION, Metric.R_SQUARED);
        return r2;
    }

    private void require(boolean measured, Metric metric) {
        if (!measured) {
            throw new IllegalStateException(metric + " is not measured for a " + task + " evaluation, which has "
                    + metrics() + "; evaluate with the task that has it, for example Evaluation.of(model, data, Task."
                    + (metric == Metric.ACCURACY ? Task.CLASSIFICATION : Task.REGRESSION) + ")");
        }
    }

    /**
     * The loss and metrics on one line, as progress output shows them:
     * {@code loss 0.084123  accuracy 0.9600}.
     */
    public String summary() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "loss %.6f", loss));
        for (Metric m : metrics()) {
            s.append("  ").append(m.key()).append(' ').append(format(m, metric(m)));
        }
        return s.toString();
    }

    /** A metric's value as reports show it: four decimals for accuracy and R², six for errors. */
    public static String format(Metric metric, double value) {
        return String.format(Locale.ROOT, metric == Metric.ACCURACY || metric == Metric.R_SQUARED ? "%.4f" : "%.6f",
                value);
    }

    /**
     * A report: the task, the number of samples, the {@link #summary()}, and for classifiers the
     * count of right decisions and the confusion matrix (one per output for multi-label).
     */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append(task).append(" of ").append(size).append(size == 1 ? " sample: " : " samples: ").append(summary());
        if (task == Task.CLASSIFICATION) {
            ConfusionMatrix m = matrices.get(0);
            s.append(" (").append(m.correct()).append('/').append(m.total()).append(" right)\n").append(m);
        } else if (task == Task.MULTI_LABEL) {
            for (int j = 0; j < matrices.size(); j++) {
                ConfusionMatrix m = matrices.get(j);
                s.append("\noutput ").append(j).append(": accuracy ").append(format(Metric.ACCURACY, m.accuracy()))
                        .append('\n').append(m);
            }
        }
        return s.toString();
    }
}
