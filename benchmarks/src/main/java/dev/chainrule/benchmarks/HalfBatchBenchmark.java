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
 * The ceiling of splitting a batch between threads on this machine: the gradient of a whole
 * batch on one thread against the gradient of half a batch, on as many threads as JMH runs
 * ({@code -t}), each thread with its own network and step, so that nothing is shared and nothing
 * is combined. One operation is {@code computeGradients} on batch rows loaded once. Run
 * {@code -t 1 -p part=whole} and {@code -t 2 -p part=half}: the first time over the second is the
 * most that {@code Trainer.threads(2)} can gain on the gradient before combining and updating
 * cost anything; where it is well below 2, the cores slow each other down (shared cache and
 * memory bandwidth).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--add-modules=jdk.incubator.vector"})
@State(Scope.Thread)
public class HalfBatchBenchmark {

    @Param({"mnist-b64", "deep-b128"})
    public String task;

    @Param({"whole", "half"})
    public String part;

    private TrainingStep step;
    private int rows;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = task.split("-b");
        int batch = Integer.parseInt(parts[1]);
        rows = part.equals("half") ? batch / 2 : batch;
        Model net = Tasks.network(parts[0], Precision.FLOAT, 11L);
        Dataset data = TrainingBenchmark.syntheticData(net, batch, 7L);
        data.prepare(Precision.FLOAT);
        step = net.newTrainingStep(rows);
        for (int slot = 0; slot < rows; slot++) {
            data.loadInto(step, slot, slot, Precision.FLOAT);
        }
    }

    @Benchmark
    public double gradient() {
        return step.computeGradients(rows);
    }
}
