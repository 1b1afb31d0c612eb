package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chainrule.Loss;
import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import dev.chainrule.WorkerStep;
import dev.chainrule.data.Dataset;
import dev.chainrule.train.Trainer;
import dev.chainrule.train.TrainingResult;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code Trainer.threads(n)} on networks whose steps split a batch by the first layer's inputs
 * ({@link WorkerStep}): the workers' phases give the gradient of the whole batch up to rounding,
 * the same thread count repeats bit for bit, both kernel paths give the same bits, and a failing
 * worker fails the fit instead of leaving the others waiting.
 */
class InputSplitTest {

    static CompiledNetworks compiled;

    /** Topologies: {name, network attributes without the optimizer, input size, layers}. */
    private static final Object[][] TOPOLOGIES = {
        // MNIST's shape, small: a wide first layer, a softmax output
        {"WideFirst", "loss = Loss.CATEGORICAL_CROSS_ENTROPY, precision = Precision.FLOAT", 40,
            List.of("units = 48, activation = Activation.RELU", "units = 3, activation = Activation.SOFTMAX")},
        // widths that are not multiples of 16 or of the tile, and an input count no worker share divides
        {"TwoWide", "loss = Loss.MEAN_SQUARED_ERROR, precision = Precision.DOUBLE", 23,
            List.of("units = 40, activation = Activation.TANH", "units = 33, activation = Activation.LEAKY_RELU",
                    "units = 17")},
        // a first layer whose derivative reads its pre-activations, then an unrolled output
        {"SiluFirst", "loss = Loss.BINARY_CROSS_ENTROPY, precision = Precision.FLOAT", 30,
            List.of("units = 24, activation = Activation.SILU", "units = 1, activation = Activation.SIGMOID")},
        // one layer: the first is the output
        {"OneLayer", "loss = Loss.CATEGORICAL_CROSS_ENTROPY, precision = Precision.DOUBLE", 50,
            List.of("units = 20, activation = Activation.SOFTMAX")},
    };

    private static final String[] OPTIMIZERS = {"SGD", "ADAM"};
    private static final String[] PATHS = {"PORTABLE", "VECTOR"};

    @BeforeAll
    static void compile() {
        Map<String, String> sources = new LinkedHashMap<>();
        for (Object[] topology : TOPOLOGIES) {
            for (String optimizer : OPTIMIZERS) {
                for (String path : PATHS) {
                    String name = name(topology, optimizer, path);
                    @SuppressWarnings("unchecked")
                    List<String> layers = (List<String>) topology[3];
                    sources.put("inputs." + name, Specs.source("inputs", name, topology[1] + ", optimizer = Optimizer."
                            + optimizer + ", simd = Simd." + path, (Integer) topology[2], layers));
                }
            }
        }
        // networks that keep splitting by rows: an unrolled first layer, and dropout
        sources.put("inputs.Unrolled", Specs.source("inputs", "Unrolled", "loss = Loss.MEAN_SQUARED_ERROR", 4,
                List.of("units = 8, activation = Activation.TANH", "units = 30")));
        sources.put("inputs.Dropout", Specs.source("inputs", "Dropout", "loss = Loss.MEAN_SQUARED_ERROR", 40,
                List.of("units = 48, activation = Activation.RELU, dropout = 0.2", "units = 3")));
        compiled = CompiledNetworks.compileWithVectorApi(sources);
    }

    private static String name(Object[] topology, String optimizer, String path) {
        return topology[0] + "" + optimizer.charAt(0) + optimizer.substring(1).toLowerCase(java.util.Locale.ROOT)
                + (path.equals("VECTOR") ? "V" : "P");
    }

    private static Model network(String name) {
        Model net = compiled.newNetwork("inputs." + name + "Network", 11L);
        if (name.endsWith("V") || name.endsWith("P")) {
            assertEquals(name.endsWith("V"), net.vectorKernels(), name + ": the kernel path under test");
        }
        return net;
    }

    /** 90 rows of targets that fit the loss. */
    static Dataset data(Model net) {
        SplittableRandom random = new SplittableRandom(4L);
        double[][] x = new double[90][net.inputSize()];
        double[][] y = new double[90][net.outputSize()];
        for (int r = 0; r < x.length; r++) {
            for (int i = 0; i < x[r].length; i++) {
                x[r][i] = random.nextDouble(-1, 1);
            }
            if (net.loss() == Loss.CATEGORICAL_CROSS_ENTROPY) {
                y[r][random.nextInt(y[r].length)] = 1;
            } else {
                for (int j = 0; j < y[r].length; j++) {
                    y[r][j] = net.loss() == Loss.BINARY_CROSS_ENTROPY ? random.nextInt(2) : random.nextDouble(-1, 1);
                }
            }
        }
        return Dataset.of(x, y);
    }

