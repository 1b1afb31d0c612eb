package dev.chainrule.metrics;

import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import dev.chainrule.data.Dataset;
import java.util.List;
import java.util.Objects;

/**
 * Evaluates one network on one dataset, again and again: the trainer's validation after every
 * epoch. Its buffers (a {@link TrainingStep} for {@link #CHUNK} rows, an output and a target row,
 * a {@link MetricAccumulator}) are made once, so each {@link #evaluate()} allocates nothing but
 * its result. Each call sees the network's parameters as they are then.
 *
 * <p>Not thread-safe, and it must not run while the network trains on another thread.
 */
public final class Evaluator {

    /**
     * The rows per forward pass. Fixed, not the training batch size, so that an evaluation gives
     * the same loss (to the last bit) whatever batch size trained the network.
     */
    public static final int CHUNK = 256;

    private final Dataset data;
    private final Precision precision;
    private final TrainingStep step;
    private final double[] output;
    private final double[] target;
    private final MetricAccumulator metrics;

    /**
     * Prepares to evaluate {@code model} on {@code data} with {@code task}'s metrics.
     *
     * @throws IllegalArgumentException if the dataset's feature or target count differs from the
     *     network's input or output size
     */
    public Evaluator(Model model, Dataset data, Task task) {
        Objects.requireNonNull(model, "model is null");
        this.data = Objects.requireNonNull(data, "data is null");
        Objects.requireNonNull(task, "task is null");
        if (data.featureCount() != model.inputSize() || data.targetCount() != model.outputSize()) {
            throw new IllegalArgumentException("the dataset has " + data.featureCount() + " features and "
                    + data.targetCount() + " targets per row, but the network takes " + model.inputSize()
                    + " inputs and gives " + model.outputSize() + " outputs");
        }
        this.precision = Objects.requireNonNull(model.precision(), "model.precision() is null");
        data.prepare(precision);
        this.step = model.newTrainingStep(Math.min(CHUNK, data.size()));
        this.output = new double[model.outputSize()];
        this.target = new double[model.outputSize()];
        List<String> names = data.classNames();
        boolean namesFit = task == Task.CLASSIFICATION && names.size() == Math.max(model.outputSize(), 2);
        this.metrics = new MetricAccumulator(task, model.outputSize(), namesFit ? names : List.of());
    }

    /** The dataset this evaluator reads. */
    public Dataset data() {
        return data;
    }

    /**
     * The network's loss and metrics on every row, in dataset order. The loss is the mean of the
     * chunks' mean losses weighted by their sizes.
     */
    public Evaluation evaluate() {
        int n = data.size();
        int chunk = step.maxBatchSize();
        metrics.reset();
        double weightedLoss = 0.0;
        for (int from = 0; from < n; from += chunk) {
            int size = Math.min(chunk, n - from);
            for (int slot = 0; slot < size; slot++) {
                data.loadInto(step, slot, from + slot, precision);
            }
            weightedLoss += step.loss(size) * size;
            for (int slot = 0; slot < size; slot++) {
                step.output(slot, output);
                data.targetsInto(from + slot, target);
                metrics.add(output, target);
            }
        }
        return metrics.result(weightedLoss / n);
    }
}
