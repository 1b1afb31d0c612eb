package dev.chainrule.testing;

import dev.chainrule.Layer;
import dev.chainrule.Loss;
import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A hand-written stand-in for a generated network: linear regression {@code y = W x + b} with
 * mean squared error, parameters in the public order ({@code W[out][in]} row-major, then
 * {@code b}). In FLOAT precision every stored value and every arithmetic result is rounded to
 * {@code float}, which is exactly float arithmetic (one rounding of an exact double result).
 */
public final class LinearModel implements Model {

    /** Deliberate mistakes in the backward pass, for the gradient check to catch. */
    public enum Bug {
        NONE,
        /** The bias gradient is half what it should be. */
        HALF_BIAS_GRADIENT
    }

    private final int in;
    private final int out;
    private final Precision precision;
    private final Bug bug;
    private final double[] params;

    /** How often the trainer used each {@link TrainingStep#load} overload. */
    public int floatLoads;
    public int doubleLoads;

    /** If non-negative, {@link TrainingStep#loss} throws after this many more calls. */
    public int lossCallsBeforeFailure = -1;

    /**
     * Whether new steps implement the sliced methods of {@link TrainingStep} (so that several
     * threads combine and update slices at once); without them a trainer combines and updates on
     * one thread. Default true.
     */
    public boolean slicing = true;

    /** If non-negative, the sliced {@link TrainingStep#applyGradients(double, int, int)} throws after this many more calls. */
    public int sliceUpdatesBeforeFailure = -1;

    /** How often {@link TrainingStep#completeUpdate()} was called: once per update applied in slices. */
    public int completedUpdates;

    /** How often the unsliced {@link TrainingStep#applyGradients(double)} was called. */
    public int wholeUpdates;

    public LinearModel(int in, int out, Precision precision, long seed) {
        this(in, out, precision, Bug.NONE, seed);
    }

    public LinearModel(int in, int out, Precision precision, Bug bug, long seed) {
        this.in = in;
        this.out = out;
        this.precision = precision;
        this.bug = bug;
        this.params = new double[out * in + out];
        SplittableRandom random = new SplittableRandom(seed);
        for (int k = 0; k < params.length; k++) {
            params[k] = r(random.nextDouble(-0.5, 0.5));
        }
    }

    private double r(double v) {
        return precision == Precision.FLOAT ? (float) v : v;
    }

    @Override
    public int inputSize() {
        return in;
    }

    @Override
    public int outputSize() {
        return out;
    }

    @Override
    public int parameterCount() {
        return params.length;
    }

    @Override
    public Precision precision() {
        return precision;
    }

    @Override
    public Loss loss() {
        return Loss.MEAN_SQUARED_ERROR;
    }

    @Override
    public List<Layer> layers() {
        return List.of();
    }

    @Override
    public void predictInto(double[] input, double[] output) {
        for (int o = 0; o < out; o++) {
            double s = params[out * in + o];
            for (int i = 0; i < in; i++) {
                s = r(s + r(params[o * in + i] * r(input[i])));
            }
            output[o] = s;
        }
    }

    @Override
    public double[] parameters() {
        return params.clone();
    }

    @Override
    public void setParameters(double[] values) {
        if (values.length != params.length) {
            throw new IllegalArgumentException("expected " + params.length + " parameters");
        }
        for (int k = 0; k < params.length; k++) {
            params[k] = r(values[k]);
        }
    }

    @Override
    public LinearModel copy() {
        LinearModel copy = new LinearModel(in, out, precision, bug, 0L);
        copy.setParameters(params);
        return copy;
    }

    @Override
    public TrainingStep newTrainingStep(int maxBatchSize) {
        return slicing ? new SlicedStep(maxBatchSize) : new Step(maxBatchSize);
    }

    private class Step implements TrainingStep {
        private final int max;
        private final double[] x;
        private final double[] y;
        private final double[] yhat;
        final double[] grad = new double[params.length];

        Step(int max) {
            this.max = max;
            x = new double[max * in];
            y = new double[max * out];
            yhat = new double[max * out];
        }

        @Override
        public int maxBatchSize() {
            return max;
        }

        @Override
        public void load(int slot, float[] features, int featureOffset, float[] targets, int targetOffset) {
            floatLoads++;
            for (int i = 0; i < in; i++) {
                x[slot * in + i] = r(features[featureOffset + i]);
            }
            for (int o = 0; o < out; o++) {
                y[slot * out + o] = r(targets[targetOffset + o]);
            }
        }

        @Override
        public void load(int slot, double[] features, int featureOffset, double[] targets, int targetOffset) {
            doubleLoads++;
            for (int i = 0; i < in; i++) {
                x[slot * in + i] = r(features[featureOffset + i]);
            }
            for (int o = 0; o < out; o++) {
                y[slot * out + o] = r(targets[targetOffset + o]);
            }
        }

        @Override
        public void loadInput(int slot, double[] features, int featureOffset) {
            for (int i = 0; i < in; i++) {
                x[slot * in + i] = r(features[featureOffset + i]);
            }
        }

        @Override
        public void forward(int batchSize) {
            check(batchSize);
            for (int s = 0; s < batchSize; s++) {
                for (int o = 0; o < out; o++) {
                    double sum = params[out * in + o];
                    for (int i = 0; i < in; i++) {
                        sum = r(sum + r(params[o * in + i] * x[s * in + i]));
                    }
                    yhat[s * out + o] = sum;
                }
            }
        }

