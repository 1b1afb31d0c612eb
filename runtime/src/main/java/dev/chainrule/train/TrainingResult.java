package dev.chainrule.train;

import dev.chainrule.metrics.Metric;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What a {@link Trainer#fit} run did: the loss, learning rate and metrics of every completed
 * epoch, and why it stopped (Keras's {@code History}). The trained parameters themselves are in
 * the network.
 */
public final class TrainingResult {

    private final double[] trainLoss;
    private final double[] validationLoss;
    private final double[] learningRates;
    private final List<Metric> metrics;
    private final Map<Metric, double[]> trainMetrics;
    private final Map<Metric, double[]> validationMetrics;
    private final int restoredEpoch;
    private final String stopReason;
    private final Duration elapsed;

    /**
     * Records a run. Public so that other trainers (distributed, resumed) can report the same way;
     * the arrays are copied. The result has no learning rates or metrics.
     *
     * @param trainLoss one training loss per completed epoch, the first for epoch 1
     * @param validationLoss one validation loss per completed epoch, or empty without validation
     * @param stopReason why the run stopped
     * @param elapsed the wall-clock time of the run
     */
    public TrainingResult(double[] trainLoss, double[] validationLoss, String stopReason, Duration elapsed) {
        this(trainLoss, validationLoss, new double[0], List.of(), Map.of(), Map.of(), 0, stopReason, elapsed);
    }

    /**
     * The full record, as the local trainer keeps it; public so that other trainers (the Spark
     * trainer) report the same way. Every array has one value per completed epoch (the validation
     * ones may be empty); the arrays are copied.
     *
     * @param metrics the metrics recorded per epoch, each a key of both maps (of
     *     {@code validationMetrics} only when the run validated)
     * @param restoredEpoch the epoch whose parameters the network got at the end, or 0
     */
    public TrainingResult(double[] trainLoss, double[] validationLoss, double[] learningRates, List<Metric> metrics,
            Map<Metric, double[]> trainMetrics, Map<Metric, double[]> validationMetrics, int restoredEpoch,
            String stopReason, Duration elapsed) {
        this.trainLoss = Objects.requireNonNull(trainLoss, "trainLoss").clone();
        this.validationLoss = Objects.requireNonNull(validationLoss, "validationLoss").clone();
        this.learningRates = learningRates.clone();
        this.metrics = List.copyOf(metrics);
        this.trainMetrics = copy(trainMetrics);
        this.validationMetrics = copy(validationMetrics);
        this.restoredEpoch = restoredEpoch;
        this.stopReason = Objects.requireNonNull(stopReason, "stopReason");
        this.elapsed = Objects.requireNonNull(elapsed, "elapsed");
        if (this.validationLoss.length != 0 && this.validationLoss.length != this.trainLoss.length) {
            throw new IllegalArgumentException("validationLoss has " + this.validationLoss.length
                    + " values, expected 0 or one per epoch (" + this.trainLoss.length + ")");
        }
    }

    private static Map<Metric, double[]> copy(Map<Metric, double[]> values) {
        Map<Metric, double[]> out = new EnumMap<>(Metric.class);
        values.forEach((k, v) -> out.put(k, v.clone()));
        return out;
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
     * validation data. An epoch before a resumed run started validating holds NaN.
     */
    public double[] validationLoss() {
        return validationLoss.clone();
    }

    /**
     * A copy of the learning rate of each completed epoch, as the schedule gave it; empty for a
     * result made with the public constructor.
     */
    public double[] learningRates() {
        return learningRates.clone();
    }

    /** The metrics recorded per epoch ({@code Task.metrics()} of the run), empty if none. */
    public List<Metric> metrics() {
        return metrics;
    }

    /**
     * A copy of one metric of each epoch's training batches, measured while the parameters
     * changed; see {@link EpochEvent#training()}.
     *
     * @throws IllegalArgumentException if the run did not record {@code metric} ({@link #metrics()})
     */
    public double[] trainMetric(Metric metric) {
        return lookup(trainMetrics, metric, "training").clone();
    }

    /**
     * A copy of one metric on the validation data after each epoch, or an empty array when the
     * run had no validation data.
     *
     * @throws IllegalArgumentException if the run did not record {@code metric} ({@link #metrics()})
     */
    public double[] validationMetric(Metric metric) {
        if (validationLoss.length == 0 && metrics.contains(metric)) {
            return new double[0];
        }
        return lookup(validationMetrics, metric, "validation").clone();
    }

    private double[] lookup(Map<Metric, double[]> values, Metric metric, String what) {
        Objects.requireNonNull(metric, "metric is null");
        double[] v = values.get(metric);
        if (v == null) {
            throw new IllegalArgumentException("the run recorded no " + what + " " + metric + "; it recorded "
                    + metrics);
        }
        return v;
    }

    /** The last completed epoch's training loss, or NaN if no epoch completed. */
    public double finalLoss() {
        return trainLoss.length == 0 ? Double.NaN : trainLoss[trainLoss.length - 1];
    }

    /**
     * The epoch whose parameters {@link Trainer#restoreBest} put back into the network when the
     * run ended, or empty if the network holds the parameters of the last step (restore-best was
     * off, or the last epoch was the best).
     */
    public OptionalInt restoredEpoch() {
        return restoredEpoch == 0 ? OptionalInt.empty() : OptionalInt.of(restoredEpoch);
    }

    /**
     * Why training stopped, for example {@code epoch budget of 500 reached},
     * {@code interrupted}, a {@link StopCondition}'s reason or a listener's
     * {@link EpochEvent#requestStop} reason.
     */
    public String stopReason() {
        return stopReason;
    }

    /** The wall-clock time of the run. */
    public Duration elapsed() {
        return elapsed;
    }

    /** One line for logs: epochs, final loss, validation loss, restored epoch, stop reason and time. */
    @Override
    public String toString() {
        return "TrainingResult(" + epochs() + (epochs() == 1 ? " epoch" : " epochs")
                + ", final loss " + Format.number(finalLoss())
                + (validationLoss.length > 0 ? ", final validation loss "
                        + Format.number(validationLoss[validationLoss.length - 1]) : "")
                + (restoredEpoch > 0 ? ", restored epoch " + restoredEpoch : "")
                + ", stopped: " + stopReason + ", " + Format.seconds(elapsed) + ")";
    }
}
