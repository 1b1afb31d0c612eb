package dev.chainrule.processor;

import dev.chainrule.Activation;
import dev.chainrule.Loss;

/**
 * A plain multilayer perceptron in {@code double}, written to be obviously correct rather than
 * fast, as an independent reference for the generated networks.
 *
 * <p>Parameters are one flat vector in the public order: layer by layer, the weights as
 * {@code [out][in]} row-major, then the biases. The loss is exactly the definition of
 * DESIGN.md's "Loss conventions", and the gradient is derived by plain backpropagation: the
 * derivative of the loss with respect to the output activations, taken from the loss formula
 * itself, then multiplied by each activation's Jacobian (the full Jacobian for softmax) and each
 * layer's weights. No fused formula ({@code p - y}) is used anywhere.
 */
final class ReferenceMlp {

    /** PyTorch's default LeakyReLU slope, the default of {@code @Dense(alpha)}. */
    static final double LEAKY_SLOPE = 0.01;

    /** PyTorch's default ELU alpha, the default of {@code @Dense(alpha)}. */
    static final double ELU_ALPHA = 1.0;

    /** SELU's constants as in "Self-Normalizing Neural Networks" (Klambauer et al., 2017), and PyTorch. */
    static final double SELU_LAMBDA = 1.0507009873554804934193349852946;
    static final double SELU_ALPHA = 1.6732632423543772848170429916717;

    private final int inputSize;
    private final int[] units;
    private final Activation[] activations;
    private final double[] alphas;
    private final Loss loss;
    private final double huberDelta;

    ReferenceMlp(int inputSize, int[] units, Activation[] activations, Loss loss) {
        this(inputSize, units, activations, null, loss);
    }

    /**
     * @param alphas per layer, LEAKY_RELU's slope or ELU's alpha; NaN (or a null array) for the
     *     default
     */
    ReferenceMlp(int inputSize, int[] units, Activation[] activations, double[] alphas, Loss loss) {
        this(inputSize, units, activations, alphas, loss, 1.0);
    }

    /** @param huberDelta the delta of {@link Loss#HUBER} */
    ReferenceMlp(int inputSize, int[] units, Activation[] activations, double[] alphas, Loss loss,
            double huberDelta) {
        if (units.length != activations.length || units.length == 0) {
            throw new IllegalArgumentException("one activation per layer, at least one layer");
        }
        for (int l = 0; l < units.length - 1; l++) {
            if (activations[l] == Activation.SOFTMAX) {
                throw new IllegalArgumentException("softmax is for the output layer only");
            }
        }
        Activation out = activations[units.length - 1];
        if (loss == Loss.BINARY_CROSS_ENTROPY && out != Activation.SIGMOID) {
            throw new IllegalArgumentException("binary cross-entropy needs a sigmoid output");
        }
        if (loss == Loss.CATEGORICAL_CROSS_ENTROPY && out != Activation.SOFTMAX) {
            throw new IllegalArgumentException("categorical cross-entropy needs a softmax output");
        }
        this.inputSize = inputSize;
        this.units = units.clone();
        this.activations = activations.clone();
        this.alphas = new double[units.length];
        for (int l = 0; l < units.length; l++) {
            double given = alphas == null ? Double.NaN : alphas[l];
            this.alphas[l] = !Double.isNaN(given) ? given
                    : activations[l] == Activation.ELU ? ELU_ALPHA : LEAKY_SLOPE;
        }
        this.loss = loss;
        this.huberDelta = huberDelta;
    }

    int inputSize() {
        return inputSize;
    }

    int outputSize() {
        return units[units.length - 1];
    }

    int parameterCount() {
        int count = 0;
        int in = inputSize;
        for (int u : units) {
            count += u * in + u;
            in = u;
        }
        return count;
    }

    /** The input size of layer {@code l}. */
    private int fanIn(int l) {
        return l == 0 ? inputSize : units[l - 1];
    }

    /** Where layer {@code l}'s weights start in the flat parameter vector. */
    private int weightOffset(int l) {
        int offset = 0;
        for (int k = 0; k < l; k++) {
            offset += units[k] * fanIn(k) + units[k];
        }
        return offset;
    }

