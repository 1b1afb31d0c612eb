package dev.chainrule.train;

import dev.chainrule.metrics.Evaluation;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What an {@link EpochListener} learns after each epoch, and how it can end training:
 * {@link #requestStop(String)}.
 *
 * <pre>{@code
 * .listener(e -> {
 *     System.out.println(e.epoch() + " " + e.trainLoss() + " " + e.validationLoss() + " " + e.learningRate());
 *     if (e.validation().map(Evaluation::accuracy).orElse(0.0) >= 0.98) {
 *         e.requestStop("validation accuracy reached 98%");
 *     }
 * })
 * }</pre>
 *
 * <p>Everything but the stop request is fixed when the event is made.
 */
public final class EpochEvent {

    private final int epoch;
    private final int epochs;
    private final double trainLoss;
    private final double learningRate;
    private final Duration elapsed;
    private final Evaluation training;
    private final Evaluation validation;
    private String stopRequest;

    /**
     * An event without metrics or validation, for tests of listeners.
     *
     * @throws IllegalArgumentException unless {@code 1 <= epoch <= epochs}
     */
    public EpochEvent(int epoch, int epochs, double trainLoss, double learningRate, Duration elapsed) {
        this(epoch, epochs, trainLoss, learningRate, elapsed, null, null);
    }

    /**
     * An event with the epoch's metrics.
     *
     * @param epoch the epoch just completed, numbered from 1
     * @param epochs the epoch budget of the run ({@link Trainer#epochs(int)}); the run may stop
     *     earlier
     * @param trainLoss the epoch's training loss, the sample-weighted mean of its mini-batch losses
     * @param learningRate the learning rate used during the epoch
     * @param elapsed the time since {@link Trainer#fit} started
     * @param training the metrics of the epoch's training batches, or null
     * @param validation the loss and metrics on the validation data, or null without validation
     * @throws IllegalArgumentException unless {@code 1 <= epoch <= epochs}
     */
    public EpochEvent(int epoch, int epochs, double trainLoss, double learningRate, Duration elapsed,
            Evaluation training, Evaluation validation) {
        if (epoch < 1 || epoch > epochs) {
            throw new IllegalArgumentException("epoch " + epoch + " is outside 1.." + epochs);
        }
        this.epoch = epoch;
        this.epochs = epochs;
        this.trainLoss = trainLoss;
        this.learningRate = learningRate;
        this.elapsed = Objects.requireNonNull(elapsed, "elapsed");
        this.training = training;
        this.validation = validation;
    }

    /** The epoch just completed, numbered from 1. */
    public int epoch() {
        return epoch;
    }

    /** The epoch budget of the run ({@link Trainer#epochs(int)}); the run may stop earlier. */
    public int epochs() {
        return epochs;
    }

    /** The epoch's training loss, the sample-weighted mean of its mini-batch losses. */
    public double trainLoss() {
        return trainLoss;
    }

    /** The learning rate used during the epoch (the schedule's rate for it). */
    public double learningRate() {
        return learningRate;
    }

    /** The time since {@link Trainer#fit} started. */
    public Duration elapsed() {
        return elapsed;
    }

    /**
     * The metrics of the epoch's training batches (accuracy, or MAE/RMSE/R²; see
     * {@link dev.chainrule.metrics.Task}), measured from each batch's outputs as it trained, so
     * while the parameters changed, as Keras reports them; its {@link Evaluation#loss()} is
     * {@link #trainLoss()}. Empty only for events made without metrics.
     */
    public Optional<Evaluation> training() {
        return Optional.ofNullable(training);
    }

    /**
     * The loss and metrics on the validation data with the parameters at the end of the epoch,
     * or empty when the run has no validation data.
     */
    public Optional<Evaluation> validation() {
        return Optional.ofNullable(validation);
    }

    /** The validation loss, or empty when the run has no validation data. */
    public OptionalDouble validationLoss() {
        return validation == null ? OptionalDouble.empty() : OptionalDouble.of(validation.loss());
    }

    /**
     * Asks the trainer to stop after this epoch, with {@code reason} as the result's
     * {@link TrainingResult#stopReason()}. The stop is clean: the epoch's parameters stay (or the
     * best are restored, with {@link Trainer#restoreBest}), the remaining listeners still hear
     * this epoch, the stop conditions are not asked, and {@link EpochListener#onFinish} runs. When
     * several listeners ask, the first reason wins.
     */
    public void requestStop(String reason) {
        Objects.requireNonNull(reason, "reason is null");
        if (stopRequest == null) {
            stopRequest = reason;
        }
    }

    /** The reason of the first {@link #requestStop} call, or empty if no listener asked to stop. */
    public Optional<String> stopRequest() {
        return Optional.ofNullable(stopRequest);
    }

    /** The epoch and its numbers, for logs. */
    @Override
    public String toString() {
        return "EpochEvent(epoch " + epoch + "/" + epochs + ", loss " + Format.number(trainLoss)
                + (validation != null ? ", validation loss " + Format.number(validation.loss()) : "")
                + ", learning rate " + Format.number(learningRate) + ", " + Format.seconds(elapsed) + ")";
    }
}
