package dev.chainrule.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Accumulates the metrics of a {@link Task} one sample at a time, without allocating, and turns
 * them into an {@link Evaluation}. The trainer feeds it each batch's outputs to report training
 * metrics per epoch; {@link Evaluator} feeds it a dataset. Use it in a loop of your own (over a
 * stream, or combining the predictions of several workers) the same way.
 *
 * <p>Sums run in double, in the order samples are added, so the same samples in the same order
 * give bit-identical metrics. R² uses Welford's running mean and variance of the targets, which
 * stays accurate where the textbook {@code Σy² - (Σy)²/n} would cancel.
 *
 * <p>Not thread-safe: one accumulator per thread.
 */
public final class MetricAccumulator {

    private final Task task;
    private final int outputCount;
    private final int classCount;
    private final List<String> classNames;
    private final long[] counts;
    private final double[] absoluteError;
    private final double[] squaredError;
    private final double[] targetMean;
    private final double[] targetM2;
    private long samples;

    /**
     * An empty accumulator.
     *
     * @param task what the outputs mean
     * @param outputCount the number of outputs (and targets) per sample
     * @param classNames for {@link Task#CLASSIFICATION}, the names of the classes (one per output,
     *     or two for a single output), or an empty list to number them; ignored otherwise
     * @throws IllegalArgumentException if {@code outputCount < 1} or the class names do not fit
     */
    public MetricAccumulator(Task task, int outputCount, List<String> classNames) {
        this.task = Objects.requireNonNull(task, "task is null");
        Objects.requireNonNull(classNames, "classNames is null");
        if (outputCount < 1) {
            throw new IllegalArgumentException("outputCount is " + outputCount + ", must be at least 1");
        }
        this.outputCount = outputCount;
        switch (task) {
            case CLASSIFICATION:
                classCount = Math.max(outputCount, 2);
                if (!classNames.isEmpty() && classNames.size() != classCount) {
                    throw new IllegalArgumentException(classNames.size() + " class names for " + classCount
                            + " classes (" + outputCount + (outputCount == 1 ? " output" : " outputs") + ")");
                }
                this.classNames = classNames.isEmpty() ? ConfusionMatrix.defaultNames(classCount)
                        : ConfusionMatrix.of(new long[classCount][classCount], classNames).classNames();
                counts = new long[classCount * classCount];
                absoluteError = squaredError = targetMean = targetM2 = null;
                break;
            case MULTI_LABEL:
                classCount = 2;
                this.classNames = ConfusionMatrix.defaultNames(2);
                counts = new long[outputCount * 4];
                absoluteError = squaredError = targetMean = targetM2 = null;
                break;
            default:
                classCount = 0;
                this.classNames = List.of();
                counts = null;
                absoluteError = new double[outputCount];
                squaredError = new double[outputCount];
                targetMean = new double[outputCount];
                targetM2 = new double[outputCount];
                break;
        }
    }

    /** The task whose metrics this accumulates. */
    public Task task() {
        return task;
    }

    /** The number of samples added since creation or the last {@link #reset()}. */
    public long samples() {
        return samples;
    }

    /** Forgets every sample, to start the next epoch. */
    public void reset() {
        samples = 0;
        if (counts != null) {
            Arrays.fill(counts, 0L);
        } else {
            Arrays.fill(absoluteError, 0.0);
            Arrays.fill(squaredError, 0.0);
            Arrays.fill(targetMean, 0.0);
            Arrays.fill(targetM2, 0.0);
        }
    }

    /**
     * Adds one sample: the network's {@code output} for it and its {@code target}; only the first
     * {@code outputCount} elements of each are read.
     */
    public void add(double[] output, double[] target) {
        samples++;
        switch (task) {
            case CLASSIFICATION:
                counts[classOf(target) * classCount + classOf(output)]++;
                break;
            case MULTI_LABEL:
                for (int j = 0; j < outputCount; j++) {
                    int actual = target[j] > 0.5 ? 1 : 0;
                    int predicted = output[j] > 0.5 ? 1 : 0;
                    counts[4 * j + 2 * actual + predicted]++;
                }
                break;
            default:
                double n = samples;
                for (int j = 0; j < outputCount; j++) {
                    double y = target[j];
                    double e = output[j] - y;
                    absoluteError[j] += Math.abs(e);
                    squaredError[j] += e * e;
                    double delta = y - targetMean[j];
                    targetMean[j] += delta / n;
                    targetM2[j] += delta * (y - targetMean[j]);
                }
                break;
        }
    }

    /** The class of an output or target row as {@link Task#CLASSIFICATION} defines it. */
    private int classOf(double[] values) {
        if (outputCount == 1) {
            return values[0] > 0.5 ? 1 : 0;
        }
        int best = 0;
        for (int j = 1; j < outputCount; j++) {
            if (values[j] > values[best]) {
                best = j;
            }
        }
        return best;
    }

    /**
     * The metrics of the samples added so far, with {@code loss} as the evaluation's loss (the
     * accumulator does not see losses; the caller measured it over the same samples).
     *
     * @throws IllegalStateException if no sample was added
     */
    public Evaluation result(double loss) {
        if (samples == 0) {
            throw new IllegalStateException("no sample was added, so there is nothing to evaluate");
        }
        switch (task) {
            case CLASSIFICATION: {
                ConfusionMatrix m = ConfusionMatrix.wrap(classCount, counts.clone(), classNames);
                return new Evaluation(task, samples, loss, List.of(m), Double.NaN, Double.NaN, Double.NaN);
            }
            case MULTI_LABEL: {
                List<ConfusionMatrix> matrices = new ArrayList<>(outputCount);
                for (int j = 0; j < outputCount; j++) {
                    matrices.add(ConfusionMatrix.wrap(2, Arrays.copyOfRange(counts, 4 * j, 4 * j + 4), classNames));
                }
                return new Evaluation(task, samples, loss, List.copyOf(matrices), Double.NaN, Double.NaN, Double.NaN);
            }
            default: {
                double abs = 0.0;
                double sq = 0.0;
                double r2 = 0.0;
                for (int j = 0; j < outputCount; j++) {
                    abs += absoluteError[j];
                    sq += squaredError[j];
                    r2 += targetM2[j] != 0.0 ? 1.0 - squaredError[j] / targetM2[j] : squaredError[j] == 0.0 ? 1.0 : 0.0;
                }
                double values = (double) samples * outputCount;
                return new Evaluation(task, samples, loss, List.of(), abs / values, Math.sqrt(sq / values),
                        r2 / outputCount);
            }
        }
    }
}