    /** Where layer {@code l}'s biases start in the flat parameter vector. */
    private int biasOffset(int l) {
        return weightOffset(l) + units[l] * fanIn(l);
    }

    /** The weight from input {@code i} to unit {@code j} of layer {@code l}: {@code W[j][i]}. */
    private double weight(double[] params, int l, int j, int i) {
        return params[weightOffset(l) + j * fanIn(l) + i];
    }

    private double bias(double[] params, int l, int j) {
        return params[biasOffset(l) + j];
    }

    /** The pre-activations and activations of every layer for one sample. */
    private static final class Trace {
        final double[][] z;
        final double[][] a;

        Trace(int layers) {
            z = new double[layers][];
            a = new double[layers][];
        }
    }

    private Trace forward(double[] params, double[] x) {
        return forward(params, x, null);
    }

    /**
     * With {@code masks[l]} (when not null) multiplying layer {@code l}'s activations before the
     * next layer reads them: inverted dropout with a given mask. {@code a} keeps the activations
     * themselves.
     */
    private Trace forward(double[] params, double[] x, double[][] masks) {
        if (params.length != parameterCount() || x.length != inputSize) {
            throw new IllegalArgumentException("wrong sizes");
        }
        Trace trace = new Trace(units.length);
        double[] previous = x;
        for (int l = 0; l < units.length; l++) {
            if (l > 0 && masks != null && masks[l - 1] != null) {
                previous = previous.clone();
                for (int i = 0; i < previous.length; i++) {
                    previous[i] *= masks[l - 1][i];
                }
            }
            double[] z = new double[units[l]];
            for (int j = 0; j < units[l]; j++) {
                double sum = bias(params, l, j);
                for (int i = 0; i < fanIn(l); i++) {
                    sum += weight(params, l, j, i) * previous[i];
                }
                z[j] = sum;
            }
            trace.z[l] = z;
            trace.a[l] = activate(activations[l], alphas[l], z);
            previous = trace.a[l];
        }
        return trace;
    }

    /** The pre-activations of every layer for one sample: {@code [layer][unit]}. */
    double[][] preActivations(double[] params, double[] x) {
        return forward(params, x).z;
    }

