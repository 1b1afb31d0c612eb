package dev.chainrule.benchmarks;

import dev.chainrule.Model;
import dev.chainrule.data.Dataset;
import dev.chainrule.train.Trainer;
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
 * One epoch of {@code Trainer.fit} over 4096 synthetic samples, with {@code threads} threads
 * sharing each batch: what {@link Trainer#threads(int)} gains. Samples per second =
 * 4096 / (seconds per operation).
 *
 * <p>The warm-up is long because the Vector API kernels' own warm-up thread competes with two
 * training threads for a two-CPU machine: it took 4 s and more there, and a shorter benchmark
 * warm-up measured two threads partly on the portable kernels.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-modules=jdk.incubator.vector"})
@State(Scope.Thread)
public class EpochBenchmark {

    static final int SAMPLES = 4096;

    @Param({"mnist-b64", "deep-b128"})
    public String task;

    @Param({"1", "2"})
    public int threads;

    private Trainer trainer;
    private Dataset data;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = task.split("-b");
        Model net = Tasks.network(parts[0], dev.chainrule.Precision.FLOAT, 11L);
        data = TrainingBenchmark.syntheticData(net, SAMPLES, 7L);
        trainer = Trainer.of(net).learningRate(0.01).batchSize(Integer.parseInt(parts[1])).epochs(1).threads(threads);
    }

    @Benchmark
    public double epoch() {
        return trainer.fit(data).finalLoss();
    }
}
