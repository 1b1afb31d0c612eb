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
        return new Step(maxBatchSize);
    }

    private final class Step implements TrainingStep {
        private final int max;
        private final double[] x;
        private final double[] y;
        private final double[] yhat;
        private final double[] grad = new double[params.length];

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
}