    static double[] activate(Activation activation, double alpha, double[] z) {
        double[] a = new double[z.length];
        if (activation == Activation.SOFTMAX) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (int j = 0; j < z.length; j++) {
                a[j] = Math.exp(z[j] - max);
                sum += a[j];
            }
            for (int j = 0; j < z.length; j++) {
                a[j] /= sum;
            }
            return a;
        }
        for (int j = 0; j < z.length; j++) {
            a[j] = switch (activation) {
                case LINEAR -> z[j];
                case SIGMOID -> 1.0 / (1.0 + Math.exp(-z[j]));
                case TANH -> Math.tanh(z[j]);
                case RELU -> z[j] > 0 ? z[j] : 0.0;
                case LEAKY_RELU -> z[j] > 0 ? z[j] : alpha * z[j];
                case ELU -> z[j] > 0 ? z[j] : alpha * (Math.exp(z[j]) - 1);
                case SELU -> SELU_LAMBDA * (z[j] > 0 ? z[j] : SELU_ALPHA * (Math.exp(z[j]) - 1));
                case SOFTPLUS -> Math.log(1 + Math.exp(z[j]));
                case SILU -> z[j] / (1 + Math.exp(-z[j]));
                case GELU -> 0.5 * z[j] * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z[j] + 0.044715 * Math.pow(z[j], 3))));
                default -> throw new IllegalArgumentException(activation.toString());
            };
        }
        return a;
    }

    /**
     * dL/dz from dL/da through the activation's Jacobian J[k][j] = da_k/dz_j:
     * dL/dz_j = sum_k dL/da_k J[k][j].
     */
    static double[] backThroughActivation(Activation activation, double alpha, double[] z, double[] a,
            double[] dLda) {
        int n = z.length;
        double[] dLdz = new double[n];
        if (activation == Activation.SOFTMAX) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int k = 0; k < n; k++) {
                    double jacobian = a[k] * ((k == j ? 1.0 : 0.0) - a[j]);
                    sum += dLda[k] * jacobian;
                }
                dLdz[j] = sum;
            }
            return dLdz;
        }
        for (int j = 0; j < n; j++) {
            double derivative = switch (activation) {
                case LINEAR -> 1.0;
                case SIGMOID -> {
                    double s = 1.0 / (1.0 + Math.exp(-z[j]));
                    yield s * (1.0 - s);
                }
                case TANH -> {
                    double t = Math.tanh(z[j]);
                    yield 1.0 - t * t;
                }
                case RELU -> z[j] > 0 ? 1.0 : 0.0;
                case LEAKY_RELU -> z[j] > 0 ? 1.0 : alpha;
                // d/dz alpha (e^z - 1) = alpha e^z
                case ELU -> z[j] > 0 ? 1.0 : alpha * Math.exp(z[j]);
                case SELU -> z[j] > 0 ? SELU_LAMBDA : SELU_LAMBDA * SELU_ALPHA * Math.exp(z[j]);
                // d/dz log(1 + e^z) = e^z / (1 + e^z)
                case SOFTPLUS -> Math.exp(z[j]) / (1 + Math.exp(z[j]));
                // d/dz z s(z) = s + z s (1 - s)
                case SILU -> {
                    double s = 1.0 / (1.0 + Math.exp(-z[j]));
                    yield s + z[j] * s * (1 - s);
                }
                // d/dz z/2 (1 + tanh u), u = c (z + k z^3): (1 + tanh u)/2 + z/2 sech^2(u) c (1 + 3 k z^2)
                case GELU -> {
                    double c = Math.sqrt(2 / Math.PI);
                    double u = c * (z[j] + 0.044715 * Math.pow(z[j], 3));
                    double sech = 1 / Math.cosh(u);
                    yield 0.5 * (1 + Math.tanh(u)) + 0.5 * z[j] * sech * sech * c * (1 + 3 * 0.044715 * z[j] * z[j]);
                }
                default -> throw new IllegalArgumentException(activation.toString());
            };
            dLdz[j] = dLda[j] * derivative;
        }
        return dLdz;
    }

    /** The network's output for one sample. */
    double[] predict(double[] params, double[] x) {
        Trace trace = forward(params, x);
        return trace.a[units.length - 1];
    }

    /** The loss of one sample, before the mean: the sum over its outputs of the per-output term. */
    private double sampleLossSum(double[] p, double[] y) {
        double sum = 0;
        for (int j = 0; j < p.length; j++) {
            sum += switch (loss) {
                case MEAN_SQUARED_ERROR -> (p[j] - y[j]) * (p[j] - y[j]);
                case BINARY_CROSS_ENTROPY -> -(y[j] * Math.log(p[j]) + (1 - y[j]) * Math.log(1 - p[j]));
                case CATEGORICAL_CROSS_ENTROPY -> -y[j] * Math.log(p[j]);
                case MEAN_ABSOLUTE_ERROR -> Math.abs(p[j] - y[j]);
                // PyTorch's HuberLoss: e^2/2 inside delta, delta (|e| - delta/2) outside
                case HUBER -> Math.abs(p[j] - y[j]) < huberDelta
                        ? 0.5 * (p[j] - y[j]) * (p[j] - y[j])
                        : huberDelta * (Math.abs(p[j] - y[j]) - 0.5 * huberDelta);
            };
        }
        return sum;
    }

    /** The divisor of the mean: B n for the element-wise losses, B for categorical cross-entropy. */
    private double meanDivisor(int batchSize) {
        return loss == Loss.CATEGORICAL_CROSS_ENTROPY ? batchSize : (double) batchSize * outputSize();
    }

    /** The mean loss of a batch, as DESIGN.md's "Loss conventions" define it. */
    double loss(double[] params, double[][] x, double[][] y) {
        return loss(params, x, y, null);
    }

    /** The loss with dropout masks: {@code masks[s][l]} for sample {@code s} and layer {@code l}, or null. */
    double loss(double[] params, double[][] x, double[][] y, double[][][] masks) {
        double sum = 0;
        for (int s = 0; s < x.length; s++) {
            Trace trace = forward(params, x[s], masks == null ? null : masks[s]);
            sum += sampleLossSum(trace.a[units.length - 1], y[s]);
        }
        return sum / meanDivisor(x.length);
    }

    /** dL/da of the output for one sample, from the loss definition (L being the batch mean). */
    private double[] outputActivationGradient(double[] p, double[] y, int batchSize) {
        double divisor = meanDivisor(batchSize);
        double[] g = new double[p.length];
        for (int j = 0; j < p.length; j++) {
            g[j] = switch (loss) {
                // d/dp (p - y)^2 = 2 (p - y)
                case MEAN_SQUARED_ERROR -> 2 * (p[j] - y[j]) / divisor;
                // d/dp -[y log p + (1 - y) log(1 - p)] = -y/p + (1 - y)/(1 - p)
                case BINARY_CROSS_ENTROPY -> (-y[j] / p[j] + (1 - y[j]) / (1 - p[j])) / divisor;
                // d/dp_j -sum_k y_k log p_k = -y_j / p_j
                case CATEGORICAL_CROSS_ENTROPY -> -y[j] / p[j] / divisor;
                // d/dp |p - y| = sign(p - y), taken as 0 at p = y (torch.sign)
                case MEAN_ABSOLUTE_ERROR -> Math.signum(p[j] - y[j]) / divisor;
                // d/de of e^2/2 is e; of delta (|e| - delta/2) is delta sign(e)
                case HUBER -> (Math.abs(p[j] - y[j]) < huberDelta ? p[j] - y[j]
                        : huberDelta * Math.signum(p[j] - y[j])) / divisor;
            };
        }
        return g;
    }

    /** The gradient of the batch's mean loss, in the public parameter order. */
    double[] gradient(double[] params, double[][] x, double[][] y) {
        return gradient(params, x, y, null);
    }

    /** The gradient of the loss with dropout masks (see {@link #loss(double[], double[][], double[][], double[][][])}). */
    double[] gradient(double[] params, double[][] x, double[][] y, double[][][] masks) {
        double[] gradient = new double[parameterCount()];
        int last = units.length - 1;
        for (int s = 0; s < x.length; s++) {
            double[][] sampleMasks = masks == null ? null : masks[s];
            Trace trace = forward(params, x[s], sampleMasks);
            double[] dLda = outputActivationGradient(trace.a[last], y[s], x.length);
            for (int l = last; l >= 0; l--) {
                double[] dLdz = backThroughActivation(activations[l], alphas[l], trace.z[l], trace.a[l], dLda);
                double[] input = l == 0 ? x[s] : trace.a[l - 1].clone();
                boolean masked = l > 0 && sampleMasks != null && sampleMasks[l - 1] != null;
                for (int i = 0; masked && i < input.length; i++) {
                    input[i] *= sampleMasks[l - 1][i]; // what layer l read
                }
                // z_j = b_j + sum_i W[j][i] input_i
                for (int j = 0; j < units[l]; j++) {
                    for (int i = 0; i < fanIn(l); i++) {
                        gradient[weightOffset(l) + j * fanIn(l) + i] += dLdz[j] * input[i];
                    }
                    gradient[biasOffset(l) + j] += dLdz[j];
                }
                if (l > 0) {
                    double[] dLdInput = new double[fanIn(l)];
                    for (int i = 0; i < fanIn(l); i++) {
                        double sum = 0;
                        for (int j = 0; j < units[l]; j++) {
                            sum += weight(params, l, j, i) * dLdz[j];
                        }
                        // z = W (a * m) + b: dL/da = m * W^T dL/dz
                        dLdInput[i] = masked ? sum * sampleMasks[l - 1][i] : sum;
                    }
                    dLda = dLdInput;
                }
            }
        }
        return gradient;
    }
}
