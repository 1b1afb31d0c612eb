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
 * Unrolled against tiled kernels for small layers (32 to 128 weights each), at batch 1 and 16:
 * the measurement behind the planner's unroll threshold. One operation is one training step.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class UnrollBenchmark {

    @Param({"2-4-1", "4-16-3", "8-8-8-8", "16-8-16-8"})
    public String task;

    @Param({"unrolled", "tiled"})
    public String variant;

    @Param({"1", "16"})
    public int batch;

    private TrainingStep step;
    private Dataset data;
    private int cursor;

    @Setup(Level.Trial)
    public void setUp() {
        Model net = UnrollSpecs.network(task, variant);
        data = TrainingBenchmark.syntheticData(net, 1024, 5L);
        data.prepare(Precision.FLOAT);
        step = net.newTrainingStep(batch);
    }

    @Benchmark
    public double trainStep() {
        if (cursor + batch > data.size()) {
            cursor = 0;
        }
        for (int s = 0; s < batch; s++) {
            data.loadInto(step, s, cursor + s, Precision.FLOAT);
        }
        cursor += batch;
        double loss = step.computeGradients(batch);
        step.applyGradients(0.01);
        return loss;
    }
}
