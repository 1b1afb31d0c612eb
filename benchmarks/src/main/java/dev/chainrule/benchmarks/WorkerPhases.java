package dev.chainrule.benchmarks;

import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import dev.chainrule.WorkerStep;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the time of a step split by inputs ({@link WorkerStep}) goes: runs the phases of
 * {@code Trainer.threads(n)}'s step by hand on {@code n} threads, with a barrier after each, and
 * prints each worker's median microseconds per phase. It runs them twice:
 *
 * <ul>
 *   <li>{@code shared}: the workers of one step, as the trainer runs them, so loaded rows, partial
 *       sums, activations, deltas and the small layers' parameters move between cores;
 *   <li>{@code private}: worker {@code k} runs the same share of the work, with the same barriers,
 *       on a step of its own: its own input rows, partial sums, activations, deltas and gradients.
 *       The network's parameters stay shared, as in the trainer (each worker updates its slice).
 * </ul>
 *
 * The difference between the two is what sharing the step's buffers costs; the private run is
 * what the split would reach if they did not cross between cores. Then one thread's whole step
 * ({@code computeGradients}, {@code gradientSquaredNorm}, {@code applyGradients}), for the ratio.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/chainrule-benchmarks.jar \
 *     dev.chainrule.benchmarks.WorkerPhases mnist 64 [workers=2] [steps=20000]
 * </pre>
 *
 * Not a JMH benchmark: JMH times one method, while this needs the time of each phase inside one
 * step on every thread at once. Each run warms up for 8,000 steps first.
 */
public final class WorkerPhases {

    private static final String[] PHASES = {"load", "forwardInputs", "computeDeltas", "gradientShare", "update",
        "waiting"};
    private static final int WARM_UP_STEPS = 8_000;
    private static final int ROWS = 4096;
    private static final double LEARNING_RATE = 0.01;

    private final Model net;
    private final int batch;
    private final int workers;
    private final int steps;
    private final float[] features;
    private final float[] targets;

