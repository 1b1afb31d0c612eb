package dev.chainrule.spark;

import dev.chainrule.metrics.Evaluation;
import dev.chainrule.metrics.Metric;
import dev.chainrule.train.TrainingHistory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The record of one {@link SparkTrainer#fit} run: what stop conditions read, what checkpoints
 * and the result hold. The same record the local trainer keeps, so the runtime's
 * {@code Convergence} rules work unchanged.
 */
final class History implements TrainingHistory {

    private final long startNanos;
    private final boolean validating;
    private final List<Metric> metrics;
    private final List<Double> trainLoss = new ArrayList<>();
    private final List<Double> learningRates = new ArrayList<>();
    private final List<Double> validationLoss = new ArrayList<>();
    private final Map<Metric, List<Double>> validationMetrics = new EnumMap<>(Metric.class);

    History(long startNanos, boolean validating, List<Metric> metrics) {
        this.startNanos = startNanos;
        this.validating = validating;
        this.metrics = List.copyOf(metrics);
        for (Metric m : metrics) {
            validationMetrics.put(m, new ArrayList<>());
        }
    }

    /** Records a completed epoch; {@code validation} is null for a run without validation. */
    void add(double loss, double learningRate, Evaluation validation) {
        double[] values = new double[metrics.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = validation == null ? Double.NaN : validation.metric(metrics.get(i));
        }
        add(loss, learningRate, validation == null ? Double.NaN : validation.loss(), values);
    }

    /** Records an epoch from its numbers (a checkpoint's); NaN where unknown. */
    void add(double loss, double learningRate, double validation, double[] validationValues) {
        trainLoss.add(loss);
        learningRates.add(learningRate);
        if (validating) {
            validationLoss.add(validation);
            for (int i = 0; i < metrics.size(); i++) {
                validationMetrics.get(metrics.get(i)).add(validationValues[i]);
            }
        }
    }

    List<Metric> metrics() {
        return metrics;
    }

    @Override
    public int epochs() {
        return trainLoss.size();
    }

    @Override
    public double trainLoss(int epoch) {
        check(epoch);
        return trainLoss.get(epoch - 1);
    }

    @Override
    public boolean hasValidation() {
        return validating;
    }

    @Override
    public double validationLoss(int epoch) {
        if (!validating) {
            return TrainingHistory.super.validationLoss(epoch);
        }
        check(epoch);
        return validationLoss.get(epoch - 1);
    }

    @Override
    public double learningRate(int epoch) {
        check(epoch);
        return learningRates.get(epoch - 1);
    }

    @Override
    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    @Override
    public double[] trainLosses() {
        return toArray(trainLoss);
    }

    double[] learningRates() {
        return toArray(learningRates);
    }

    @Override
    public double[] validationLosses() {
        return validating ? toArray(validationLoss) : new double[0];
    }

    /** One validation metric per epoch. */
    double[] validationMetric(Metric metric) {
        return toArray(validationMetrics.get(metric));
    }

    /**
     * The training metrics, one NaN per epoch each: the cluster trainer measures no metrics on the
     * training batches (that would ship every output to the driver); validate to measure them.
     */
    Map<Metric, double[]> unmeasuredTrainMetrics() {
        Map<Metric, double[]> out = new EnumMap<>(Metric.class);
        for (Metric m : metrics) {
            double[] nan = new double[epochs()];
            java.util.Arrays.fill(nan, Double.NaN);
            out.put(m, nan);
        }
        return out;
    }

    Map<Metric, double[]> validationMetrics() {
        Map<Metric, double[]> out = new EnumMap<>(Metric.class);
        if (validating) {
            for (Metric m : metrics) {
                out.put(m, validationMetric(m));
            }
        }
        return out;
    }

    private static double[] toArray(List<Double> values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private void check(int epoch) {
        if (epoch < 1 || epoch > trainLoss.size()) {
            throw new IndexOutOfBoundsException(
                    "epoch " + epoch + " is outside 1.." + trainLoss.size() + " (epochs are numbered from 1)");
        }
    }
}
