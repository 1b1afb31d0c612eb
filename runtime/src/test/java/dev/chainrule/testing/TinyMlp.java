package dev.chainrule.testing;

import dev.chainrule.Activation;
import dev.chainrule.Layer;
import dev.chainrule.Loss;
import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import dev.chainrule.internal.DenseLayerView;
import dev.chainrule.internal.InputLayerView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A hand-written multi-layer perceptron that behaves as a generated network does through
 * {@link Model} and {@link TrainingStep}: public parameter order (per layer {@code W[out][in]}
 * row-major, then {@code b}), live {@link Layer} views ({@link DenseLayerView}), the losses with
 * their fused output gradients, plain SGD. Plain loops, no speed: for the runtime's file and
 * trainer tests, which cannot see the processor. In FLOAT precision every stored value and every
 * arithmetic result is rounded to {@code float}.
 */
public final class TinyMlp implements Model {

    private final Precision precision;
    private final Loss loss;
    private final int[] sizes; // sizes[0] = inputs, sizes[l] = units of dense layer l
    private final Activation[] activations; // activations[l - 1] for dense layer l
    private final String[] names;
    private final int[] offsets; // where dense layer l's weights start
    private final double[] params;
    private final List<Layer> layers;
    private final long seed;

    /**
     * @param names the field names, input first, one per size
     * @param sizes the input size, then the units of each dense layer
     * @param activations one per dense layer
     */
    public TinyMlp(Precision precision, Loss loss, long seed, String[] names, int[] sizes, Activation... activations) {
        if (sizes.length != activations.length + 1 || names.length != sizes.length) {
            throw new IllegalArgumentException("one activation per dense layer, one name per layer");
        }
        this.precision = precision;
        this.loss = loss;
        this.seed = seed;
        this.sizes = sizes.clone();
        this.activations = activations.clone();
        this.names = names.clone();
        this.offsets = new int[sizes.length];
        int total = 0;
        for (int l = 1; l < sizes.length; l++) {
            offsets[l] = total;
            total += sizes[l] * sizes[l - 1] + sizes[l];
        }
        params = new double[total];
        SplittableRandom random = new SplittableRandom(seed);
        for (int k = 0; k < total; k++) {
            params[k] = r(random.nextDouble(-0.8, 0.8));
        }
        List<Layer> list = new ArrayList<>();
        list.add(new InputLayerView(names[0], sizes[0]));
        for (int l = 1; l < sizes.length; l++) {
            list.add(new DenseLayerView(this, names[l], sizes[l - 1], sizes[l], activations[l - 1], offsets[l]));
        }
        layers = List.copyOf(list);
    }

    /** A 3-5-2 classifier: tanh hidden layer, softmax output, categorical cross-entropy. */
    public static TinyMlp classifier(Precision precision, long seed) {
        return new TinyMlp(precision, Loss.CATEGORICAL_CROSS_ENTROPY, seed,
                new String[] {"features", "hidden", "species"}, new int[] {3, 5, 2},
                Activation.TANH, Activation.SOFTMAX);
    }

    private double r(double v) {
        return precision == Precision.FLOAT ? (float) v : v;
    }

    @Override
    public int inputSize() {
        return sizes[0];
    }

    @Override
    public int outputSize() {
        return sizes[sizes.length - 1];
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
        return loss;
    }

    @Override
    public List<Layer> layers() {
        return layers;
    }

    @Override
    public void predictInto(double[] input, double[] output) {
        if (input.length != inputSize() || output.length != outputSize()) {
            throw new IllegalArgumentException("wrong sizes");
        }
        double[][] a = forwardOne(input);
        System.arraycopy(a[a.length - 1], 0, output, 0, output.length);
    }

    private double[][] forwardOne(double[] input) {
        double[][] a = new double[sizes.length][];
        a[0] = new double[sizes[0]];
        for (int i = 0; i < sizes[0]; i++) {
            a[0][i] = r(input[i]);
        }
        for (int l = 1; l < sizes.length; l++) {
            int in = sizes[l - 1];
            int out = sizes[l];
            double[] z = new double[out];
            for (int o = 0; o < out; o++) {
                double s = params[offsets[l] + out * in + o];
                for (int i = 0; i < in; i++) {
                    s = r(s + r(params[offsets[l] + o * in + i] * a[l - 1][i]));
                }
                z[o] = s;
            }
            a[l] = activate(activations[l - 1], z);
        }
        return a;
    }

    private double[] activate(Activation f, double[] z) {
        double[] out = new double[z.length];
        switch (f) {
            case LINEAR:
                return z.clone();
            case TANH:
                for (int j = 0; j < z.length; j++) {
                    out[j] = r(Math.tanh(z[j]));
                }
                return out;
            case SIGMOID:
                for (int j = 0; j < z.length; j++) {
                    out[j] = r(1.0 / (1.0 + Math.exp(-z[j])));
                }
                return out;
            case RELU:
                for (int j = 0; j < z.length; j++) {
                    out[j] = Math.max(0.0, z[j]);
                }
                return out;
            case SOFTMAX:
                double max = Arrays.stream(z).max().orElse(0);
                double sum = 0;
                for (int j = 0; j < z.length; j++) {
                    out[j] = r(Math.exp(z[j] - max));
                    sum = r(sum + out[j]);
                }
                for (int j = 0; j < z.length; j++) {
                    out[j] = r(out[j] / sum);
                }
                return out;
            default:
                throw new UnsupportedOperationException(f.name());
        }
    }

