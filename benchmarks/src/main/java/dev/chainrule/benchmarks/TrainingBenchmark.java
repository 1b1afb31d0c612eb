package dev.chainrule.benchmarks;

import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import dev.chainrule.data.Dataset;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Training throughput: one operation is one training step (load a batch, forward, loss,
 * backward, SGD update) on consecutive mini-batches of a synthetic data set, as the trainer runs
 * it. Samples per second = batch / (seconds per operation); run with {@code -p task=...}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class TrainingBenchmark {

    @Param({"xor-b4", "iris-b16", "iris-b1", "digits-b32", "mnist-b64", "mnist-b1", "deep-b128"})
    public String task;

    private Model net;
    private TrainingStep step;
    private Dataset data;
    private int batch;
    private int cursor;
    private double learningRate;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = task.split("-b");
        batch = Integer.parseInt(parts[1]);
        net = switch (parts[0]) {
            case "xor" -> new Tasks_XorNetwork(11L);
            case "iris" -> new Tasks_IrisLikeNetwork(22L);
            case "digits" -> new Tasks_DigitsLikeNetwork(33L);
            case "mnist" -> new Tasks_MnistSizeNetwork(44L);
            case "mnistd" -> new Tasks_MnistSizeDoubleNetwork(44L);
            case "deep" -> new Tasks_DeepNetwork(55L);
            default -> throw new IllegalArgumentException(task);
        };
        learningRate = parts[0].equals("xor") ? 2.0 : 0.01;
        data = syntheticData(net, Math.max(1024, batch * 16), 7L);
        data.prepare(net.precision());
        step = net.newTrainingStep(batch);
    }

    @Benchmark
    public double trainStep() {
        if (cursor + batch > data.size()) {
            cursor = 0;
        }
        for (int s = 0; s < batch; s++) {
            data.loadInto(step, s, cursor + s, net.precision());
        }
        cursor += batch;
        double loss = step.computeGradients(batch);
        step.applyGradients(learningRate);
        return loss;
    }

    /** Inputs in [0, 1) and one-hot (or, for one output, 0/1) targets. */
    static Dataset syntheticData(Model net, int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] x = new double[rows][net.inputSize()];
        double[][] y = new double[rows][net.outputSize()];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < x[r].length; i++) {
                x[r][i] = random.nextDouble();
            }
            y[r][random.nextInt(y[r].length)] = 1.0;
        }
        return Dataset.of(x, y);
    }

    static boolean isFloat(Model net) {
        return net.precision() == Precision.FLOAT;
    }
}
