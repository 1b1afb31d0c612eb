package dev.chainrule.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * Where a training run stood when a checkpoint was written: what {@code Trainer.resumeFrom}
 * needs, beyond the parameters, to continue the run as if it had never stopped. The trainer
 * derives every random stream from {@code (seed, epoch)}, so the completed epoch count and the
 * seed are enough to continue the shuffling exactly; the loss history lets stop conditions
 * judge the whole run.
 *
 * @param epoch the number of completed epochs (the next one to run is {@code epoch + 1})
 * @param seed the trainer's seed
 * @param batchSize the batch size of the run, stored so a resumed run can check it repeats
 * @param threads the number of threads that shared each batch ({@code Trainer.threads}); a
 *     different count rounds differently, so it is stored and checked too
 * @param learningRate the learning rate of the last completed epoch
 * @param shuffle whether the run shuffled its rows each epoch
 * @param trainLoss the training loss of each completed epoch, {@code epoch} values
 */
public record TrainingState(int epoch, long seed, int batchSize, int threads, double learningRate,
        boolean shuffle, double[] trainLoss) {

    /**
     * Checks the state and copies the losses.
     *
     * @throws IllegalArgumentException if {@code epoch} is negative, {@code batchSize} or
     *     {@code threads} is below 1, the learning rate is not finite and positive, or there is not one loss per epoch
     */
    public TrainingState {
        Objects.requireNonNull(trainLoss, "trainLoss");
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch is " + epoch + ", must not be negative");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize is " + batchSize + ", must be at least 1");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads is " + threads + ", must be at least 1");
        }
        if (!(learningRate > 0.0 && Double.isFinite(learningRate))) {
            throw new IllegalArgumentException("learningRate is " + learningRate + ", must be finite and positive");
        }
        if (trainLoss.length != epoch) {
            throw new IllegalArgumentException("trainLoss has " + trainLoss.length + " values, expected one per"
                    + " completed epoch (" + epoch + ")");
        }
        trainLoss = trainLoss.clone();
    }

    /** A copy of the training loss of each completed epoch; index {@code i} holds epoch {@code i + 1}. */
    @Override
    public double[] trainLoss() {
        return trainLoss.clone();
    }

    /** Compares the losses by value, not by array identity. */
    @Override
    public boolean equals(Object o) {
        return o instanceof TrainingState s && epoch == s.epoch && seed == s.seed && batchSize == s.batchSize
                && threads == s.threads && Double.compare(learningRate, s.learningRate) == 0 && shuffle == s.shuffle
                && Arrays.equals(trainLoss, s.trainLoss);
    }

    @Override
    public int hashCode() {
        return Objects.hash(epoch, seed, batchSize, threads, learningRate, shuffle, Arrays.hashCode(trainLoss));
    }

    /** The epoch, seed and settings, without the losses. */
    @Override
    public String toString() {
        return "TrainingState(epoch " + epoch + ", seed " + seed + ", batch size " + batchSize + ", threads " + threads + ", learning rate "
                + learningRate + ", shuffle " + shuffle + ")";
    }
}
