package dev.chainrule.train;

import java.util.Objects;

/**
 * Which loss a rule watches: early stopping ({@link Convergence#noImprovement}) and keeping the
 * best parameters ({@link Trainer#restoreBest(Monitor)}).
 *
 * <p>Prefer {@link #VALIDATION_LOSS} when there is validation data: it is measured on the
 * parameters at the end of the epoch, on rows training does not see, so it shows overfitting. The
 * training loss is the mean over the epoch's batches while the parameters changed, so the
 * parameters at the end of an epoch are slightly better than its training loss says.
 */
public enum Monitor {
    /** The epoch's training loss ({@link TrainingHistory#trainLoss(int)}). */
    TRAINING_LOSS("training loss"),
    /**
     * The epoch's validation loss ({@link TrainingHistory#validationLoss(int)}); needs
     * {@link Trainer#validation} or {@link Trainer#validationSplit}.
     */
    VALIDATION_LOSS("validation loss");

    private final String label;

    Monitor(String label) {
        this.label = label;
    }

    /**
     * The watched loss of epoch {@code epoch} (numbered from 1).
     *
     * @throws IllegalStateException for {@link #VALIDATION_LOSS} if the history has no validation
     * @throws IndexOutOfBoundsException unless {@code 1 <= epoch <= history.epochs()}
     */
    public double value(TrainingHistory history, int epoch) {
        Objects.requireNonNull(history, "history is null");
        return this == TRAINING_LOSS ? history.trainLoss(epoch) : history.validationLoss(epoch);
    }

    /**
     * The lowest watched loss of epochs {@code 1..throughEpoch}.
     *
     * @throws IllegalStateException for {@link #VALIDATION_LOSS} if the history has no validation
     * @throws IndexOutOfBoundsException unless {@code 1 <= throughEpoch <= history.epochs()}
     */
    public double best(TrainingHistory history, int throughEpoch) {
        Objects.requireNonNull(history, "history is null");
        return this == TRAINING_LOSS ? history.bestTrainLoss(throughEpoch) : history.bestValidationLoss(throughEpoch);
    }

    /** {@code training loss} or {@code validation loss}, for messages. */
    public String label() {
        return label;
    }
}
