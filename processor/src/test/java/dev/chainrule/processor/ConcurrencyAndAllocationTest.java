package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainrule.Activation;
import dev.chainrule.Loss;
import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Prediction from many threads at once gives exactly the single-thread results; a portable
 * training step and a prediction allocate nothing once warmed up.
 */
class ConcurrencyAndAllocationTest {

    static CompiledNetworks compiled;

    static final String[] NETWORKS = {"Tiny", "Mid", "MidDouble", "Wide", "Newer", "Adam", "Rprop", "Dropout"};

    @BeforeAll
    static void compile() {
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("alloc.Tiny", Specs.source("alloc", "Tiny", Loss.MEAN_SQUARED_ERROR, Precision.FLOAT, 2,
                new int[] {4, 1}, new Activation[] {Activation.SIGMOID, Activation.SIGMOID}));
        sources.put("alloc.Mid", Specs.source("alloc", "Mid", Loss.CATEGORICAL_CROSS_ENTROPY, Precision.FLOAT, 20,
                new int[] {64, 10}, new Activation[] {Activation.RELU, Activation.SOFTMAX}));
        sources.put("alloc.MidDouble", Specs.source("alloc", "MidDouble", Loss.BINARY_CROSS_ENTROPY,
                Precision.DOUBLE, 20, new int[] {33, 17, 3},
                new Activation[] {Activation.TANH, Activation.LEAKY_RELU, Activation.SIGMOID}));
        sources.put("alloc.Wide", Specs.source("alloc", "Wide", Loss.CATEGORICAL_CROSS_ENTROPY, Precision.FLOAT, 200,
                new int[] {96, 10}, new Activation[] {Activation.RELU, Activation.SOFTMAX}));
        sources.put("alloc.Newer", Specs.source("alloc", "Newer", Loss.MEAN_SQUARED_ERROR, Precision.FLOAT, 12,
                new int[] {24, 9, 3}, new Activation[] {Activation.GELU, Activation.SILU, Activation.ELU}));
        for (String optimizer : new String[] {"Adam", "Rprop"}) {
            sources.put("alloc." + optimizer, Specs.source("alloc", optimizer, "loss = Loss.CATEGORICAL_CROSS_ENTROPY,"
                    + " optimizer = Optimizer." + optimizer.toUpperCase(java.util.Locale.ROOT), 20,
                    List.of("units = 64, activation = Activation.RELU", "units = 10, activation = Activation.SOFTMAX")));
        }
        sources.put("alloc.Dropout", Specs.source("alloc", "Dropout", "loss = Loss.CATEGORICAL_CROSS_ENTROPY", 20,
                List.of("units = 64, activation = Activation.RELU, dropout = 0.3",
                        "units = 9, activation = Activation.TANH, dropout = 0.2",
                        "units = 10, activation = Activation.SOFTMAX")));
        compiled = CompiledNetworks.compile(sources);
    }

    @Test
    void predictionFromEightThreadsMatchesOneThread() throws Exception {
        for (String name : NETWORKS) {
            Model net = compiled.newNetwork("alloc." + name + "Network", 3L);
            SplittableRandom random = new SplittableRandom(17L);
            double[][] inputs = new double[500][net.inputSize()];
            for (double[] row : inputs) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = random.nextDouble(-2, 2);
                }
            }
            double[][] expected = new double[inputs.length][];
            for (int r = 0; r < inputs.length; r++) {
                expected[r] = net.predict(inputs[r]);
            }
            int threads = 8;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    final int offset = t * 61;
                    results.add(pool.submit(() -> {
                        start.await();
                        double[] out = new double[net.outputSize()];
                        int checked = 0;
                        for (int round = 0; round < 5; round++) {
                            for (int k = 0; k < inputs.length; k++) {
                                int r = (k + offset + round * 7) % inputs.length;
                                net.predictInto(inputs[r], out);
                                assertArrayEquals(expected[r], out, name + " row " + r);
                                checked++;
                            }
                        }
                        return checked;
                    }));
                }
                start.countDown();
                for (Future<Integer> result : results) {
                    assertEquals(5 * inputs.length, result.get());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void trainingStepAndPredictionAllocateNothingAfterWarmUp() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (String name : NETWORKS) {
            Model net = compiled.newNetwork("alloc." + name + "Network", 5L);
            int batch = 7;
            SplittableRandom random = new SplittableRandom(1L);
            double[] x = new double[net.inputSize() * batch];
            double[] y = new double[net.outputSize() * batch];
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextDouble();
            }
            for (int s = 0; s < batch; s++) {
                y[s * net.outputSize() + random.nextInt(net.outputSize())] = 1;
            }
            TrainingStep step = net.newTrainingStep(batch);
            double[] in = new double[net.inputSize()];
            double[] out = new double[net.outputSize()];
            long[] seed = {0};
            Runnable work = () -> {
                step.setDropout(true, seed[0]++); // as the trainer does before every batch
                for (int s = 0; s < batch; s++) {
                    step.load(s, x, s * net.inputSize(), y, s * net.outputSize());
                }
                step.computeGradients(batch);
                step.applyGradients(1e-3);
                net.predictInto(in, out);
            };
            for (int i = 0; i < 5_000; i++) {
                work.run();
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            long calibration = threads.getCurrentThreadAllocatedBytes() - before;
            before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 2_000; i++) {
                work.run();
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before - calibration;
            assertEquals(0, allocated, name + ": bytes allocated by 2000 training steps and predictions");
        }
    }

    /** What the threads of Trainer.threads(n) call on worker 0's step: combining and updating slice by slice. */
    @Test
    void slicedCombiningAndUpdatingAllocateNothingAfterWarmUp() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (String name : NETWORKS) {
            Model net = compiled.newNetwork("alloc." + name + "Network", 5L);
            TrainingStep[] parts = {net.newTrainingStep(2), net.newTrainingStep(2), net.newTrainingStep(2)};
            double[] factors = {0.5, 0.5, 0.0};
            double[] x = new double[net.inputSize()];
            double[] y = new double[net.outputSize()];
            for (TrainingStep part : parts) {
                part.load(0, x, 0, y, 0);
                part.load(1, x, 0, y, 0);
                part.computeGradients(2);
            }
            Runnable work = () -> {
                for (int s = 0; s < 3; s++) {
                    parts[0].combineGradients(parts, factors, s, 3);
                    parts[0].scaleGradients(0.5, s, 3);
                    parts[0].applyGradients(1e-6, s, 3);
                }
                parts[0].completeUpdate();
            };
            for (int i = 0; i < 5_000; i++) {
                work.run();
            }
            // An allocation per call shows in every window; a one-off event of the JVM (seen once in a
            // loaded full build: 152 bytes in one window) does not, so one clean window of three suffices.
            long allocated = Long.MAX_VALUE;
            for (int window = 0; window < 3 && allocated != 0; window++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                long calibration = threads.getCurrentThreadAllocatedBytes() - before;
                before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 2_000; i++) {
                    work.run();
                }
                allocated = threads.getCurrentThreadAllocatedBytes() - before - calibration;
            }
            assertEquals(0, allocated, name + ": bytes allocated by 2000 sliced combinations and updates");
        }
    }
}
