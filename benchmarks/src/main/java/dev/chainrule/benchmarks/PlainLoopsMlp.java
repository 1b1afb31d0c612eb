package dev.chainrule.benchmarks;

import dev.chainrule.Model;

/**
 * The baseline: an MLP written the way one would by hand, with {@code double[]} weights indexed
 * {@code w[o * in + i]} and straightforward loops, per-sample forward and backward passes, the
 * gradient summed over the batch, then one SGD step. Hidden layers use ReLU (sigmoid for XOR),
 * the output softmax with cross-entropy (sigmoid with squared error for XOR), like the tasks.
 */
final class PlainLoopsMlp {

    private final int[] sizes;
    private final boolean xor;
    private final double[][] w;
    private final double[][] b;
    private final double[][] gw;
    private final double[][] gb;
    private final double[][] a;
    private final double[][] delta;

    /** Starts from {@code net}'s parameters, in the public order. */
    PlainLoopsMlp(Model net, boolean xor) {
        int layers = net.layers().size() - 1;
        sizes = new int[layers + 1];
        for (int l = 0; l <= layers; l++) {
            sizes[l] = net.layers().get(l).units();
        }
        this.xor = xor;
        w = new double[layers][];
        b = new double[layers][];
        gw = new double[layers][];
        gb = new double[layers][];
        double[] theta = net.parameters();
        int k = 0;
        for (int l = 0; l < layers; l++) {
            w[l] = new double[sizes[l + 1] * sizes[l]];
            b[l] = new double[sizes[l + 1]];
            gw[l] = new double[w[l].length];
            gb[l] = new double[b[l].length];
            for (int i = 0; i < w[l].length; i++) {
                w[l][i] = theta[k++];
            }
            for (int o = 0; o < b[l].length; o++) {
                b[l][o] = theta[k++];
            }
        }
        a = new double[layers + 1][];
        delta = new double[layers + 1][];
        for (int l = 0; l <= layers; l++) {
            a[l] = new double[sizes[l]];
            delta[l] = new double[sizes[l]];
        }
    }

    /** One SGD step on the rows {@code from .. from + batch - 1} of {@code x} and {@code y}. */
    void step(double[][] xs, double[][] ys, int from, int batch, double learningRate) {
        int layers = w.length;
        for (int l = 0; l < layers; l++) {
            java.util.Arrays.fill(gw[l], 0);
            java.util.Arrays.fill(gb[l], 0);
        }
        for (int s = from; s < from + batch; s++) {
            double[] x = xs[s];
            double[] y = ys[s];
            System.arraycopy(x, 0, a[0], 0, x.length);
            for (int l = 0; l < layers; l++) {
                int in = sizes[l];
                int out = sizes[l + 1];
                for (int o = 0; o < out; o++) {
                    double z = b[l][o];
                    for (int i = 0; i < in; i++) {
                        z += w[l][o * in + i] * a[l][i];
                    }
                    a[l + 1][o] = l < layers - 1 ? hidden(z) : z;
                }
            }
            double[] out = a[layers];
            if (xor) {
                for (int o = 0; o < out.length; o++) {
                    double p = 1 / (1 + Math.exp(-out[o]));
                    out[o] = p;
                    delta[layers][o] = 2 * (p - y[o]) * p * (1 - p) / out.length;
                }
            } else {
                double max = Double.NEGATIVE_INFINITY;
                for (double z : out) {
                    max = Math.max(max, z);
                }
                double sum = 0;
                for (int o = 0; o < out.length; o++) {
                    out[o] = Math.exp(out[o] - max);
                    sum += out[o];
                }
                for (int o = 0; o < out.length; o++) {
                    out[o] /= sum;
                    delta[layers][o] = out[o] - y[o];
                }
            }
            for (int l = layers - 1; l >= 0; l--) {
                int in = sizes[l];
                int outs = sizes[l + 1];
                for (int o = 0; o < outs; o++) {
                    double d = delta[l + 1][o];
                    gb[l][o] += d;
                    for (int i = 0; i < in; i++) {
                        gw[l][o * in + i] += d * a[l][i];
                    }
                }
                if (l > 0) {
                    for (int i = 0; i < in; i++) {
                        double g = 0;
                        for (int o = 0; o < outs; o++) {
                            g += delta[l + 1][o] * w[l][o * in + i];
                        }
                        delta[l][i] = xor ? g * a[l][i] * (1 - a[l][i]) : (a[l][i] > 0 ? g : 0);
                    }
                }
            }
        }
        double rate = learningRate / batch;
        for (int l = 0; l < layers; l++) {
            for (int i = 0; i < w[l].length; i++) {
                w[l][i] -= rate * gw[l][i];
            }
            for (int o = 0; o < b[l].length; o++) {
                b[l][o] -= rate * gb[l][o];
            }
        }
    }

    private double hidden(double z) {
        return xor ? 1 / (1 + Math.exp(-z)) : Math.max(0, z);
    }
}
