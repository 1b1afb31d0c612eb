package dev.chainrule.train;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link Trainer#fit} run did: the loss of every completed epoch and why it stopped. The
 * trained parameters themselves are in the network.
 */
public final class TrainingResult {

    private final double[] trainLoss;
    private final double[] validationLoss;
    private final String stopReason;
    private final Duration elapsed;

    /**
     * Records a run. Public so that other trainers (distributed, resumed) can report the same way;
     * the arrays are copied.
     *
     * @param trainLoss one training loss per completed epoch, the first for epoch 1
     * @param validationLoss one validation loss per completed epoch, or empty without validation
     * @param stopReason why the run stopped
     * @param elapsed the wall-clock time of the run
     */
    public TrainingResult(double[] trainLoss, double[] validationLoss, String stopReason, Duration elapsed) {
        this.trainLoss = Objects.requireNonNull(trainLoss, "trainLoss").clone();
        this.validationLoss = Objects.requireNonNull(validationLoss, "validationLoss").clone();
        this.stopReason = Objects.requireNonNull(stopReason, "stopReason");
        this.elapsed = Objects.requireNonNull(elapsed, "elapsed");
        if (this.validationLoss.length != 0 && this.validationLoss.length != this.trainLoss.length) {
            throw new IllegalArgumentException("validationLoss has " + this.validationLoss.length
                    + " values, expected 0 or one per epoch (" + this.trainLoss.length + ")");
        }
    }

    /** The number of epochs completed; an epoch cut short by an interrupt does not count. */
    public int epochs() {
        return trainLoss.length;
    }

    /** A copy of the training loss of each completed epoch; index {@code i} holds epoch {@code i + 1}. */
    public double[] trainLoss() {
        return trainLoss.clone();
    }

    /**
     * A copy of the validation loss of each completed epoch, or an empty array when the run had no
     * validation data (always, until validation is supported).
     */
    public double[] validationLoss() {
        return validationLoss.clone();
    }

    /** The last completed epoch's training loss, or NaN if no epoch completed. */
    public double finalLoss() {
        return trainLoss.length == 0 ? Double.NaN : trainLoss[trainLoss.length - 1];
    }

    /**
     * Why training stopped, for example {@code epoch budget of 500 reached},
     * {@code interrupted}, or a {@link StopCondition}'s reason.
     */
    public String stopReason() {
        return stopReason;
    }

    /** The wall-clock time of the run. */
    public Duration elapsed() {
        return elapsed;
    }

    /** One line for logs: epochs, final loss, stop reason and time. */
    @Override
    public String toString() {
        return "TrainingResult(" + epochs() + (epochs() == 1 ? " epoch" : " epochs")
                + ", final loss " + Format.number(finalLoss())
                + ", stopped: " + stopReason + ", " + Format.seconds(elapsed) + ")";
    }
}
