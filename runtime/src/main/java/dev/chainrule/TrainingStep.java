package dev.chainrule;

/**
 * The buffers and kernels that train a generated network on one mini-batch at a time. Created
 * by {@link Model#newTrainingStep(int)}; allocates nothing after construction.
 *
 * <p>A step works on slots {@code 0..batchSize-1}: load samples into the slots, then call
 * {@link #computeGradients(int)} and {@link #applyGradients(double)}, or {@link #loss(int)}.
 * Gradients are those of the mean loss over the batch, so they are already averaged.
 *
 * <h2>Slices</h2>
 *
 * <p>The sliced methods ({@link #combineGradients}, {@link #scaleGradients(double, int, int)},
 * {@link #applyGradients(double, int, int)}, then {@link #completeUpdate()}) let several threads
 * combine the gradients of their parts of a batch and apply the update at the same time, each to
 * its own share of the parameters, instead of one thread doing it all. Slice {@code s} of
 * {@code slices} is, in every layer, the weight rows of the inputs {@code i} (weights are stored
 * {@code [input][unit]}) and the biases of the units {@code j} with
 * <pre>
 *   inputSize * s / slices  <= i < inputSize * (s + 1) / slices
 *   units * s / slices      <= j < units * (s + 1) / slices
 * </pre>
 * (exact integer division, rounding down). The slices {@code 0 .. slices-1} are disjoint and
 * together hold every parameter once, so different slices may be worked on by different threads
 * at once; a slice may be empty (5 slices of a layer with 2 inputs). Each element goes through
 * exactly the arithmetic of the unsliced method, so combining and updating slice by slice gives
 * bit for bit the result of {@link #scaleGradients(double)}, {@link #addGradients} and
 * {@link #applyGradients(double)}. A step implements all four sliced methods or none: the
 * defaults throw, and a trainer then combines and updates on one thread.
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
     *
     * @throws IllegalArgumentException if {@code learningRate} is NaN, infinite or negative;
     *     nothing is changed then
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

    /**
     * Combines the gradients of the parts of a batch into this step, within one slice (see
     * {@linkplain TrainingStep above}): every gradient element {@code g} of the slice becomes
     * <pre>
     *   g = factors[0] * g_0,  then  g = fma(factors[k], g_k, g)  for k = 1, 2, ... in order
     * </pre>
     * where {@code g_k} is the element in {@code parts[k]} and {@code this} is {@code parts[0]}, in
     * the network's precision (a FLOAT network rounds each factor to {@code float}): exactly what
     * {@code scaleGradients(factors[0])} followed by {@code addGradients(parts[k], factors[k])} for
     * each {@code k} in order computes there. Parts after the first whose factor is 0 are skipped,
     * as empty parts of a batch (their gradient is never read). Only the slice's elements of this
     * step are written and only the slice's elements of the other parts read, so the slices of one
     * combination may run on different threads at once.
     *
     * @param parts the steps holding the gradients of the parts, {@code this} first
     * @param factors each part's weight, usually its share of the batch's rows
     * @return the slice's squared norm: the sum, in {@code double} and in a fixed order, of the
     *     squares of the combined elements, each computed as {@link #gradientSquaredNorm()} does,
     *     so the slices' results add up to it up to rounding (not finite if any element is not)
     * @throws IllegalArgumentException if {@code parts} and {@code factors} differ in length or are
     *     empty, {@code parts[0]} is not this step, or a part is not a step of the same network class
     * @throws IndexOutOfBoundsException unless {@code 0 <= slice < slices}
     * @throws UnsupportedOperationException if this step cannot work in slices
     */
    default double combineGradients(TrainingStep[] parts, double[] factors, int slice, int slices) {
        throw unsupported(this, "combineGradients(TrainingStep[], double[], int, int)");
    }

    /**
     * {@link #scaleGradients(double)} on one slice only (see {@linkplain TrainingStep above}): the
     * slice's gradient elements are multiplied by {@code factor}, the others left alone. For
     * clipping a gradient slice by slice.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= slice < slices}
     * @throws UnsupportedOperationException if this step cannot work in slices
     */
    default void scaleGradients(double factor, int slice, int slices) {
        throw unsupported(this, "scaleGradients(double, int, int)");
    }

    /**
     * {@link #applyGradients(double)} on one slice of the parameters only (see
     * {@linkplain TrainingStep above}), with the update rule's state of the slice. It does not count
     * the update: after every slice {@code 0 .. slices-1} has been applied exactly once, call
     * {@link #completeUpdate()} once. Until then every slice sees the same step count, the one the
     * whole update is taken at (Adam's {@code t}; Rprop's first update sets the step sizes of the
     * slice's parameters to the learning rate). Applying all slices then completing leaves the
     * parameters, copies of them and the update rule's state bit for bit as
     * {@code applyGradients(learningRate)} would.
     *
     * @throws IllegalArgumentException if {@code learningRate} is NaN, infinite or negative;
     *     nothing is changed then
     * @throws IndexOutOfBoundsException unless {@code 0 <= slice < slices}
     * @throws UnsupportedOperationException if this step cannot work in slices
     */
    default void applyGradients(double learningRate, int slice, int slices) {
        throw unsupported(this, "applyGradients(double, int, int)");
    }

    /**
     * Ends an update applied slice by slice with {@link #applyGradients(double, int, int)}: counts
     * it once in the update rule's step count (does nothing for a rule that keeps none). Not for
     * use after {@link #applyGradients(double)}, which counts its update itself.
     *
     * @throws UnsupportedOperationException if this step cannot work in slices
     */
    default void completeUpdate() {
        throw unsupported(this, "completeUpdate()");
    }

    /**
     * Splits this step's batches among {@code workers} threads by the first layer's inputs (see
     * {@link WorkerStep}): returns one step per worker, all working on this step's buffers, worker
     * {@code k} at index {@code k}. Generated for networks whose first layer has tiled kernels and
     * that have no dropout; the others keep the default, which throws, and a trainer splits their
     * batches by rows instead.
     *
     * @throws IllegalArgumentException if {@code workers} is less than 1 (a step that can split)
     * @throws UnsupportedOperationException if this step cannot split its batches by inputs (the
     *     default, whatever {@code workers} is)
     */
    default java.util.List<WorkerStep> workerSteps(int workers) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot split a batch by inputs: its first "
                + "layer has no tiled kernels, it has dropout, it was written by hand or generated by an older "
                + "chainrule-processor");
    }

    private static UnsupportedOperationException unsupported(TrainingStep step, String method) {
        return new UnsupportedOperationException(step.getClass().getName() + " does not implement " + method
                + ", so it cannot work in slices; regenerate the network with this version of chainrule-processor");
    }

    /** Copies the gradient of the last {@link #computeGradients(int)} into {@code out}, in public order. */
    void gradients(double[] out);

    /**
     * Replaces the gradient held by this step with {@code gradient}, in the public order of
     * {@link #gradients(double[])} (converting to the network's precision), so that
     * {@link #applyGradients(double)} applies it: how a distributed trainer hands a gradient summed
     * on other machines to the network's own update rule. The inverse of {@link #gradients}.
     *
     * <p>Networks generated by this version of the processor implement it; the default, for
     * steps written by hand or generated before it existed, throws.
     *
     * @throws IllegalArgumentException if {@code gradient} does not have one value per parameter
     * @throws UnsupportedOperationException if this step cannot take a gradient from outside
     */
    default void setGradients(double[] gradient) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot take a gradient from outside;"
                + " regenerate the network with this version of chainrule-processor");
    }

    /**
     * Copies the network's output for a slot after a forward pass into {@code out}. Also valid
     * after {@link #computeGradients(int)}: the backward pass never overwrites the outputs (the
     * trainer reads them there for its training metrics).
     */
    void output(int slot, double[] out);
}