    /** Three epochs in batches of 13 (the last of 12 rows), shared between threads however small. */
    static TrainingResult fit(Model net, int threads, double maxNorm) {
        Trainer trainer = Trainer.of(net).learningRate(0.01).batchSize(13).epochs(3).seed(3L).threads(threads);
        if (maxNorm > 0) {
            trainer.clipGradientNorm(maxNorm);
        }
        ThreadedTrainingTest.shareEveryStep(trainer);
        return trainer.fit(data(net));
    }

    @Test
    void stepsWithATiledFirstLayerAndNoDropoutSplitByInputs() {
        for (Object[] topology : TOPOLOGIES) {
            TrainingStep step = network(name(topology, "SGD", "PORTABLE")).newTrainingStep(5);
            List<WorkerStep> workers = step.workerSteps(3);
            assertEquals(3, workers.size());
            for (int k = 0; k < 3; k++) {
                assertEquals(k, workers.get(k).worker(), String.valueOf(topology[0]));
                assertEquals(3, workers.get(k).workers(), String.valueOf(topology[0]));
            }
        }
        for (String name : new String[] {"Unrolled", "Dropout"}) {
            TrainingStep step = network(name).newTrainingStep(5);
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> step.workerSteps(2), name);
            assertTrue(e.getMessage().contains("cannot split a batch by inputs"), e.getMessage());
        }
    }

    @Test
    void badArgumentsAreRefusedWithTheirValues() {
        TrainingStep step = network(name(TOPOLOGIES[0], "SGD", "VECTOR")).newTrainingStep(9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> step.workerSteps(0));
        assertEquals("workers must be at least 1, got 0", e.getMessage());
        WorkerStep worker = step.workerSteps(2).get(1);
        e = assertThrows(IllegalArgumentException.class, () -> worker.forwardInputs(10));
        assertEquals("batch size 10 is outside 1..9 of this training step", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> worker.computeDeltas(0));
        assertEquals("batch size 0 is outside 1..9 of this training step", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> worker.computeGradientShare(-1));
        assertEquals("batch size -1 is outside 1..9 of this training step", e.getMessage());
    }

    @Test
    void firstSlotsCutTheBatchInOrder() {
        assertEquals(0, WorkerStep.firstSlot(13, 0, 2));
        assertEquals(6, WorkerStep.firstSlot(13, 1, 2));
        assertEquals(13, WorkerStep.firstSlot(13, 2, 2));
        assertEquals(0, WorkerStep.firstSlot(2, 1, 3)); // more workers than slots: some get none
        assertEquals(1, WorkerStep.firstSlot(2, 2, 3));
    }

    /**
     * The workers' phases, run one after another, leave in the shared step the gradient, loss and
     * squared norm of the whole batch, up to the rounding of the first layer's split sums (one
     * worker: bit for bit); for any number of workers, more workers than slots included.
     */
    @Test
    void theWorkersPhasesGiveTheGradientOfTheBatch() {
        for (Object[] topology : TOPOLOGIES) {
            for (String path : PATHS) {
                String name = name(topology, "ADAM", path);
                for (int workers : new int[] {1, 2, 3, 12}) {
                    String what = name + ", " + workers + " workers";
                    Model single = network(name);
                    Model shared = network(name);
                    TrainingStep one = loaded(single, 9);
                    TrainingStep many = loaded(shared, 9);
                    double loss = one.computeGradients(9);
                    List<WorkerStep> steps = many.workerSteps(workers);
                    steps.forEach(worker -> worker.forwardInputs(9));
                    double splitLoss = 0;
                    for (WorkerStep worker : steps) {
                        int count = WorkerStep.firstSlot(9, worker.worker() + 1, workers)
                                - WorkerStep.firstSlot(9, worker.worker(), workers);
                        splitLoss += worker.computeDeltas(9) * count;
                    }
                    double norm = 0;
                    for (WorkerStep worker : steps) {
                        norm += worker.computeGradientShare(9);
                    }
                    double tolerance = single.precision() == Precision.FLOAT ? 1e-5 : 1e-12;
                    assertClose(new double[] {loss}, new double[] {splitLoss / 9}, tolerance, what + ": loss");
                    assertClose(new double[] {one.gradientSquaredNorm()}, new double[] {norm}, tolerance, what + ": norm");
                    double[] expected = new double[single.parameterCount()];
                    double[] actual = new double[shared.parameterCount()];
                    one.gradients(expected);
                    many.gradients(actual);
                    assertClose(expected, actual, tolerance, what + ": gradient");
                    if (workers == 1) {
                        // one worker's sums are the whole sums: the bits of computeGradients
                        assertArrayEquals(expected, actual, what + ": gradient");
                        assertEquals(loss, splitLoss / 9, what + ": loss");
                    }
                    // the outputs of every slot are there for the trainer's metrics
                    double[] out = new double[single.outputSize()];
                    double[] outSplit = new double[single.outputSize()];
                    for (int slot = 0; slot < 9; slot++) {
                        one.output(slot, out);
                        many.output(slot, outSplit);
                        assertClose(out, outSplit, tolerance, what + ": output of slot " + slot);
                    }
                }
            }
        }
    }

    @Test
    void theSameThreadCountRepeatsBitForBit() {
        for (Object[] topology : TOPOLOGIES) {
            for (String optimizer : OPTIMIZERS) {
                String name = name(topology, optimizer, "VECTOR");
                for (int threads : new int[] {2, 3}) {
                    for (double maxNorm : new double[] {0, 0.05}) {
                        String what = name + ", " + threads + " threads, max norm " + maxNorm;
                        Model first = network(name);
                        Model second = network(name);
                        TrainingResult a = fit(first, threads, maxNorm);
                        TrainingResult b = fit(second, threads, maxNorm);
                        assertArrayEquals(first.parameters(), second.parameters(), what);
                        assertArrayEquals(first.optimizerState(), second.optimizerState(), what);
                        assertArrayEquals(a.trainLoss(), b.trainLoss(), what);
                    }
                }
            }
        }
    }

    /** The portable and the Vector API kernels of the split add in the same order: the same bits. */
    @Test
    void bothKernelPathsGiveTheSameBits() {
        for (Object[] topology : TOPOLOGIES) {
            for (String optimizer : OPTIMIZERS) {
                for (int threads : new int[] {2, 3}) {
                    Model portable = network(name(topology, optimizer, "PORTABLE"));
                    Model vector = network(name(topology, optimizer, "VECTOR"));
                    fit(portable, threads, 0);
                    fit(vector, threads, 0);
                    assertArrayEquals(portable.parameters(), vector.parameters(),
                            topology[0] + ", " + optimizer + ", " + threads + " threads");
                }
            }
        }
    }

    /** Training on threads ends where one thread does, up to rounding; the bound still clips. */
    @Test
    void threadsAgreeWithOneThreadUpToRounding() {
        for (Object[] topology : TOPOLOGIES) {
            for (String optimizer : OPTIMIZERS) {
                String name = name(topology, optimizer, "VECTOR");
                for (double maxNorm : new double[] {0, 0.05}) {
                    Model single = network(name);
                    TrainingResult expected = fit(single, 1, maxNorm);
                    Model shared = network(name);
                    TrainingResult actual = fit(shared, 2, maxNorm);
                    double tolerance = shared.precision() == Precision.FLOAT ? 1e-3 : 1e-9;
                    String what = name + ", max norm " + maxNorm;
                    assertClose(single.parameters(), shared.parameters(), tolerance, what + ": parameters");
                    assertClose(expected.trainLoss(), actual.trainLoss(), tolerance, what + ": losses");
                }
            }
            Model unclipped = network(name(topology, "SGD", "VECTOR"));
            Model clipped = network(name(topology, "SGD", "VECTOR"));
            fit(unclipped, 2, 0);
            fit(clipped, 2, 0.05);
            assertFalse(java.util.Arrays.equals(unclipped.parameters(), clipped.parameters()),
                    topology[0] + ": the bound clips");
        }
    }

    private static void assertClose(double[] expected, double[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int k = 0; k < expected.length; k++) {
            if (!(Math.abs(expected[k] - actual[k]) <= tolerance * Math.max(1, Math.abs(expected[k])))) {
                fail(what + ", element " + k + ": expected " + expected[k] + ", got " + actual[k]);
            }
        }
    }

    private static TrainingStep loaded(Model net, int batch) {
        TrainingStep step = net.newTrainingStep(batch);
        Dataset data = data(net);
        for (int s = 0; s < batch; s++) {
            step.load(s, data.features(s), 0, data.targets(s), 0);
        }
        return step;
    }

    /**
     * Workers on their own threads, with a barrier between the phases, leave the bits that the
     * same workers leave run one after another on one thread, step after step: a missing barrier
     * or a buffer two workers write would show here.
     */
    @Test
    void workersOnThreadsGiveTheBitsOfWorkersInTurn() throws InterruptedException {
        for (Object[] topology : TOPOLOGIES) {
            for (String path : PATHS) {
                String name = name(topology, "ADAM", path);
                for (int workers : new int[] {2, 3}) {
                    Model inTurn = network(name);
                    Model onThreads = network(name);
                    TrainingStep step = inTurn.newTrainingStep(9);
                    List<WorkerStep> steps = step.workerSteps(workers);
                    Dataset data = data(inTurn);
                    for (int t = 0; t < 40; t++) {
                        load(step, data, t, 0, 9);
                        steps.forEach(worker -> worker.forwardInputs(9));
                        steps.forEach(worker -> worker.computeDeltas(9));
                        steps.forEach(worker -> worker.computeGradientShare(9));
                        for (int k = 0; k < workers; k++) {
                            step.applyGradients(0.01, k, workers);
                        }
                        step.completeUpdate();
                    }
                    TrainingStep shared = onThreads.newTrainingStep(9);
                    List<WorkerStep> threaded = shared.workerSteps(workers);
                    TestBarrier barrier = new TestBarrier(workers);
                    int n = workers;
                    runWorkers(workers, k -> {
                        WorkerStep worker = threaded.get(k);
                        for (int t = 0; t < 40; t++) {
                            load(shared, data, t, WorkerStep.firstSlot(9, k, n), WorkerStep.firstSlot(9, k + 1, n));
                            barrier.await();
                            worker.forwardInputs(9);
                            barrier.await();
                            worker.computeDeltas(9);
                            barrier.await();
                            worker.computeGradientShare(9);
                            barrier.await();
                            shared.applyGradients(0.01, k, n);
                            barrier.await();
                            if (k == 0) {
                                shared.completeUpdate();
                            }
                            barrier.await();
                        }
                    });
                    String what = name + ", " + workers + " workers";
                    assertArrayEquals(inTurn.parameters(), onThreads.parameters(), what);
                    assertArrayEquals(inTurn.optimizerState(), onThreads.optimizerState(), what);
                }
            }
        }
    }

    /** Loads rows {@code 9 t + s} (wrapping around the data) into slots {@code from <= s < to}. */
    private static void load(TrainingStep step, Dataset data, int t, int from, int to) {
        for (int s = from; s < to; s++) {
            int row = (9 * t + s) % data.size();
            step.load(s, data.features(row), 0, data.targets(row), 0);
        }
    }

    /**
     * The trainer splits every batch by inputs, the last and smaller one too, even when it has
     * fewer rows than there are threads (90 rows in batches of 4: the last has 2, for 3 threads),
     * and counts one update per batch.
     */
    @Test
    void theTrainerSplitsEveryBatchTheLastOneToo() {
        for (Object[] topology : TOPOLOGIES) {
            FailingWorker net = new FailingWorker(network(name(topology, "ADAM", "VECTOR")), -1, 0);
            Trainer trainer = Trainer.of(net).learningRate(0.01).batchSize(4).epochs(2).seed(3L).threads(3);
            ThreadedTrainingTest.shareEveryStep(trainer);
            TrainingResult result = trainer.fit(data(net));
            String what = String.valueOf(topology[0]);
            assertEquals(2 * 23 * 3, net.deltas.get(), what + ": every worker's deltas, every batch");
            assertEquals(2 * 23, (long) net.optimizerState()[0], what + ": one Adam step per batch");
            for (double loss : result.trainLoss()) {
                assertTrue(Double.isFinite(loss), what + ": " + loss);
            }
        }
    }

    /** The portable path's workers allocate nothing per step once warmed up, on any thread. */
    @Test
    void workersAllocateNothingAfterWarmUp() throws InterruptedException {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (Object[] topology : TOPOLOGIES) {
            String name = name(topology, "ADAM", "PORTABLE");
            Model net = network(name);
            TrainingStep step = loaded(net, 9);
            int workers = 2;
            List<WorkerStep> steps = step.workerSteps(workers);
            long[] allocated = new long[workers];
            TestBarrier barrier = new TestBarrier(workers);
            runWorkers(workers, k -> {
                long id = Thread.currentThread().getId();
                WorkerStep worker = steps.get(k);
                for (int window = 0; window < 4; window++) {
                    long before = mx.getThreadAllocatedBytes(id);
                    for (int i = 0; i < 2_000; i++) {
                        worker.forwardInputs(9);
                        barrier.await();
                        worker.computeDeltas(9);
                        barrier.await();
                        worker.computeGradientShare(9);
                        barrier.await();
                        step.scaleGradients(0.999, k, workers);
                        step.applyGradients(1e-6, k, workers);
                        barrier.await();
                        if (k == 0) {
                            step.completeUpdate();
                        }
                    }
                    // the first window warms up; a one-off event of the JVM shows in one window only
                    allocated[k] = window == 0 ? Long.MAX_VALUE
                            : Math.min(allocated[k], mx.getThreadAllocatedBytes(id) - before);
                }
            });
            assertArrayEquals(new long[workers], allocated, name + ": bytes allocated per window of 2000 steps");
        }
    }

    /** A failure on any worker fails the fit, with its message, and leaves no worker waiting at a barrier. */
    @Test
    void aFailingWorkerFailsTheFit() {
        for (int failing = 0; failing < 2; failing++) {
            Model net = new FailingWorker(network(name(TOPOLOGIES[1], "SGD", "VECTOR")), failing, 5);
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> assertTimeoutPreemptively(Duration.ofSeconds(30), () -> fit(net, 2, 0)));
            assertTrue(String.valueOf(e.getMessage()).contains("scripted failure")
                    || String.valueOf(e.getCause()).contains("scripted failure"), String.valueOf(e));
        }
    }

    /** What worker {@code k} of a test's threads does. */
    @FunctionalInterface
    interface Share {
        void run(int worker) throws Exception;
    }

    /** Runs worker 0 on this thread and the others on new threads; rethrows a failure. */
    static void runWorkers(int workers, Share share) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] threads = new Thread[workers];
        for (int k = 1; k < workers; k++) {
            int worker = k;
            threads[k] = new Thread(() -> {
                try {
                    share.run(worker);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            });
            threads[k].start();
        }
        try {
            share.run(0);
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
        for (int k = 1; k < workers; k++) {
            threads[k].join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    /** A sense-reversing spin barrier that allocates nothing. */
    static final class TestBarrier {
        private final int parties;
        private final AtomicInteger arrived = new AtomicInteger();
        private volatile int round;

        TestBarrier(int parties) {
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

    /**
     * A generated network whose workers count their computeDeltas calls in {@code deltas}, and whose
     * worker {@code failing} (-1: none) throws in its {@code calls}-th.
     */
    static final class FailingWorker extends ThreadedTrainingTest.Delegating {
        private final int failing;
        private final int calls;
        final AtomicInteger deltas = new AtomicInteger();

        FailingWorker(Model net, int failing, int calls) {
            super(net);
            this.failing = failing;
            this.calls = calls;
        }

        @Override
        public TrainingStep newTrainingStep(int maxBatchSize) {
            TrainingStep step = model().newTrainingStep(maxBatchSize);
            AtomicInteger count = new AtomicInteger();
            return new ThreadedTrainingTest.DelegatingStep(step) {
                @Override
                public List<WorkerStep> workerSteps(int workers) {
                    List<WorkerStep> steps = new ArrayList<>();
                    for (WorkerStep worker : step.workerSteps(workers)) {
                        steps.add(new WorkerStep() {
                            @Override
                            public int worker() {
                                return worker.worker();
                            }

                            @Override
                            public int workers() {
                                return worker.workers();
                            }

                            @Override
                            public void forwardInputs(int batchSize) {
                                worker.forwardInputs(batchSize);
                            }

                            @Override
                            public double computeDeltas(int batchSize) {
                                deltas.incrementAndGet();
                                if (worker.worker() == failing && count.incrementAndGet() == calls) {
                                    throw new IllegalStateException("scripted failure of worker " + failing);
                                }
                                return worker.computeDeltas(batchSize);
                            }

                            @Override
                            public double computeGradientShare(int batchSize) {
                                return worker.computeGradientShare(batchSize);
                            }
                        });
                    }
                    return steps;
                }

                @Override
                public double combineGradients(TrainingStep[] parts, double[] factors, int slice, int slices) {
                    return step.combineGradients(parts, factors, slice, slices);
                }

                @Override
                public void scaleGradients(double factor, int slice, int slices) {
                    step.scaleGradients(factor, slice, slices);
                }

                @Override
                public void applyGradients(double learningRate, int slice, int slices) {
                    step.applyGradients(learningRate, slice, slices);
                }

                @Override
                public void completeUpdate() {
                    step.completeUpdate();
                }
            };
        }
    }
}
