package dev.chainrule;

/**
 * A live view of one layer of a generated network: the spec's annotated fields hold these once
 * the network is constructed. Reads return copies; writes go straight into the network (and
 * into every internal copy of the parameters the kernels keep).
 *
 * <p>Weights use PyTorch's orientation: {@code weights()[unit][input]}.
 */
public interface Layer {

    /** The name of the spec's field. */
    String name();

    /** The number of inputs of the layer (for the input layer, its number of features). */
    int inputSize();

    /** The number of units (outputs) of the layer. */
    int units();

    /** The activation of the layer; {@link Activation#LINEAR} for the input layer. */
    Activation activation();

    /**
     * The parameter of the activation: {@link Activation#LEAKY_RELU}'s negative slope or
     * {@link Activation#ELU}'s {@code α}, defaults applied ({@link Dense#alpha()}); {@code NaN} for
     * activations without one and for the input layer.
     */
    default double alpha() {
        return Double.NaN;
    }

    /** The number of trainable parameters: {@code units × inputSize + units}, 0 for the input. */
    int parameterCount();

    /** A copy of the weight matrix as {@code [units][inputSize]}. */
    double[][] weights();

    /** A copy of the biases, one per unit. */
    double[] biases();

    /**
     * Replaces the weight matrix.
     *
     * @throws IllegalArgumentException if {@code weights} is not {@code [units][inputSize]}
     * @throws UnsupportedOperationException on the input layer, which has no parameters
     */
    void setWeights(double[][] weights);

    /**
     * Replaces the biases.
     *
     * @throws IllegalArgumentException if {@code biases} does not have {@code units} elements
     * @throws UnsupportedOperationException on the input layer, which has no parameters
     */
    void setBiases(double[] biases);
}