        /**
         * Steps of several worker threads call this at once: checking and decrementing under the
         * model's lock makes the scripted failure happen exactly once, whichever thread gets it.
         */
        private void countDownToScriptedFailure() {
            synchronized (LinearModel.this) {
                if (lossCallsBeforeFailure == 0) {
                    throw new IllegalStateException("scripted failure");
                }
                if (lossCallsBeforeFailure > 0) {
                    lossCallsBeforeFailure--;
                }
            }
        }

        @Override
        public double loss(int batchSize) {
            countDownToScriptedFailure();
            forward(batchSize);
            double sum = 0.0;
            for (int k = 0; k < batchSize * out; k++) {
                double d = r(yhat[k] - y[k]);
                sum = r(sum + r(d * d));
            }
            return r(sum / (batchSize * out));
        }

        @Override
        public double computeGradients(int batchSize) {
            double loss = loss(batchSize);
            java.util.Arrays.fill(grad, 0.0);
            double scale = r(2.0 / (batchSize * out));
            for (int s = 0; s < batchSize; s++) {
                for (int o = 0; o < out; o++) {
                    double g = r(scale * r(yhat[s * out + o] - y[s * out + o]));
                    for (int i = 0; i < in; i++) {
                        grad[o * in + i] = r(grad[o * in + i] + r(g * x[s * in + i]));
                    }
                    grad[out * in + o] = r(grad[out * in + o] + g);
                }
            }
            if (bug == Bug.HALF_BIAS_GRADIENT) {
                for (int o = 0; o < out; o++) {
                    grad[out * in + o] = r(grad[out * in + o] * 0.5);
                }
            }
            return loss;
        }

        @Override
        public void applyGradients(double learningRate) {
            wholeUpdates++;
            double lr = r(learningRate);
            for (int k = 0; k < params.length; k++) {
                params[k] = r(params[k] - r(lr * grad[k]));
            }
        }

        @Override
        public void scaleGradients(double factor) {
            for (int k = 0; k < grad.length; k++) {
                grad[k] = r(grad[k] * factor);
            }
        }

        @Override
        public void addGradients(TrainingStep other, double factor) {
            double[] from = ((Step) other).grad;
            for (int k = 0; k < grad.length; k++) {
                grad[k] = r(grad[k] + r(factor * from[k]));
            }
        }

        @Override
        public void setUpdateSettings(dev.chainrule.UpdateSettings settings) {}

        @Override
        public void setDropout(boolean enabled, long seed) {}

        @Override
        public double gradientSquaredNorm() {
            double sum = 0;
            for (double g : grad) {
                sum += g * g;
            }
            return sum;
        }

        @Override
        public void gradients(double[] outArray) {
            System.arraycopy(grad, 0, outArray, 0, grad.length);
        }

        @Override
        public void output(int slot, double[] outArray) {
            System.arraycopy(yhat, slot * out, outArray, 0, out);
        }

        private void check(int batchSize) {
            if (batchSize < 1 || batchSize > max) {
                throw new IllegalArgumentException("batch size " + batchSize + " outside 1.." + max);
            }
        }
    }

    /**
     * A step with the sliced methods, slicing as generated networks do: slice {@code s} holds the
     * weights {@code W[o][i]} of the inputs {@code i} in {@code [in s / S, in (s + 1) / S)} and the
     * biases of the outputs in {@code [out s / S, out (s + 1) / S)}, with the arithmetic of the
     * unsliced methods element by element.
     */
    private final class SlicedStep extends Step {

        SlicedStep(int max) {
            super(max);
        }

        @Override
        public double combineGradients(TrainingStep[] parts, double[] factors, int slice, int slices) {
            if (parts[0] != this || parts.length != factors.length) {
                throw new IllegalArgumentException("parts[0] must be this step, one factor per part");
            }
            double sum = 0;
            for (int k : slice(slice, slices)) {
                double g = r(grad[k] * factors[0]);
                for (int p = 1; p < parts.length; p++) {
                    if (factors[p] != 0) {
                        g = r(g + r(factors[p] * ((Step) parts[p]).grad[k]));
                    }
                }
                grad[k] = g;
                sum += g * g;
            }
            return sum;
        }

        @Override
        public void scaleGradients(double factor, int slice, int slices) {
            for (int k : slice(slice, slices)) {
                grad[k] = r(grad[k] * factor);
            }
        }

        @Override
        public void applyGradients(double learningRate, int slice, int slices) {
            synchronized (LinearModel.this) {
                if (sliceUpdatesBeforeFailure == 0) {
                    throw new IllegalStateException("scripted failure of slice " + slice);
                }
                if (sliceUpdatesBeforeFailure > 0) {
                    sliceUpdatesBeforeFailure--;
                }
            }
            double lr = r(learningRate);
            for (int k : slice(slice, slices)) {
                params[k] = r(params[k] - r(lr * grad[k]));
            }
        }

        @Override
        public void completeUpdate() {
            completedUpdates++;
        }

        /** The indices of a slice in the flat public order (allocates: a test double). */
        private int[] slice(int slice, int slices) {
            if (slice < 0 || slice >= slices) {
                throw new IndexOutOfBoundsException("slice " + slice + " of " + slices);
            }
            int fromInput = (int) ((long) in * slice / slices);
            int toInput = (int) ((long) in * (slice + 1) / slices);
            int fromOutput = (int) ((long) out * slice / slices);
            int toOutput = (int) ((long) out * (slice + 1) / slices);
            int[] indices = new int[out * (toInput - fromInput) + (toOutput - fromOutput)];
            int n = 0;
            for (int o = 0; o < out; o++) {
                for (int i = fromInput; i < toInput; i++) {
                    indices[n++] = o * in + i;
                }
            }
            for (int o = fromOutput; o < toOutput; o++) {
                indices[n++] = out * in + o;
            }
            return indices;
        }
    }
}
