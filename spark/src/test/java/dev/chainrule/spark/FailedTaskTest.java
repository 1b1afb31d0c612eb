package dev.chainrule.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Layer;
import dev.chainrule.Loss;
import dev.chainrule.Model;
import dev.chainrule.Optimizer;
import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import dev.chainrule.UpdateSettings;
import dev.chainrule.data.Dataset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.junit.jupiter.api.Test;

/**
 * A task that fails is retried by Spark (here in {@code local[2,2]}, which allows one retry) and
 * the run ends exactly as a run without the failure: tasks change nothing but their own result,
 * so a failed attempt leaves no trace in the driver's parameters.
 */
class FailedTaskTest {

    /** How many tasks {@link FlakyIris} failed: one, when armed. */
    static final AtomicInteger FAILURES = new AtomicInteger();
    /** The number of gradient computations after which partition 1's first attempt fails, or -1. */
    static final AtomicInteger FAIL_AFTER = new AtomicInteger(-1);
    /** Gradient computations counted towards {@link #FAIL_AFTER}. */
    static final AtomicInteger COMPUTED = new AtomicInteger();

    @Test
    void aSynchronousStepWhoseTaskFailsOnceCompletesWithTheSameParameters() {
        Dataset train = TestData.irisScaled().train();
        IrisDoubleNetwork clean = new IrisDoubleNetwork(42L);
        train(SparkTrainer.of(clean), train);

        FlakyIris flaky = new FlakyIris();
        flaky.setParameters(new IrisDoubleNetwork(42L).parameters());
        FAILURES.set(0);
        COMPUTED.set(0);
        FAIL_AFTER.set(10); // in the middle of the first epoch, after the step has computed gradients
        try {
            train(SparkTrainer.of(flaky), train);
        } finally {
            FAIL_AFTER.set(-1);
        }
        assertEquals(1, FAILURES.get(), "the armed task should have failed exactly once");
        SynchronousStepsTest.assertExactly(clean.parameters(), flaky.parameters(), "parameters");
    }

    @Test
    void anAveragingRoundWhoseTaskFailsOnceCompletesWithTheSameParameters() {
        // Harder for averaging: the failed attempt had already taken local steps on the executor's
        // cached network (and its Adam state) before it threw.
        Dataset train = TestData.irisScaled().train();
        IrisDoubleNetwork clean = new IrisDoubleNetwork(42L);
        train(SparkTrainer.of(clean).parameterAveraging(3), train);

        FlakyIris flaky = new FlakyIris();
        flaky.setParameters(new IrisDoubleNetwork(42L).parameters());
        FAILURES.set(0);
        COMPUTED.set(0);
        FAIL_AFTER.set(5);
        try {
            train(SparkTrainer.of(flaky).parameterAveraging(3), train);
        } finally {
            FAIL_AFTER.set(-1);
        }
        assertEquals(1, FAILURES.get(), "the armed task should have failed exactly once");
        SynchronousStepsTest.assertExactly(clean.parameters(), flaky.parameters(), "parameters");
        assertTrue(SynchronousStepsTest.maxRelativeDifference(new IrisDoubleNetwork(42L).parameters(),
                clean.parameters()) > 1e-3, "training moved the parameters");
    }

    private static void train(SparkTrainer trainer, Dataset train) {
        trainer.learningRate(0.1).batchSize(16).epochs(3).seed(7L)
                .fit(LocalSpark.context().parallelize(TestData.samples(train), 2));
    }

    /**
     * The DOUBLE Iris network with a training step that throws in partition 1's first attempt of
     * a task once the armed count of gradient computations is reached. A {@link Model} written by
     * hand around a generated one, as executors rebuild it by class name: public, with a public
     * no-argument constructor.
     */
    public static final class FlakyIris implements Model {
        private final IrisDoubleNetwork net = new IrisDoubleNetwork();

        public FlakyIris() {}

        @Override public int inputSize() { return net.inputSize(); }
        @Override public int outputSize() { return net.outputSize(); }
        @Override public int parameterCount() { return net.parameterCount(); }
        @Override public Precision precision() { return net.precision(); }
        @Override public Loss loss() { return net.loss(); }
        @Override public List<Layer> layers() { return net.layers(); }
        @Override public void predictInto(double[] input, double[] output) { net.predictInto(input, output); }
        @Override public Optimizer optimizer() { return net.optimizer(); }
        @Override public double[] optimizerState() { return net.optimizerState(); }
        @Override public void setOptimizerState(double[] state) { net.setOptimizerState(state); }
        @Override public void resetOptimizerState() { net.resetOptimizerState(); }
        @Override public double[] parameters() { return net.parameters(); }
        @Override public void setParameters(double[] parameters) { net.setParameters(parameters); }

        @Override
        public Model copy() {
            FlakyIris copy = new FlakyIris();
            copy.setParameters(parameters());
            return copy;
        }

        @Override
        public TrainingStep newTrainingStep(int maxBatchSize) {
            return new FlakyStep(net.newTrainingStep(maxBatchSize));
        }

        private static final class FlakyStep implements TrainingStep {
            private final TrainingStep step;

            FlakyStep(TrainingStep step) {
                this.step = step;
            }

            @Override
            public double computeGradients(int batchSize) {
                double loss = step.computeGradients(batchSize);
                TaskContext task = TaskContext.get();
                int armed = FAIL_AFTER.get();
                if (armed >= 0 && task != null && task.partitionId() == 1 && task.attemptNumber() == 0
                        && COMPUTED.incrementAndGet() >= armed && FAILURES.compareAndSet(0, 1)) {
                    throw new IllegalStateException("scripted failure of partition 1, attempt 0 (stage "
                            + task.stageId() + ")");
                }
                return loss;
            }

            @Override public int maxBatchSize() { return step.maxBatchSize(); }
            @Override public void load(int slot, float[] f, int fo, float[] t, int to) { step.load(slot, f, fo, t, to); }
            @Override public void load(int slot, double[] f, int fo, double[] t, int to) { step.load(slot, f, fo, t, to); }
            @Override public void loadInput(int slot, double[] f, int fo) { step.loadInput(slot, f, fo); }
            @Override public void forward(int batchSize) { step.forward(batchSize); }
            @Override public double loss(int batchSize) { return step.loss(batchSize); }
            @Override public void applyGradients(double learningRate) { step.applyGradients(learningRate); }
            @Override public void setUpdateSettings(UpdateSettings settings) { step.setUpdateSettings(settings); }
            @Override public void setDropout(boolean enabled, long seed) { step.setDropout(enabled, seed); }
            @Override public double gradientSquaredNorm() { return step.gradientSquaredNorm(); }
            @Override public void scaleGradients(double factor) { step.scaleGradients(factor); }
            @Override public void gradients(double[] out) { step.gradients(out); }
            @Override public void setGradients(double[] gradient) { step.setGradients(gradient); }
            @Override public void output(int slot, double[] out) { step.output(slot, out); }

            @Override
            public void addGradients(TrainingStep other, double factor) {
                step.addGradients(other instanceof FlakyStep f ? f.step : other, factor);
            }
        }
    }
}
