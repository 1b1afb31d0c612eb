package dev.chainrule.train;

/**
 * Thrown by {@link Trainer#fit} when a mini-batch loss becomes NaN or infinite. Continuing would
 * only spread NaN through every parameter, so training stops at the first such batch, before its
 * gradient is applied. The usual cause is a learning rate that is too large (or unscaled inputs).
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
        super("training diverged: the loss of batch " + batch + " of epoch " + epoch + " is " + loss
                + "; try a smaller learning rate than " + Format.number(learningRate)
                + " (or scale the inputs)");
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

    /** The loss that was not finite (NaN or an infinity). */
    public double loss() {
        return loss;
    }

    /** The learning rate in use when training diverged. */
    public double learningRate() {
        return learningRate;
    }
}
