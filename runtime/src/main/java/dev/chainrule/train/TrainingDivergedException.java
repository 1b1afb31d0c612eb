package dev.chainrule.train;

/**
 * Thrown by {@link Trainer#fit} when training diverges: a mini-batch's loss or gradient becomes
 * NaN or infinite, or the epoch's summed loss overflows. Continuing would only spread NaN through
 * every parameter, so training stops at the first such batch, before its gradient is applied:
 * the network keeps the parameters of the last step that was applied, whose loss and gradient
 * were finite, on one thread or several. The usual cause is a learning rate that is too large
 * (or unscaled inputs).
 */
public final class TrainingDivergedException extends ArithmeticException {

    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int batch;
    private final double loss;
    private final double learningRate;

    /**
     * Describes where training diverged.
     *
     * @param epoch the epoch, numbered from 1
     * @param batch the mini-batch within the epoch, numbered from 1
     * @param loss the non-finite loss
     * @param learningRate the learning rate in use
     */
    public TrainingDivergedException(int epoch, int batch, double loss, double learningRate) {
        this(epoch, batch, loss, learningRate, "the loss of batch " + batch + " of epoch " + epoch + " is " + loss);
    }

    /**
     * Describes where training diverged and what went wrong.
     *
     * @param epoch the epoch, numbered from 1
     * @param batch the mini-batch within the epoch, numbered from 1
     * @param loss the batch's loss (finite when the gradient or the epoch's sum diverged instead)
     * @param learningRate the learning rate in use
     * @param what what was not finite, with the batch and epoch, for the message
     */
    public TrainingDivergedException(int epoch, int batch, double loss, double learningRate, String what) {
        super("training diverged: " + what + "; the network keeps the parameters from before that batch. Try a"
                + " smaller learning rate than " + Format.number(learningRate) + " (or scale the inputs)");
        this.epoch = epoch;
        this.batch = batch;
        this.loss = loss;
        this.learningRate = learningRate;
    }

    /** The epoch in which the loss diverged, numbered from 1. */
    public int epoch() {
        return epoch;
    }

    /** The mini-batch of that epoch whose loss diverged, numbered from 1. */
    public int batch() {
        return batch;
    }

    /**
     * The batch's loss: the value that was not finite (NaN or an infinity), unless the gradient or
     * the epoch's summed loss diverged first (the message says which).
     */
    public double loss() {
        return loss;
    }

    /** The learning rate in use when training diverged. */
    public double learningRate() {
        return learningRate;
    }
}
