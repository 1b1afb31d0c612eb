package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chainrule.Layer;
import dev.chainrule.Loss;
import dev.chainrule.Model;
import dev.chainrule.Optimizer;
import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import dev.chainrule.UpdateSettings;
import dev.chainrule.data.Dataset;
import dev.chainrule.train.Trainer;
import dev.chainrule.train.TrainingResult;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code Trainer.threads(n)} on generated networks, whose workers combine and update one slice of
 * the parameters each: the same thread count repeats bit for bit (with Adam, dropout, weight decay
 * and clipping), and without clipping the result is bit for bit that of worker 0 combining and
 * updating alone, as the trainer did before slices (and still does for steps without them).
 */
class ThreadedTrainingTest {

    static CompiledNetworks compiled;

    /**
     * 12 -> 24 tanh (dropout) -> 18 relu -> 4 linear: tiled layers with Vector API kernels where
     * they are wide enough, a transposed weight copy, an unrolled output layer.
     */
    @BeforeAll
    static void compile() {
        Map<String, String> sources = new LinkedHashMap<>();
        List<String> layers = List.of("units = 24, activation = Activation.TANH, dropout = 0.2",
                "units = 18, activation = Activation.RELU", "units = 4");
        sources.put("threads.AdamF", Specs.source("threads", "AdamF",
                "loss = Loss.MEAN_SQUARED_ERROR, precision = Precision.FLOAT, optimizer = Optimizer.ADAM", 12, layers));
        sources.put("threads.RpropD", Specs.source("threads", "RpropD",
                "loss = Loss.MEAN_SQUARED_ERROR, precision = Precision.DOUBLE, optimizer = Optimizer.RPROP", 12, layers));
        compiled = CompiledNetworks.compileWithVectorApi(sources);
    }

    static Model network(String name) {
        return compiled.newNetwork("threads." + name + "Network", 7L);
    }

    static Dataset data() {
        SplittableRandom random = new SplittableRandom(4L);
        double[][] x = new double[150][12];
        double[][] y = new double[150][4];
        for (int r = 0; r < x.length; r++) {
            for (int i = 0; i < 12; i++) {
                x[r][i] = random.nextDouble(-1, 1);
            }
            for (int j = 0; j < 4; j++) {
                y[r][j] = Math.sin(x[r][j] + x[r][j + 4]) * x[r][j + 8];
            }
        }
        return Dataset.of(x, y);
    }

    /** Three epochs in batches of 16 (the last of 6 rows) on {@code threads} threads, shared however small. */
    static TrainingResult fit(Model net, int threads, double maxNorm) {
        Trainer trainer = Trainer.of(net).learningRate(0.01).batchSize(16).epochs(3).seed(3L).threads(threads)
                .weightDecay(1e-3);
        if (maxNorm > 0) {
            trainer.clipGradientNorm(maxNorm);
        }
        shareEveryStep(trainer);
        return trainer.fit(data());
    }

    /** Trainer.shareEveryStep() is package-private, for the runtime's tests; these networks are too small to share otherwise. */
    static void shareEveryStep(Trainer trainer) {
        try {
            Method method = Trainer.class.getDeclaredMethod("shareEveryStep");
            method.setAccessible(true);
            method.invoke(trainer);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theSameThreadCountRepeatsBitForBit() {
        for (String name : new String[] {"AdamF", "RpropD"}) {
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
                    assertEquals(3 * 10, (long) first.optimizerState()[0], what + ": one step per batch");
                }
            }
        }
    }

    @Test
    void slicesGiveTheBitsOfCombiningAndUpdatingOnOneThread() {
        for (String name : new String[] {"AdamF", "RpropD"}) {
            for (int threads : new int[] {2, 3}) {
                String what = name + ", " + threads + " threads";
                Model sliced = network(name);
                SerialOnly serial = new SerialOnly(network(name));
                TrainingResult a = fit(sliced, threads, 0);
                TrainingResult b = fit(serial, threads, 0);
                assertArrayEquals(serial.parameters(), sliced.parameters(), what);
                assertArrayEquals(serial.optimizerState(), sliced.optimizerState(), what);
                assertArrayEquals(b.trainLoss(), a.trainLoss(), what);
            }
        }
    }

    /** With clipping the norm is summed slice by slice, so the clipping factor may differ in its last bits. */
    @Test
    void clippedSlicesAgreeWithOneThreadUpToRounding() {
        for (int threads : new int[] {2, 3}) {
            Model sliced = network("RpropD");
            SerialOnly serial = new SerialOnly(network("RpropD"));
            Model unclipped = network("RpropD");
            fit(sliced, threads, 0.05);
            fit(serial, threads, 0.05);
            fit(unclipped, threads, 0);
            double[] expected = serial.parameters();
            double[] actual = sliced.parameters();
            for (int k = 0; k < expected.length; k++) {
                if (!(Math.abs(expected[k] - actual[k]) <= 1e-9 * Math.max(1, Math.abs(expected[k])))) {
                    fail(threads + " threads, parameter " + k + ": expected " + expected[k] + ", got " + actual[k]);
                }
            }
            assertFalse(Arrays.equals(unclipped.parameters(), actual), "the bound clips");
        }
    }