    /** The derivative of the activation at the layer's output {@code a}. */
    private static double derivative(Activation f, double a) {
        switch (f) {
            case LINEAR:
                return 1.0;
            case TANH:
                return 1.0 - a * a;
            case SIGMOID:
                return a * (1.0 - a);
            case RELU:
                return a > 0 ? 1.0 : 0.0;
            default:
                throw new UnsupportedOperationException(f.name());
        }
    }

    @Override
    public double[] parameters() {
        return params.clone();
    }

    @Override
    public void setParameters(double[] values) {
        if (values.length != params.length) {
            throw new IllegalArgumentException("expected " + params.length + " parameters, got " + values.length);
        }
        for (int k = 0; k < params.length; k++) {
            params[k] = r(values[k]);
        }
    }

    @Override
    public TinyMlp copy() {
        TinyMlp copy = new TinyMlp(precision, loss, seed, names, sizes, activations);
        copy.setParameters(params);
        return copy;
    }

    @Override
    public TrainingStep newTrainingStep(int maxBatchSize) {
        return new Step(maxBatchSize);
    }

    private final class Step implements TrainingStep {
        private final int max;
        private final double[][] x;
        private final double[][] y;
        private final double[][][] acts;
        private final double[] grad = new double[params.length];

        Step(int max) {
            this.max = max;
            x = new double[max][inputSize()];
            y = new double[max][outputSize()];
            acts = new double[max][][];
        }

        @Override
        public int maxBatchSize() {
            return max;
        }

        @Override
        public void load(int slot, float[] f, int fo, float[] t, int to) {
            for (int i = 0; i < inputSize(); i++) {
                x[slot][i] = f[fo + i];
            }
            for (int o = 0; o < outputSize(); o++) {
                y[slot][o] = t[to + o];
            }
        }

        @Override
        public void load(int slot, double[] f, int fo, double[] t, int to) {
            for (int i = 0; i < inputSize(); i++) {
                x[slot][i] = r(f[fo + i]);
            }
            for (int o = 0; o < outputSize(); o++) {
                y[slot][o] = r(t[to + o]);
            }
        }

        @Override
        public void loadInput(int slot, double[] f, int fo) {
            for (int i = 0; i < inputSize(); i++) {
                x[slot][i] = r(f[fo + i]);
            }
        }

        @Override
        public void forward(int batchSize) {
            if (batchSize < 1 || batchSize > max) {
                throw new IllegalArgumentException("batch size " + batchSize);
            }
            for (int s = 0; s < batchSize; s++) {
                acts[s] = forwardOne(x[s]);
            }
        }

        @Override
        public double loss(int batchSize) {
            forward(batchSize);
            int out = outputSize();
            double sum = 0;
            for (int s = 0; s < batchSize; s++) {
                double[] p = acts[s][sizes.length - 1];
                for (int o = 0; o < out; o++) {
                    double t = y[s][o];
                    double term;
                    switch (loss) {
                        case MEAN_SQUARED_ERROR:
                            term = r((p[o] - t) * (p[o] - t));
                            break;
                        case BINARY_CROSS_ENTROPY:
                            double q = Math.min(Math.max(p[o], 1e-7), 1 - 1e-7);
                            term = r(-(t * Math.log(q) + (1 - t) * Math.log(1 - q)));
                            break;
                        default:
                            term = t == 0 ? 0 : r(-t * Math.log(Math.max(p[o], 1e-12)));
                            break;
                    }
                    sum = r(sum + term);
                }
            }
            int denominator = loss == Loss.CATEGORICAL_CROSS_ENTROPY ? batchSize : batchSize * out;
            return r(sum / denominator);
        }

        @Override
        public double computeGradients(int batchSize) {
            double value = loss(batchSize);
            Arrays.fill(grad, 0.0);
            int last = sizes.length - 1;
            int out = outputSize();
            for (int s = 0; s < batchSize; s++) {
                double[][] a = acts[s];
                double[] delta = new double[out];
                for (int o = 0; o < out; o++) {
                    double diff = r(a[last][o] - y[s][o]);
                    switch (loss) {
                        case MEAN_SQUARED_ERROR:
                            delta[o] = r(r(2.0 * diff / (batchSize * out)) * derivative(activations[last - 1], a[last][o]));
                            break;
                        case BINARY_CROSS_ENTROPY:
                            delta[o] = r(diff / (batchSize * out));
                            break;
                        default:
                            delta[o] = r(diff / batchSize);
                            break;
                    }
                }
                for (int l = last; l >= 1; l--) {
                    int in = sizes[l - 1];
                    int units = sizes[l];
                    for (int o = 0; o < units; o++) {
                        for (int i = 0; i < in; i++) {
                            int k = offsets[l] + o * in + i;
                            grad[k] = r(grad[k] + r(delta[o] * a[l - 1][i]));
                        }
                        int kb = offsets[l] + units * in + o;
                        grad[kb] = r(grad[kb] + delta[o]);
                    }
                    if (l > 1) {
                        double[] previous = new double[in];
                        for (int i = 0; i < in; i++) {
                            double sum = 0;
                            for (int o = 0; o < units; o++) {
                                sum = r(sum + r(params[offsets[l] + o * in + i] * delta[o]));
                            }
                            previous[i] = r(sum * derivative(activations[l - 2], a[l - 1][i]));
                        }
                        delta = previous;
                    }
                }
            }
            return value;
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
            if (!(other instanceof Step)) {
                throw new IllegalArgumentException("not a step of a TinyMlp");
            }
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
            System.arraycopy(acts[slot][sizes.length - 1], 0, outArray, 0, outputSize());
        }
    }
}