    private WorkerPhases(String task, int batch, int workers, int steps) {
        this.net = Tasks.network(task, Precision.FLOAT, 11L);
        this.batch = batch;
        this.workers = workers;
        this.steps = steps;
        int in = net.inputSize();
        int out = net.outputSize();
        SplittableRandom random = new SplittableRandom(3);
        features = new float[ROWS * in];
        targets = new float[ROWS * out];
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) random.nextDouble();
        }
        for (int r = 0; r < ROWS; r++) {
            targets[r * out + random.nextInt(out)] = 1f;
        }
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: WorkerPhases <xor|iris|digits|mnist|deep> <batch> [workers] [steps]");
            System.exit(2);
        }
        int workers = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 20_000;
        WorkerPhases phases = new WorkerPhases(args[0], Integer.parseInt(args[1]), workers, steps);
        long[][][] shared;
        try {
            shared = phases.run(false); // asks the step for its workers before starting any thread
        } catch (UnsupportedOperationException e) {
            System.err.println(args[0] + ": " + e.getMessage()); // a network too small to split by inputs
            System.exit(2);
            return;
        }
        System.out.printf(Locale.ROOT, "%s, batch %d, %d workers, median microseconds per step%n", args[0],
                phases.batch, workers);
        phases.report("shared", shared);
        phases.report("private", phases.run(true));
        System.out.printf(Locale.ROOT, "one thread, whole step: %.1f%n", phases.oneThread() / 1e3);
    }

    /** Runs the phases on {@code workers} threads; returns nanoseconds [worker][phase][step]. */
    private long[][][] run(boolean privateSteps) throws InterruptedException {
        TrainingStep shared = net.newTrainingStep(batch);
        List<WorkerStep> sharedWorkers = shared.workerSteps(workers);
        Barrier barrier = new Barrier(workers);
        long[][][] times = new long[workers][PHASES.length][steps];
        Thread[] threads = new Thread[workers];
        for (int k = 0; k < workers; k++) {
            int worker = k;
            TrainingStep step = privateSteps ? net.newTrainingStep(batch) : shared;
            WorkerStep share = privateSteps ? step.workerSteps(workers).get(worker) : sharedWorkers.get(worker);
            threads[k] = new Thread(() -> runWorker(step, share, barrier, times[worker]), "phases-" + k);
        }
        for (Thread thread : threads) {
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return times;
    }

    private void runWorker(TrainingStep step, WorkerStep share, Barrier barrier, long[][] times) {
        int k = share.worker();
        int first = WorkerStep.firstSlot(batch, k, workers);
        int end = WorkerStep.firstSlot(batch, k + 1, workers);
        int in = net.inputSize();
        int out = net.outputSize();
        int cursor = 0;
        for (int i = -WARM_UP_STEPS; i < steps; i++) {
            long start = System.nanoTime();
            for (int slot = first; slot < end; slot++) {
                int row = (cursor + slot) % ROWS;
                step.load(slot, features, row * in, targets, row * out);
            }
            long loaded = System.nanoTime();
            barrier.await();
            long t1 = System.nanoTime();
            share.forwardInputs(batch);
            long summed = System.nanoTime();
            barrier.await();
            long t2 = System.nanoTime();
            share.computeDeltas(batch);
            long deltas = System.nanoTime();
            barrier.await();
            long t3 = System.nanoTime();
            share.computeGradientShare(batch);
            long gradient = System.nanoTime();
            barrier.await();
            long t4 = System.nanoTime();
            step.applyGradients(LEARNING_RATE, k, workers);
            long updated = System.nanoTime();
            barrier.await();
            long t5 = System.nanoTime();
            if (k == 0) {
                step.completeUpdate();
            }
            barrier.await();
            cursor = (cursor + batch) % ROWS;
            if (i >= 0) {
                times[0][i] = loaded - start;
                times[1][i] = summed - t1;
                times[2][i] = deltas - t2;
                times[3][i] = gradient - t3;
                times[4][i] = updated - t4;
                times[5][i] = (t1 - loaded) + (t2 - summed) + (t3 - deltas) + (t4 - gradient) + (t5 - updated);
            }
        }
    }

    /** One thread's whole step, as {@code Trainer} runs it with one thread; median nanoseconds. */
    private long oneThread() {
        TrainingStep step = net.newTrainingStep(batch);
        int in = net.inputSize();
        int out = net.outputSize();
        long[] times = new long[steps];
        int cursor = 0;
        double checksum = 0;
        for (int i = -WARM_UP_STEPS; i < steps; i++) {
            long start = System.nanoTime();
            for (int slot = 0; slot < batch; slot++) {
                int row = (cursor + slot) % ROWS;
                step.load(slot, features, row * in, targets, row * out);
            }
            checksum += step.computeGradients(batch) + step.gradientSquaredNorm();
            step.applyGradients(LEARNING_RATE);
            cursor = (cursor + batch) % ROWS;
            if (i >= 0) {
                times[i] = System.nanoTime() - start;
            }
        }
        if (!Double.isFinite(checksum)) {
            throw new IllegalStateException("training diverged: " + checksum);
        }
        return median(times);
    }

    private void report(String label, long[][][] times) {
        for (int k = 0; k < workers; k++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-8s worker %d:", label, k));
            long total = 0;
            for (int p = 0; p < PHASES.length; p++) {
                long median = median(times[k][p]);
                total += median;
                line.append(String.format(Locale.ROOT, " %s %.1f", PHASES[p], median / 1e3));
            }
            System.out.println(line.append(String.format(Locale.ROOT, " | sum %.1f", total / 1e3)));
        }
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** A spinning barrier, as the trainer's: the phases are tens of microseconds long. */
    private static final class Barrier {
        private final int parties;
        private final AtomicInteger arrived = new AtomicInteger();
        private volatile int round;

        Barrier(int parties) {
            this.parties = parties;
        }

        void await() {
            int current = round;
            if (arrived.incrementAndGet() == parties) {
                arrived.set(0);
                round = current + 1;
                return;
            }
            while (round == current) {
                Thread.onSpinWait();
            }
        }
    }
}
