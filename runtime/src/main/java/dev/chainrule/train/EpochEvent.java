package dev.chainrule.train;

import java.time.Duration;
import java.util.Objects;

/**
 * What an {@link EpochListener} learns after each epoch.
 *
 * @param epoch the epoch just completed, numbered from 1
 * @param epochs the epoch budget of the run ({@link Trainer#epochs(int)}); the run may stop earlier
 * @param trainLoss the epoch's training loss, the sample-weighted mean of its mini-batch losses
 * @param learningRate the learning rate used during the epoch
 * @param elapsed the time since {@link Trainer#fit} started
 */
public record EpochEvent(int epoch, int epochs, double trainLoss, double learningRate, Duration elapsed) {

    /** Checks the event's invariants, so listeners can rely on them. */
    public EpochEvent {
        if (epoch < 1 || epoch > epochs) {
            throw new IllegalArgumentException("epoch " + epoch + " is outside 1.." + epochs);
        }
        Objects.requireNonNull(elapsed, "elapsed");
    }
}
