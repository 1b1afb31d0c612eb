package dev.chainrule.benchmarks;

import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import dev.chainrule.data.Dataset;
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
 * Inference throughput: {@code batch-1} is one {@code predictInto} call (a service answering one
 * request), {@code batch-64} one forward pass over 64 loaded samples. Samples per second =
 * samples per operation / (seconds per operation).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-modules=jdk.incubator.vector"})
@State(Scope.Thread)
public class InferenceBenchmark {

    @Param({"xor", "iris", "digits", "mnist", "deep"})
    public String task;

    @Param({"float-vector", "float-portable"})
    public String variant;

    @Param({"1", "64"})
    public int batch;

    private Model net;
    private TrainingStep step;
    private double[] in;
    private double[] out;

    @Setup(Level.Trial)
    public void setUp() {
        Precision precision = variant.startsWith("double") ? Precision.DOUBLE : Precision.FLOAT;
        System.setProperty("chainrule.portable", Boolean.toString(variant.endsWith("portable")));
        net = Tasks.network(task, precision, 11L);
        Dataset data = TrainingBenchmark.syntheticData(net, 64, 3L);
        step = net.newTrainingStep(64);
        for (int s = 0; s < 64; s++) {
            data.loadInto(step, s, s, Precision.DOUBLE);
        }
        in = data.features(0);
        out = new double[net.outputSize()];
    }

    @Benchmark
    public double predict() {
        if (batch == 1) {
            net.predictInto(in, out);
            return out[0];
        }
        step.forward(batch);
        return 0;
    }
}
