package dev.chainrule.train;

import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import dev.chainrule.WorkerStep;
import dev.chainrule.data.Dataset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Steps whose batch is split by the first layer's inputs ({@link WorkerStep}): every worker works
 * on one shared {@link TrainingStep}, and worker {@code k} owns slice {@code k} of the first
 * layer's weight rows for good: it sums the weighted inputs over them, computes their gradient and
 * updates them, so those rows and their gradient never leave its core; the loaded input rows,
 * partial sums, activations, deltas and the other layers' parameters do. When the batch is split
 * by rows instead ({@link ParallelBatchRunner}), every step also moves half of the first layer's
 * weights and half of its gradient from core to core, which on a network like 784-128-10 costs
 * about as much as the second core gains.
 *
 * <p>One batch is two phases. Gradients: worker {@code k} loads its slots, then, with a barrier
 * between them, {@link WorkerStep#forwardInputs}, {@link WorkerStep#computeDeltas} and
 * {@link WorkerStep#computeGradientShare}. Update: worker {@code k} clips and applies slice
 * {@code k}; worker 0 then counts the update once. The batch's loss and squared gradient norm are
 * summed in worker order, so a given number of workers repeats bit for bit.
 */
final class InputSplitRunner extends WorkerThreads {

    private static final int GRADIENTS = 0;
    private static final int UPDATE = 1;

    private final Dataset data;
    private final Precision precision;
    private final TrainingStep step;
    private final TrainingStep[] steps;
    private final List<WorkerStep> workerSteps;
    private final double[] losses;
    private final double[] shareNorms;
    private final SpinBarrier barrier;

    // Written by worker 0 before it publishes a phase.
    private int[] order;
    private int from;
    private int size;
    private int phase;
    private double learningRate;
    private double clipFactor;

    private double squaredNorm;

    InputSplitRunner(TrainingStep step, Dataset data, Precision precision, int workers) {
        super(workers);
        this.data = data;
        this.precision = precision;
        this.step = step;
        this.steps = new TrainingStep[] {step};
        this.workerSteps = step.workerSteps(workers);
        this.losses = new double[workers];
        this.shareNorms = new double[workers];
        this.barrier = new SpinBarrier(workers);
        startWorkers();
    }

    /** Whether the step's class implements the split by inputs rather than inheriting the default, which throws. */
    static boolean splitsByInputs(TrainingStep step) {
        return implementsMethod(step, "workerSteps", int.class)
                && ParallelBatchRunner.worksInSlices(step);
    }

    @Override
    double computeGradients(int[] order, int from, int size) {
        this.order = order;
        this.from = from;
        this.size = size;
        phase = GRADIENTS;
        barrier.reset(); // no worker is at the barrier between phases
        runPhase();
        double loss = 0.0;
        double norm = 0.0;
        int workers = workers();
        for (int k = 0; k < workers; k++) {
            int rows = WorkerStep.firstSlot(size, k + 1, workers) - WorkerStep.firstSlot(size, k, workers);
            loss += losses[k] * rows; // losses[k] is the mean over worker k's rows
            norm += shareNorms[k];
        }
        squaredNorm = norm;
        return loss / size;
    }

    @Override
    double gradientSquaredNorm() {
        return squaredNorm;
    }

    @Override
    void applyGradients(double learningRate) {
        double max = maxGradientNorm();
        clipFactor = max > 0 ? clipFactor(squaredNorm, max) : 1.0;
        this.learningRate = learningRate;
        phase = UPDATE;
        runPhase();
        step.completeUpdate();
    }

    @Override
    Throwable work(int k) {
        int workers = workers();
        try {
            if (phase == UPDATE) {
                if (clipFactor < 1.0) {
                    step.scaleGradients(clipFactor, k, workers);
                }
                step.applyGradients(learningRate, k, workers);
                return null;
            }
            WorkerStep worker = workerSteps.get(k);
            int first = WorkerStep.firstSlot(size, k, workers);
            int end = WorkerStep.firstSlot(size, k + 1, workers);
            for (int slot = first; slot < end; slot++) {
                data.loadInto(step, slot, order[from + slot], precision);
            }
            barrier.await();
            worker.forwardInputs(size);
            barrier.await();
            losses[k] = worker.computeDeltas(size);
            barrier.await();
            shareNorms[k] = worker.computeGradientShare(size);
            return null;
        } catch (SpinBarrier.Broken e) {
            return null; // another worker failed, and reports it
        } catch (Throwable t) {
            barrier.breakBarrier();
            return t;
        }
    }

    @Override
    TrainingStep[] steps() {
        return steps;
    }

    @Override
    void output(int index, double[] out) {
        step.output(index, out);
    }

    /**
     * A reusable barrier for the workers of one step that spins, then yields, and that a failing
     * worker breaks, so that no other worker waits for it for good.
     */
    static final class SpinBarrier {

        /** Thrown at the barrier in the workers that did not fail when another one did. */
        static final class Broken extends RuntimeException {
            private static final long serialVersionUID = 1L;

            Broken() {
                super("another training worker failed", null, false, false);
            }
        }

        private final int parties;
        private final AtomicInteger arrived = new AtomicInteger();
        private volatile int round;
        private volatile boolean broken;

        SpinBarrier(int parties) {
            this.parties = parties;
        }

        /** Waits until every worker has arrived; what each wrote before is then visible to all. */
        void await() {
            int current = round;
            if (broken) {
                throw new Broken();
            }
            if (arrived.incrementAndGet() == parties) {
                arrived.set(0);
                round = current + 1; // publishes every worker's writes to the others
                return;
            }
            int spins = 0;
            while (round == current) {
                if (broken) {
                    throw new Broken();
                }
                if (++spins < SPINS) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }

        /** Makes every worker waiting at the barrier, or arriving later, throw {@link Broken}. */
        void breakBarrier() {
            broken = true;
        }

        /** Makes the barrier whole again; only between phases, when no worker is at it. */
        void reset() {
            broken = false;
            arrived.set(0);
        }
    }
}
