package dev.chainrule.train;

import java.time.Duration;
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
     * Whether the run measures a validation loss each epoch ({@link Trainer#validation} or
     * {@link Trainer#validationSplit}). False by default.
     */
    default boolean hasValidation() {
        return false;
    }

    /**
     * The validation loss of epoch {@code epoch} (numbered from 1): the network's loss on the
     * validation rows with the parameters at the end of that epoch.
     *
     * @throws IllegalStateException if the run has no validation ({@link #hasValidation()})
     * @throws IndexOutOfBoundsException unless {@code 1 <= epoch <= epochs()}
     */
    default double validationLoss(int epoch) {
        throw noValidation();
    }

    /**
     * The lowest validation loss of epochs {@code 1..throughEpoch}; NaN losses are skipped (NaN
     * if every one is NaN).
     *
     * @throws IllegalStateException if the run has no validation
     * @throws IndexOutOfBoundsException unless {@code 1 <= throughEpoch <= epochs()}
     */
    default double bestValidationLoss(int throughEpoch) {
        if (!hasValidation()) {
            throw noValidation();
        }
        if (throughEpoch < 1 || throughEpoch > epochs()) {
            throw new IndexOutOfBoundsException(
                    "epoch " + throughEpoch + " is outside 1.." + epochs() + " (epochs are numbered from 1)");
        }
        double best = Double.NaN;
        for (int e = 1; e <= throughEpoch; e++) {
            double v = validationLoss(e);
            if (!Double.isNaN(v) && !(v >= best)) {
                best = v;
            }
        }
        return best;
    }

    /** A copy of every epoch's validation loss, or an empty array without validation. */
    default double[] validationLosses() {
        if (!hasValidation()) {
            return new double[0];
        }
        double[] out = new double[epochs()];
        for (int i = 0; i < out.length; i++) {
            out[i] = validationLoss(i + 1);
        }
        return out;
    }

    /**
     * The learning rate of epoch {@code epoch} (numbered from 1), as the schedule gave it.
     *
     * @throws UnsupportedOperationException if this history does not record learning rates (the
     *     fixed histories of {@link #of(double...)} do not)
     * @throws IndexOutOfBoundsException unless {@code 1 <= epoch <= epochs()}
     */
    default double learningRate(int epoch) {
        throw new UnsupportedOperationException("this history does not record learning rates");
    }

    /**
     * The time since {@link Trainer#fit} started (this call: a resumed run counts from its own
     * start). {@link Duration#ZERO} for a fixed history.
     */
    default Duration elapsed() {
        return Duration.ZERO;
    }

    private IllegalStateException noValidation() {
        return new IllegalStateException("this run has no validation loss: give the trainer validation data with"
                + " Trainer.validation(dataset) or Trainer.validationSplit(fraction, seed)");
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

    /**
     * A fixed history with training and validation losses, one each per epoch (the first is
     * epoch 1), to test or replay stop conditions that watch the validation loss.
     *
     * @throws IllegalArgumentException if the arrays differ in length
     */
    static TrainingHistory of(double[] trainLosses, double[] validationLosses) {
        Objects.requireNonNull(validationLosses, "validationLosses is null");
        TrainingHistory train = of(trainLosses);
        double[] validation = validationLosses.clone();
        if (validation.length != train.epochs()) {
            throw new IllegalArgumentException(validation.length + " validation losses for " + train.epochs()
                    + " epochs; give one per epoch");
        }
        return new TrainingHistory() {
            @Override
            public int epochs() {
                return train.epochs();
            }

            @Override
            public double trainLoss(int epoch) {
                return train.trainLoss(epoch);
            }

            @Override
            public boolean hasValidation() {
                return true;
            }

            @Override
            public double validationLoss(int epoch) {
                train.trainLoss(epoch); // checks the range
                return validation[epoch - 1];
            }

            @Override
            public String toString() {
                return "TrainingHistory" + java.util.Arrays.toString(train.trainLosses()) + ", validation "
                        + java.util.Arrays.toString(validation);
            }
        };
    }
}
