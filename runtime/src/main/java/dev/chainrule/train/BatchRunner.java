package dev.chainrule.train;

import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import dev.chainrule.UpdateSettings;
import dev.chainrule.data.Dataset;

/**
 * Computes the gradient of one mini-batch's mean loss and applies it: on the calling thread, or
 * split across worker threads, by the first layer's inputs ({@link InputSplitRunner}) where the
 * generated step can, else by rows ({@link ParallelBatchRunner}). The trainer's epoch loop is the same
 * either way.
 */
abstract class BatchRunner implements AutoCloseable {

    /**
     * The least work per worker and step (at about 6 FLOP per parameter and sample) that pays for
     * handing a part of the batch to another thread: waking a waiting thread and combining the
     * gradients cost tens of microseconds, a step of this size takes about 100.
     */
    static final long MIN_FLOPS_PER_WORKER = 4_000_000L;

    /**
     * A runner for batches of up to {@code batchSize} rows of {@code data}, on at most
     * {@code threads} threads: fewer when a step is too small to share (see
     * {@link #MIN_FLOPS_PER_WORKER}), so more threads never make training slower.
     */
    static BatchRunner create(Model model, Dataset data, Precision precision, int batchSize, int threads,
            long minFlopsPerWorker) {
        int workers = workers(model.parameterCount(), batchSize, threads, minFlopsPerWorker);
        if (workers <= 1) {
            return new SingleThread(model.newTrainingStep(batchSize), data, precision);
        }
        TrainingStep step = model.newTrainingStep(batchSize);
        return InputSplitRunner.splitsByInputs(step)
                ? new InputSplitRunner(step, data, precision, workers)
                : new ParallelBatchRunner(model, step, data, precision, batchSize, workers);
    }

    /** How many threads share a step: at most {@code threads}, one per {@link #MIN_FLOPS_PER_WORKER}. */
    static int workers(int parameters, int batchSize, int threads, long minFlopsPerWorker) {
        long flops = 6L * parameters * batchSize;
        long affordable = Math.max(1, flops / Math.max(1, minFlopsPerWorker));
        return (int) Math.min(Math.min(threads, batchSize), affordable);
    }

    /**
     * Loads the rows {@code order[from .. from + size)} and leaves the gradient of their mean loss
     * ready for {@link #applyGradients}; returns that mean loss.
     */
    abstract double computeGradients(int[] order, int from, int size);

    /**
     * The sum of the squares of the batch's gradient (after combining the workers' parts): not
     * finite if any element is not, which is how the trainer refuses to apply a diverged step.
     */
    abstract double gradientSquaredNorm();

    /** Every step gradients are computed in; the first one holds the combined gradient and applies it. */
    abstract TrainingStep[] steps();

    /** Clipping by global norm: 0 for none. */
    private double maxGradientNorm;

    /** The largest global norm of a gradient before it is applied: 0 for no clipping. */
    final double maxGradientNorm() {
        return maxGradientNorm;
    }

    /**
     * Gives every step the update rule's hyperparameters and, unless it is NaN, the dropout rate
     * overriding the declared ones; sets the largest global norm of a gradient before it is
     * applied (0 for no clipping).
     */
    final void configure(UpdateSettings settings, double maxGradientNorm, double dropoutRate) {
        for (TrainingStep step : steps()) {
            step.setUpdateSettings(settings);
            if (!Double.isNaN(dropoutRate)) {
                step.setDropoutRate(dropoutRate);
            }
        }
        this.maxGradientNorm = maxGradientNorm;
    }

    /**
     * Enables dropout for the next batch with masks drawn from {@code seed}: worker 0's step
     * uses it as it is, worker {@code k}'s a seed mixed from it and {@code k}.
     */
    final void enableDropout(long seed) {
        TrainingStep[] steps = steps();
        for (int k = 0; k < steps.length; k++) {
            steps[k].setDropout(true, k == 0 ? seed : Trainer.mix(seed + k * 0x9E3779B97F4A7C15L));
        }
    }

    /**
     * Applies the combined gradient with the network's update rule, after scaling it down to
     * the largest global norm if it is longer (PyTorch's {@code clip_grad_norm_}: the factor is
     * {@code max / (norm + 1e-6)}, applied when below 1; see {@link #clipFactor}).
     */
    abstract void applyGradients(double learningRate);

    /**
     * Clips and applies the gradient held by {@code total} on the calling thread: the one-thread
     * update, which computes the norm again from {@code total}.
     */
    final void applyOnThisThread(TrainingStep total, double learningRate) {
        if (maxGradientNorm > 0) {
            double factor = clipFactor(total.gradientSquaredNorm(), maxGradientNorm);
            if (factor < 1.0) {
                total.scaleGradients(factor);
            }
        }
        total.applyGradients(learningRate);
    }

    /**
     * The factor that clips a gradient of this squared norm to {@code maxNorm}:
     * {@code maxNorm / (sqrt(squaredNorm) + 1e-6)}, which scales the gradient only when below 1.
     */
    static double clipFactor(double squaredNorm, double maxNorm) {
        double norm = Math.sqrt(squaredNorm);
        return maxNorm / (norm + 1e-6);
    }

    /**
     * Copies the network's output for row {@code index} (0-based) of the last batch, from its
     * forward pass in {@link #computeGradients}, into {@code out}.
     */
    abstract void output(int index, double[] out);

    @Override
    public void close() {}

    private static final class SingleThread extends BatchRunner {
        private final TrainingStep step;
        private final TrainingStep[] steps;
        private final Dataset data;
        private final Precision precision;

        SingleThread(TrainingStep step, Dataset data, Precision precision) {
            this.step = step;
            this.steps = new TrainingStep[] {step};
            this.data = data;
            this.precision = precision;
        }

        @Override
        TrainingStep[] steps() {
            return steps;
        }

        @Override
        double computeGradients(int[] order, int from, int size) {
            for (int slot = 0; slot < size; slot++) {
                data.loadInto(step, slot, order[from + slot], precision);
            }
            return step.computeGradients(size);
        }

        @Override
        double gradientSquaredNorm() {
            return step.gradientSquaredNorm();
        }

        @Override
        void applyGradients(double learningRate) {
            applyOnThisThread(step, learningRate);
        }

        @Override
        void output(int index, double[] out) {
            step.output(index, out);
        }
    }
}
