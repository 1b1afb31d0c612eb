package dev.chainrule.testing;

import dev.chainrule.Layer;
import dev.chainrule.Loss;
import dev.chainrule.Model;
import dev.chainrule.Optimizer;
import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import dev.chainrule.UpdateSettings;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link TinyMlp} trained with heavy-ball momentum ({@link Optimizer#MOMENTUM}): a model whose
 * update rule keeps a state, for the runtime's checkpoint and settings tests. Plain loops, in
 * double (FLOAT rounding as TinyMlp rounds).
 */
public final class MomentumMlp implements Model {

    private final TinyMlp inner;
    private final double[] velocity;
    private long steps;
    /** The settings of every step's last {@code setUpdateSettings}, for tests to inspect. */
    public UpdateSettings lastSettings;

    public MomentumMlp(TinyMlp inner) {
        this.inner = inner;
        this.velocity = new double[inner.parameterCount()];
    }

    @Override
    public Optimizer optimizer() {
        return Optimizer.MOMENTUM;
    }

    @Override
    public double[] optimizerState() {
        double[] state = new double[1 + velocity.length];
        state[0] = steps;
        System.arraycopy(velocity, 0, state, 1, velocity.length);
        return state;
    }

    @Override
    public void setOptimizerState(double[] state) {
        if (state.length != 1 + velocity.length) {
            throw new IllegalArgumentException("optimizer state has " + state.length + " values");
        }
        steps = (long) state[0];
        System.arraycopy(state, 1, velocity, 0, velocity.length);
    }

    @Override
    public void resetOptimizerState() {
        steps = 0;
        Arrays.fill(velocity, 0.0);
    }

    @Override
    public int inputSize() {
        return inner.inputSize();
    }

    @Override
    public int outputSize() {
        return inner.outputSize();
    }

    @Override
    public int parameterCount() {
        return inner.parameterCount();
    }

    @Override
    public Precision precision() {
        return inner.precision();
    }

    @Override
    public Loss loss() {
        return inner.loss();
    }

    @Override
    public List<Layer> layers() {
        return inner.layers();
    }

    @Override
    public void predictInto(double[] input, double[] output) {
        inner.predictInto(input, output);
    }

    @Override
    public double[] parameters() {
        return inner.parameters();
    }

    @Override
    public void setParameters(double[] parameters) {
        inner.setParameters(parameters);
    }

    @Override
    public MomentumMlp copy() {
        MomentumMlp copy = new MomentumMlp(inner.copy());
        copy.setOptimizerState(optimizerState());
        return copy;
    }

    @Override
    public TrainingStep newTrainingStep(int maxBatchSize) {
        TrainingStep step = inner.newTrainingStep(maxBatchSize);
        return new TrainingStep() {
            private UpdateSettings settings = UpdateSettings.defaults(Optimizer.MOMENTUM);

            @Override
            public int maxBatchSize() {
                return step.maxBatchSize();
            }

            @Override
            public void load(int slot, float[] f, int fo, float[] t, int to) {
                step.load(slot, f, fo, t, to);
            }

            @Override
            public void load(int slot, double[] f, int fo, double[] t, int to) {
                step.load(slot, f, fo, t, to);
            }

            @Override
            public void loadInput(int slot, double[] f, int fo) {
                step.loadInput(slot, f, fo);
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
                double[] g = new double[velocity.length];
                step.gradients(g);
                double[] theta = inner.parameters();
                for (int k = 0; k < theta.length; k++) {
                    velocity[k] = settings.momentum() * velocity[k] + g[k] + settings.weightDecay() * theta[k];
                    theta[k] -= learningRate * velocity[k];
                }
                steps++;
                inner.setParameters(theta);
            }

            @Override
            public void setUpdateSettings(UpdateSettings s) {
                settings = s;
                lastSettings = s;
            }

            @Override
            public void setDropout(boolean enabled, long seed) {
                step.setDropout(enabled, seed);
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
                throw new UnsupportedOperationException("one thread only");
            }

            @Override
            public void gradients(double[] out) {
                step.gradients(out);
            }

            @Override
            public void output(int slot, double[] out) {
                step.output(slot, out);
            }
        };
    }
}
