package dev.chainrule.internal;

import dev.chainrule.Activation;
import dev.chainrule.Layer;
import dev.chainrule.Model;

/**
 * The {@link Layer} a generated network assigns to a {@code @Dense} field. It reads and writes
 * through the network's public parameter order, so every internal copy (a transposed weight
 * matrix, say) stays consistent; it is for inspection and set-up, not for the training path.
 */
public final class DenseLayerView implements Layer {

    private final Model owner;
    private final String name;
    private final int inputSize;
    private final int units;
    private final Activation activation;
    private final double alpha;
    private final int offset;

    /** A layer whose activation has no parameter, or takes its default. */
    public DenseLayerView(Model owner, String name, int inputSize, int units, Activation activation, int offset) {
        this(owner, name, inputSize, units, activation, defaultAlpha(activation), offset);
    }

    /**
     * @param alpha the activation's parameter ({@link Layer#alpha()}), NaN if it has none
     * @param offset where this layer's weights start in the owner's public parameter order; its
     *     biases follow them
     */
    public DenseLayerView(Model owner, String name, int inputSize, int units, Activation activation, double alpha,
            int offset) {
        this.owner = owner;
        this.name = name;
        this.inputSize = inputSize;
        this.units = units;
        this.activation = activation;
        this.alpha = alpha;
        this.offset = offset;
    }

    private static double defaultAlpha(Activation activation) {
        return switch (activation) {
            case LEAKY_RELU -> dev.chainrule.Dense.LEAKY_RELU_DEFAULT_ALPHA;
            case ELU -> dev.chainrule.Dense.ELU_DEFAULT_ALPHA;
            default -> Double.NaN;
        };
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int units() {
        return units;
    }

    @Override
    public Activation activation() {
        return activation;
    }

    @Override
    public double alpha() {
        return alpha;
    }

    @Override
    public int parameterCount() {
        return units * inputSize + units;
    }

    @Override
    public double[][] weights() {
        double[] all = owner.parameters();
        double[][] weights = new double[units][inputSize];
        for (int j = 0; j < units; j++) {
            System.arraycopy(all, offset + j * inputSize, weights[j], 0, inputSize);
        }
        return weights;
    }

    @Override
    public double[] biases() {
        double[] all = owner.parameters();
        double[] biases = new double[units];
        System.arraycopy(all, offset + units * inputSize, biases, 0, units);
        return biases;
    }

    @Override
    public void setWeights(double[][] weights) {
        if (weights == null) {
            throw new NullPointerException("weights of layer '" + name + "' is null");
        }
        if (weights.length != units) {
            throw new IllegalArgumentException("weights of layer '" + name + "' have " + weights.length
                    + " rows, expected " + units + " (one per unit)");
        }
        for (int j = 0; j < units; j++) {
            Checks.requireLength(weights[j], inputSize, "row " + j + " of the weights of layer '" + name + "'");
        }
        double[] all = owner.parameters();
        for (int j = 0; j < units; j++) {
            System.arraycopy(weights[j], 0, all, offset + j * inputSize, inputSize);
        }
        owner.setParameters(all);
    }

    @Override
    public void setBiases(double[] biases) {
        Checks.requireLength(biases, units, "biases of layer '" + name + "'");
        double[] all = owner.parameters();
        System.arraycopy(biases, 0, all, offset + units * inputSize, units);
        owner.setParameters(all);
    }

    @Override
    public String toString() {
        return name + ": dense " + inputSize + " -> " + units + ", " + activation
                + (Double.isNaN(alpha) ? "" : "(" + alpha + ")");
    }
}
