package dev.chainrule;

import java.util.List;

/**
 * A network generated from a {@link Network} spec. The runtime trains, evaluates and saves any
 * network through this interface.
 *
 * <p><b>Parameter order.</b> {@link #parameters()} and {@link #setParameters(double[])} use the
 * order of a PyTorch stack of {@code nn.Linear} layers: layer by layer, the weight matrix as
 * {@code [out][in]} row-major, then the bias. The internal layout may differ; this public order
 * is what files, interop and tests rely on.
 *
 * <p><b>Threads.</b> {@code predict}, {@code predictInto} and {@code predictClass} are safe to call
 * from many threads at once: each thread gets its own buffers on its first call, so prediction
 * allocates nothing after that (beyond the array {@code predict} returns). Training, setting
 * parameters and predicting must not overlap: give a serving thread a {@link #copy()} while
 * another one trains.
 */
public interface Model {

    /** The number of input features. */
    int inputSize();

    /** The number of outputs. */
    int outputSize();

    /** The number of trainable parameters (every weight and bias). */
    int parameterCount();

    /** The precision the network computes in. */
    Precision precision();

    /** The loss the network is trained on. */
    Loss loss();

    /** The layers in declaration order, the input layer first. */
    List<Layer> layers();

    /** Computes the network's output for one sample, into a new array. */
    default double[] predict(double[] input) {
        double[] output = new double[outputSize()];
        predictInto(input, output);
        return output;
    }

    /** Computes the network's output for every row of {@code inputs}. */
    default double[][] predict(double[][] inputs) {
        double[][] outputs = new double[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            outputs[i] = predict(inputs[i]);
        }
        return outputs;
    }

    /**
     * Computes the network's output for one sample into {@code output}, allocating nothing.
     *
     * @throws IllegalArgumentException if {@code input} does not have {@link #inputSize()}
     *     elements or {@code output} does not have {@link #outputSize()}
     */
    void predictInto(double[] input, double[] output);

    /** The index of the largest output for one sample (the predicted class of a classifier). */
    default int predictClass(double[] input) {
        double[] output = predict(input);
        int best = 0;
        for (int j = 1; j < output.length; j++) {
            if (output[j] > output[best]) {
                best = j;
            }
        }
        return best;
    }

    /** The update rule this network was generated with; plain SGD unless it says otherwise. */
    default Optimizer optimizer() {
        return Optimizer.SGD;
    }

    /**
     * A flat copy of the update rule's state, for checkpoints: empty for plain SGD; else the
     * number of update steps taken, then each of {@link Optimizer#stateNames()} (momentum
     * buffers, moment estimates, Rprop's previous gradients and step sizes) as one value per
     * parameter in the public order of {@link #parameters()}. Its length is
     * {@code optimizer().stateLength(parameterCount())}.
     */
    default double[] optimizerState() {
        return new double[0];
    }

    /**
     * Restores a state from {@link #optimizerState()}, as a checkpoint does.
     *
     * @throws IllegalArgumentException if the length does not match, the step count is not a
     *     whole number from 0 to 2^53, or a value is not finite or (in a square average or an Rprop
     *     step size) negative; nothing is changed then
     */
    default void setOptimizerState(double[] state) {
        dev.chainrule.internal.Checks.requireLength(state, 0, "optimizer state");
    }

    /** Forgets the update rule's state (every value and the step count to 0), as if training started afresh. */
    default void resetOptimizerState() {}

    /** A flat copy of every parameter, in the public order described above. */
    double[] parameters();

    /**
     * Replaces every parameter, in the public order described above.
     *
     * @throws IllegalArgumentException if {@code parameters} does not have
     *     {@link #parameterCount()} elements
     */
    void setParameters(double[] parameters);

    /** An independent network of the same class with the same parameters. */
    Model copy();

    /**
     * Creates the buffers to train or evaluate this network on batches of up to
     * {@code maxBatchSize} samples. The runtime's trainer uses one per worker thread. A step
     * always works on the network's current parameters, including changes made through
     * {@link #setParameters} after it was created.
     */
    TrainingStep newTrainingStep(int maxBatchSize);

    /**
     * Whether this network runs Vector API kernels in this JVM: it was compiled with them and
     * {@code jdk.incubator.vector} is present ({@code --add-modules jdk.incubator.vector}).
     * Otherwise it runs portable Java kernels, which compute the same results, slower.
     */
    default boolean vectorKernels() {
        return false;
    }

    /**
     * The loss on {@code data} and the metrics that fit the loss: accuracy and a confusion matrix
     * for classifiers, MAE, RMSE and R² for regression. See {@link dev.chainrule.metrics.Evaluation}.
     */
    default dev.chainrule.metrics.Evaluation evaluate(dev.chainrule.data.Dataset data) {
        return dev.chainrule.metrics.Evaluation.of(this, data);
    }

    /** A table of the layers, their sizes, activations and parameter counts, with the total. */
    default String summary() {
        return ModelSummary.of(this);
    }
}
