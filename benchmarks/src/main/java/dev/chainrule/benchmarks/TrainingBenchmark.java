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
 * it. Samples per second = batch / (seconds per operation).
 *
 * <p>{@code variant}: {@code float-vector} and {@code double-vector} run the Vector API kernels
 * (the fork gets {@code --add-modules jdk.incubator.vector}), {@code float-portable} and
 * {@code double-portable} the portable ones of the same build ({@code -Dchainrule.portable=true}),
 * {@code plain-loops} the hand-written baseline in {@link PlainLoopsMlp}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-modules=jdk.incubator.vector"})
@State(Scope.Thread)
public class TrainingBenchmark {

    @Param({"xor-b4", "iris-b16", "iris-b1", "digits-b32", "mnist-b64", "mnist-b1", "deep-b128"})
    public String task;

    @Param({"float-vector", "float-portable", "double-vector", "double-portable", "plain-loops"})
    public String variant;

    private Model net;
    private TrainingStep step;
    private PlainLoopsMlp plain;
    private Dataset data;
    private double[][] xs;
    private double[][] ys;
    private Precision precision;
    private int batch;
    private int cursor;
    private double learningRate;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = task.split("-b");
        batch = Integer.parseInt(parts[1]);
        precision = variant.startsWith("double") ? Precision.DOUBLE : Precision.FLOAT;
        // Read once, when the network class initialises: this fork's choice of kernels.
        System.setProperty("chainrule.portable", Boolean.toString(variant.endsWith("portable")));
        net = Tasks.network(parts[0], precision, 11L);
        learningRate = Tasks.learningRate(parts[0], batch);
        data = syntheticData(net, Math.max(1024, batch * 16), 7L);
        data.prepare(precision);
        if (variant.equals("plain-loops")) {
            plain = new PlainLoopsMlp(net, parts[0].equals("xor"));
            xs = new double[data.size()][];
            ys = new double[data.size()][];
            for (int r = 0; r < data.size(); r++) {
                xs[r] = data.features(r);
                ys[r] = data.targets(r);
            }
        } else {
            step = net.newTrainingStep(batch);
        }
    }

    @Benchmark
    public double trainStep() {
        if (cursor + batch > data.size()) {
            cursor = 0;
        }
        int from = cursor;
        cursor += batch;
        if (plain != null) {
            plain.step(xs, ys, from, batch, learningRate);
            return 0;
        }
        for (int s = 0; s < batch; s++) {
            data.loadInto(step, s, from + s, precision);
        }
        double loss = step.computeGradients(batch);
        step.applyGradients(learningRate);
        return loss;
    }

    /** Inputs in [0, 1) and one-hot targets. */
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
}