    /**
     * A generated network whose training steps hide the sliced methods (they inherit
     * {@link TrainingStep}'s defaults), so that the trainer combines and updates on worker 0 alone.
     */
    static final class SerialOnly extends Delegating {

        SerialOnly(Model net) {
            super(net);
        }

        @Override
        public Model copy() {
            return new SerialOnly(model().copy());
        }
    }

    /**
     * A generated network behind a {@link Model} written by hand, whose steps are
     * {@link DelegatingStep}s: they offer only the methods {@link TrainingStep} requires, and
     * inherit the defaults of the others, unless a subclass overrides them.
     */
    static class Delegating implements Model {
        private final Model net;

        Delegating(Model net) {
            this.net = net;
        }

        Model model() {
            return net;
        }

        @Override
        public int inputSize() {
            return net.inputSize();
        }

        @Override
        public int outputSize() {
            return net.outputSize();
        }

        @Override
        public int parameterCount() {
            return net.parameterCount();
        }

        @Override
        public Precision precision() {
            return net.precision();
        }

        @Override
        public Loss loss() {
            return net.loss();
        }

        @Override
        public List<Layer> layers() {
            return net.layers();
        }

        @Override
        public void predictInto(double[] input, double[] output) {
            net.predictInto(input, output);
        }

        @Override
        public Optimizer optimizer() {
            return net.optimizer();
        }

        @Override
        public double[] optimizerState() {
            return net.optimizerState();
        }

        @Override
        public void setOptimizerState(double[] state) {
            net.setOptimizerState(state);
        }

        @Override
        public void resetOptimizerState() {
            net.resetOptimizerState();
        }

        @Override
        public double[] parameters() {
            return net.parameters();
        }

        @Override
        public void setParameters(double[] parameters) {
            net.setParameters(parameters);
        }

        @Override
        public Model copy() {
            return new Delegating(net.copy());
        }

        @Override
        public boolean vectorKernels() {
            return net.vectorKernels();
        }

        @Override
        public TrainingStep newTrainingStep(int maxBatchSize) {
            return new DelegatingStep(net.newTrainingStep(maxBatchSize));
        }
    }

    /** A generated step behind the methods {@link TrainingStep} requires; the others keep their defaults. */
    static class DelegatingStep implements TrainingStep {
        private final TrainingStep step;

        DelegatingStep(TrainingStep step) {
            this.step = step;
        }

        @Override
        public int maxBatchSize() {
            return step.maxBatchSize();
        }

        @Override
        public void load(int slot, float[] features, int featureOffset, float[] targets, int targetOffset) {
            step.load(slot, features, featureOffset, targets, targetOffset);
        }

        @Override
        public void load(int slot, double[] features, int featureOffset, double[] targets, int targetOffset) {
            step.load(slot, features, featureOffset, targets, targetOffset);
        }

        @Override
        public void loadInput(int slot, double[] features, int featureOffset) {
            step.loadInput(slot, features, featureOffset);
        }

        @Override
        public void forward(int batchSize) {
            step.forward(batchSize);
        }

        @Override
        public double loss(int batchSize) {
            return step.loss(batchSize);
        }

        @Override
        public double computeGradients(int batchSize) {
            return step.computeGradients(batchSize);
        }

        @Override
        public void applyGradients(double learningRate) {
            step.applyGradients(learningRate);
        }

        @Override
        public void setUpdateSettings(UpdateSettings settings) {
            step.setUpdateSettings(settings);
        }

        @Override
        public void setDropout(boolean enabled, long seed) {
            step.setDropout(enabled, seed);
        }

        @Override
        public void setDropoutRate(double rate) {
            step.setDropoutRate(rate);
        }

        @Override
        public double gradientSquaredNorm() {
            return step.gradientSquaredNorm();
        }

        @Override
        public void scaleGradients(double factor) {
            step.scaleGradients(factor);
        }

        @Override
        public void addGradients(TrainingStep other, double factor) {
            step.addGradients(((DelegatingStep) other).step, factor);
        }

        @Override
        public void gradients(double[] out) {
            step.gradients(out);
        }

        @Override
        public void setGradients(double[] gradient) {
            step.setGradients(gradient);
        }

        @Override
        public void output(int slot, double[] out) {
            step.output(slot, out);
        }
    }
}
