package dev.chainrule.train;

import dev.chainrule.metrics.Task;
import java.util.Objects;

/**
 * What {@link EpochListener#onStart} learns about the run before its first epoch: enough to draw
 * a progress bar and label the metrics.
 *
 * @param firstEpoch the first epoch this call runs: 1, or the epoch after a checkpoint's
 * @param epochs the epoch budget ({@link Trainer#epochs(int)}); the run may stop earlier
 * @param trainingRows the rows trained on per epoch (after a validation split)
 * @param batchesPerEpoch the mini-batch steps of each epoch, the last one maybe partial
 * @param validationRows the rows validated on after each epoch, 0 without validation
 * @param task what the outputs mean, which decides the metrics reported
 */
public record TrainingStart(int firstEpoch, int epochs, int trainingRows, int batchesPerEpoch, int validationRows,
        Task task) {

    /** Checks the numbers. */
    public TrainingStart {
        Objects.requireNonNull(task, "task");
        if (firstEpoch < 1 || epochs < 1 || trainingRows < 1 || batchesPerEpoch < 1 || validationRows < 0) {
            throw new IllegalArgumentException("invalid start: " + firstEpoch + ", " + epochs + ", " + trainingRows
                    + ", " + batchesPerEpoch + ", " + validationRows);
        }
    }

    /** Whether the run measures a validation loss after each epoch. */
    public boolean hasValidation() {
        return validationRows > 0;
    }
}
