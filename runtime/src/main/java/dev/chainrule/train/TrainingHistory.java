package dev.chainrule.train;

import java.util.Objects;

/**
 * The losses of the epochs completed so far, as a {@link StopCondition} sees them. Read-only: a
 * condition decides from the record, it cannot change it.
 *
 * <p>Epochs are numbered from 1: {@code trainLoss(1)} is the first epoch's loss and
 * {@code trainLoss(epochs())} the latest.
 */
public interface TrainingHistory {

    /** The number of completed epochs. */
    int epochs();

    /**
     * The training loss of epoch {@code epoch} (numbered from 1): the sample-weighted mean of the
     * epoch's mini-batch losses.
     *
     * @throws IndexOutOfBoundsException unless {@code 1 <= epoch <= epochs()}
     */
    double trainLoss(int epoch);

    /**
     * The latest epoch's training loss, the value most stop rules look at.
     *
     * @throws IllegalStateException if no epoch has completed
     */
    default double lastTrainLoss() {
        if (epochs() == 0) {
            throw new IllegalStateException("no epoch has completed yet");
        }
        return trainLoss(epochs());
    }

    /**
     * The lowest training loss of epochs {@code 1..throughEpoch}. The trainer's history answers
     * in constant time, so conditions that compare against the best so far stay cheap over long
     * runs.
     *
     * @throws IndexOutOfBoundsException unless {@code 1 <= throughEpoch <= epochs()}
     */
    default double bestTrainLoss(int throughEpoch) {
        if (throughEpoch < 1 || throughEpoch > epochs()) {
            throw new IndexOutOfBoundsException(
                    "epoch " + throughEpoch + " is outside 1.." + epochs() + " (epochs are numbered from 1)");
        }
        double best = Double.POSITIVE_INFINITY;
        for (int e = 1; e <= throughEpoch; e++) {
            best = Math.min(best, trainLoss(e));
        }
        return best;
    }

    /** A copy of every epoch's training loss; index {@code i} holds epoch {@code i + 1}. */
    default double[] trainLosses() {
        double[] out = new double[epochs()];
        for (int i = 0; i < out.length; i++) {
            out[i] = trainLoss(i + 1);
        }
        return out;
    }

    /**
     * A fixed history with the given losses (the first is epoch 1), to test or replay stop
     * conditions without training.
     */
    static TrainingHistory of(double... trainLosses) {
        Objects.requireNonNull(trainLosses, "trainLosses is null");
        double[] losses = trainLosses.clone();
        return new TrainingHistory() {
            @Override
            public int epochs() {
                return losses.length;
            }

            @Override
            public double trainLoss(int epoch) {
                if (epoch < 1 || epoch > losses.length) {
                    throw new IndexOutOfBoundsException(
                            "epoch " + epoch + " is outside 1.." + losses.length + " (epochs are numbered from 1)");
                }
                return losses[epoch - 1];
            }

            @Override
            public String toString() {
                return "TrainingHistory" + java.util.Arrays.toString(losses);
            }
        };
    }
}
