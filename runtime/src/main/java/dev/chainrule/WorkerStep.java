package dev.chainrule;

/**
 * One worker's share of a {@link TrainingStep} whose batch is split by the first layer's inputs
 * among {@code workers} threads ({@link TrainingStep#workerSteps(int)}): how
 * {@code Trainer.threads(n)} trains a network whose first layer is wide. All the workers' steps
 * work on the buffers of the one step they came from (call it the shared step), and worker
 * {@code k} keeps the same rows of the first layer's weights for good, so from batch to batch those
 * weights and their gradient stay on one core; what crosses between cores is the loaded input rows
 * (each worker reads its slice of every row), the partial sums, activations and deltas, and the
 * other layers' parameters.
 *
 * <p>One batch, with every worker past a barrier before the next phase starts:
 * <ol>
 *   <li>Each worker loads its slots of the shared step ({@link #firstSlot}).
 *   <li>{@link #forwardInputs}: each worker sums the first layer's weighted inputs over its share
 *       of the inputs, for every slot.
 *   <li>{@link #computeDeltas}: each worker adds up the workers' sums for its own slots (in worker
 *       order), runs the rest of the forward pass, the loss and the deltas of every layer there.
 *   <li>{@link #computeGradientShare}: each worker computes its share of the gradient over the
 *       whole batch.
 *   <li>Each worker clips and applies its slice of the shared step's gradient
 *       ({@link TrainingStep#scaleGradients(double, int, int)},
 *       {@link TrainingStep#applyGradients(double, int, int)}), then one of them calls
 *       {@link TrainingStep#completeUpdate()}.
 * </ol>
 * Worker {@code k}'s share of the inputs, the gradient and the update is slice {@code k} of
 * {@code workers} in {@link TrainingStep}'s sense, except that a layer without tiled kernels
 * (a small one, unrolled) has its whole gradient computed by worker 0. The first layer's sums
 * are split, so the results differ from one thread's in rounding; for a given number of workers
 * they are the same on every run.
 */
public interface WorkerStep {

    /** This worker's index, from 0. */
    int worker();

    /** How many workers share the step. */
    int workers();

    /**
     * The first of this worker's slots of a batch of {@code batchSize}:
     * {@code batchSize * worker / workers}, rounded down; its last slot is the one before the next
     * worker's first, or {@code batchSize - 1}.
     */
    static int firstSlot(int batchSize, int worker, int workers) {
        return (int) ((long) batchSize * worker / workers);
    }

    /**
     * Sums the first layer's weighted inputs over this worker's slice of the inputs, for slots
     * {@code 0 .. batchSize-1} of the shared step, into this worker's own buffer.
     *
     * @throws IllegalArgumentException if {@code batchSize} is not in {@code 1 ..
     *     maxBatchSize()} of the shared step
     */
    void forwardInputs(int batchSize);

    /**
     * For this worker's slots: computes the first layer's pre-activations as {@code ((bias +
     * sum_0) + sum_1) + ...} from the workers' partial sums in worker order (after every worker's
     * {@link #forwardInputs}), applies its activation, runs the other
     * layers' forward passes, the loss and the deltas of every layer, scaled for the mean loss of
     * all {@code batchSize} slots. Returns the mean loss of this worker's slots, 0 if it has none.
     */
    double computeDeltas(int batchSize);

    /**
     * This worker's share of the gradient of the batch's mean loss (after every worker's
     * {@link #computeDeltas}): the weight rows and biases of its slice of every tiled layer, and,
     * for worker 0, the whole gradient of every unrolled layer, over all {@code batchSize} slots.
     * Returns the sum of the squares of that share.
     */
    double computeGradientShare(int batchSize);
}
