package dev.chainrule.train;

import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import dev.chainrule.data.Dataset;

/**
 * Computes the gradient of one mini-batch's mean loss and applies it: on the calling thread, or
 * split across worker threads ({@link ParallelBatchRunner}). The trainer's epoch loop is the same
 * either way.
 */
abstract class BatchRunner implements AutoCloseable {

    /** A runner for batches of up to {@code batchSize} rows of {@code data}, on {@code threads} threads. */
    static BatchRunner create(Model model, Dataset data, Precision precision, int batchSize, int threads) {
        int workers = Math.min(threads, batchSize);
        return workers <= 1
                ? new SingleThread(model.newTrainingStep(batchSize), data, precision)
                : new ParallelBatchRunner(model, data, precision, batchSize, workers);
    }

    /**
     * Loads the rows {@code order[from .. from + size)} and leaves the gradient of their mean loss
     * ready for {@link #applyGradients}; returns that mean loss.
     */
    abstract double computeGradients(int[] order, int from, int size);

    /** Moves every parameter by {@code -learningRate × gradient}. */
    abstract void applyGradients(double learningRate);

    @Override
    public void close() {}

    private static final class SingleThread extends BatchRunner {
        private final TrainingStep step;
        private final Dataset data;
        private final Precision precision;

        SingleThread(TrainingStep step, Dataset data, Precision precision) {
            this.step = step;
            this.data = data;
            this.precision = precision;
        }

        @Override
        double computeGradients(int[] order, int from, int size) {
            for (int slot = 0; slot < size; slot++) {
                data.loadInto(step, slot, order[from + slot], precision);
            }
            return step.computeGradients(size);
        }

        @Override
        void applyGradients(double learningRate) {
            step.applyGradients(learningRate);
        }
    }
}
