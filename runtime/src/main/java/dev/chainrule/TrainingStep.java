package dev.chainrule;

/**
 * The buffers and kernels that train a generated network on one mini-batch at a time. Created
 * by {@link Model#newTrainingStep(int)}; allocates nothing after construction.
 *
 * <p>A step works on slots {@code 0..batchSize-1}: load samples into the slots, then call
 * {@link #computeGradients(int)} and {@link #applyGradients(double)}, or {@link #loss(int)}.
 * Gradients are those of the mean loss over the batch, so they are already averaged.
 */
public interface TrainingStep {

    /** The largest batch this step can hold. */
    int maxBatchSize();

    /** Copies one sample's features and targets (in the network's own precision) into a slot. */
    void load(int slot, float[] features, int featureOffset, float[] targets, int targetOffset);

    /** Copies one sample's features and targets into a slot, converting to the network's precision. */
    void load(int slot, double[] features, int featureOffset, double[] targets, int targetOffset);

    /** Copies one sample's features into a slot, converting to the network's precision. */
    void loadInput(int slot, double[] features, int featureOffset);

    /** Runs the forward pass on slots {@code 0..batchSize-1}; targets are not needed. */
    void forward(int batchSize);

    /** Runs the forward pass on slots {@code 0..batchSize-1} and returns their mean loss. */
    double loss(int batchSize);

    /**
     * Runs the forward and backward passes on slots {@code 0..batchSize-1}, leaving the gradient
     * of their mean loss in this step's gradient buffers, and returns the mean loss.
     */
    double computeGradients(int batchSize);

    /**
     * Updates every parameter from the gradient held by this step with the network's update
     * rule ({@link Model#optimizer()}): plain SGD moves it by {@code -learningRate × gradient}.
     * The rule's state lives in the network, so any step of the network continues it.
     */
    void applyGradients(double learningRate);

    /**
     * Sets the update rule's run-time hyperparameters, used by every later
     * {@link #applyGradients(double)}. A new step starts with
     * {@code UpdateSettings.defaults(model.optimizer())}.
     */
    void setUpdateSettings(UpdateSettings settings);

    /**
     * Turns dropout on (training: every {@link #computeGradients(int)} draws fresh masks from a
     * stream seeded with {@code seed}) or off (the default). {@link #forward(int)} and
     * {@link #loss(int)} never drop, whatever this says. Does nothing for a network without
     * dropout layers. Generated networks draw the masks with SplitMix64 from {@code seed}: layer by
     * layer, sample by sample, unit by unit, a unit is dropped when the next uniform double is
     * below the rate (see docs/math.md); the same seed gives the same masks.
     */
    void setDropout(boolean enabled, long seed);

    /**
     * Overrides the dropout rate of every layer declared with {@code @Dense(dropout = ...)}; layers
     * declared without dropout keep none. 0 turns dropout off. A new step has the declared rates.
     * Does nothing (but check the rate) for a network without dropout layers.
     *
     * @throws IllegalArgumentException unless {@code 0 <= rate < 1}
     */
    default void setDropoutRate(double rate) {
        if (!(rate >= 0.0 && rate < 1.0)) {
            throw new IllegalArgumentException("dropout rate is " + rate + ", must be in [0, 1)");
        }
    }

    /** The sum of the squares of the gradient held by this step, for clipping by global norm. */
    double gradientSquaredNorm();

    /** Multiplies the gradient held by this step by {@code factor}. */
    void scaleGradients(double factor);

    /**
     * Adds {@code factor} times the gradient held by {@code other} to this step's gradient: how
     * data-parallel workers combine their parts of a batch, in a fixed order.
     *
     * @throws IllegalArgumentException if {@code other} is not a step of the same network class
     */
    void addGradients(TrainingStep other, double factor);

    /** Copies the gradient of the last {@link #computeGradients(int)} into {@code out}, in public order. */
    void gradients(double[] out);

    /**
     * Copies the network's output for a slot after a forward pass into {@code out}. Also valid
     * after {@link #computeGradients(int)}: the backward pass never overwrites the outputs (the
     * trainer reads them there for its training metrics).
     */
    void output(int slot, double[] out);
}
