package dev.chainrule.train;

import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import dev.chainrule.data.Dataset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Data-parallel steps: a batch is cut into one contiguous part per worker (sizes differ by at most
 * one, earlier parts larger), each worker computes the gradient of its part's mean loss in its own
 * {@link TrainingStep}, and the calling thread, worker 0, combines them as
 * {@code g = sum_k (n_k / n) g_k} in worker order. The partition and the order are fixed, so the
 * same thread count repeats bit for bit; a different count rounds differently.
 *
 * <p>Workers wait for the next batch spinning briefly and then parked, because a step of a small
 * network is shorter than waking a parked thread.
 */
final class ParallelBatchRunner extends BatchRunner {

    /** Spin iterations before a waiting thread parks or yields; about 20-50 microseconds. */
    private static final int SPINS = 20_000;

    private final Dataset data;
    private final Precision precision;
    private final TrainingStep[] steps;
    private final double[] losses;
    private final int[] partFrom;
    private final int[] partSize;
    private final Thread[] threads;
    private final AtomicInteger pending = new AtomicInteger();

    private int[] order;
    private volatile long generation;
    private volatile boolean closed;
    private volatile Throwable failure;

    ParallelBatchRunner(Model model, Dataset data, Precision precision, int batchSize, int workers) {
        this.data = data;
        this.precision = precision;
        int largestPart = (batchSize + workers - 1) / workers;
        steps = new TrainingStep[workers];
        for (int k = 0; k < workers; k++) {
            steps[k] = model.newTrainingStep(largestPart);
        }
        losses = new double[workers];
        partFrom = new int[workers];
        partSize = new int[workers];
        threads = new Thread[workers];
        for (int k = 1; k < workers; k++) {
            final int worker = k;
            Thread thread = new Thread(() -> workLoop(worker), "chainrule-trainer-" + k);
            thread.setDaemon(true);
            threads[k] = thread;
            thread.start();
        }
    }

    @Override
    double computeGradients(int[] order, int from, int size) {
        int workers = steps.length;
        int base = size / workers;
        int extra = size % workers;
        int start = from;
        for (int k = 0; k < workers; k++) {
            partFrom[k] = start;
            partSize[k] = base + (k < extra ? 1 : 0);
            start += partSize[k];
        }
        this.order = order;
        pending.set(workers - 1);
        generation++; // publishes the parts and the order to the workers
        for (int k = 1; k < workers; k++) {
            LockSupport.unpark(threads[k]);
        }
        runPart(0);
        awaitWorkers();
        Throwable error = failure;
        if (error != null) {
            failure = null;
            throw new IllegalStateException("a training worker failed: " + error, error);
        }
        double loss = 0.0;
        TrainingStep total = steps[0];
        total.scaleGradients((double) partSize[0] / size);
        loss += losses[0] * partSize[0];
        for (int k = 1; k < workers; k++) {
            if (partSize[k] > 0) {
                total.addGradients(steps[k], (double) partSize[k] / size);
                loss += losses[k] * partSize[k];
            }
        }
        return loss / size;
    }

    @Override
    double gradientSquaredNorm() {
        return steps[0].gradientSquaredNorm();
    }

    @Override
    TrainingStep[] steps() {
        return steps;
    }

    @Override
    void output(int index, double[] out) {
        int k = 0;
        int start = partFrom[0];
        while (index >= partFrom[k] - start + partSize[k]) {
            k++;
        }
        steps[k].output(index - (partFrom[k] - start), out);
    }

    private void runPart(int k) {
        int size = partSize[k];
        if (size == 0) {
            return;
        }
        TrainingStep step = steps[k];
        int from = partFrom[k];
        for (int slot = 0; slot < size; slot++) {
            data.loadInto(step, slot, order[from + slot], precision);
        }
        losses[k] = step.computeGradients(size);
    }

    private void workLoop(int k) {
        long seen = 0;
        while (true) {
            int spins = 0;
            long current;
            while ((current = generation) == seen) {
                if (closed) {
                    return;
                }
                if (++spins < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            seen = current;
            if (closed) {
                return;
            }
            try {
                runPart(k);
            } catch (Throwable t) {
                failure = t;
            }
            pending.decrementAndGet(); // publishes the part's gradient and loss to worker 0
        }
    }

    private void awaitWorkers() {
        int spins = 0;
        while (pending.get() != 0) {
            if (++spins < SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        generation++;
        for (int k = 1; k < threads.length; k++) {
            LockSupport.unpark(threads[k]);
        }
        for (int k = 1; k < threads.length; k++) {
            try {
                threads[k].join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
