package dev.chainrule.internal;

import dev.chainrule.Activation;
import dev.chainrule.Layer;

/** The {@link Layer} a generated network assigns to its {@code @Input} field: a size, no parameters. */
public final class InputLayerView implements Layer {

    private final String name;
    private final int size;

    public InputLayerView(String name, int size) {
        this.name = name;
        this.size = size;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int inputSize() {
        return size;
    }

    @Override
    public int units() {
        return size;
    }

    @Override
    public Activation activation() {
        return Activation.LINEAR;
    }

    @Override
    public int parameterCount() {
        return 0;
    }

    @Override
    public double[][] weights() {
        return new double[0][0];
    }

    @Override
    public double[] biases() {
        return new double[0];
    }

    @Override
    public void setWeights(double[][] weights) {
        throw new UnsupportedOperationException("the input layer '" + name + "' has no weights");
    }

    @Override
    public void setBiases(double[] biases) {
        throw new UnsupportedOperationException("the input layer '" + name + "' has no biases");
    }

    @Override
    public String toString() {
        return name + ": input " + size;
    }
}
