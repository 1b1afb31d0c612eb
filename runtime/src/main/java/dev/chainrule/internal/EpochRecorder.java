package dev.chainrule.internal;

import dev.chainrule.metrics.Evaluation;
import dev.chainrule.metrics.Metric;
import dev.chainrule.train.TrainingHistory;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The history of one training run, as stop conditions see it and as the result and checkpoints
 * record it: kept by the local {@code Trainer} and by the Spark module's trainer alike. Every
 * series grows by doubling, so a huge epoch budget costs nothing up front. Not API for users.
 */
public final class EpochRecorder implements TrainingHistory {

    /** A growable array of doubles. */
    private static final class Series {
        private double[] values;
        private int count;

        Series(int capacity) {
            values = new double[Math.max(capacity, 1)];
        }

        void add(double v) {
            if (count == values.length) {
                values = Arrays.copyOf(values, (int) Math.min(Integer.MAX_VALUE - 8L, 2L * values.length));
            }
            values[count++] = v;
        }

        double get(int i) {
            return values[i];
        }

        double[] toArray() {
            return Arrays.copyOf(values, count);
        }
    }

    private final long startNanos;
    private final List<Metric> metrics;
    private final boolean validating;
    private final Series trainLoss;
    private final Series bestTrainLoss;
    private final Series learningRates;
    private final Series validationLoss;
    private final Series bestValidationLoss;
    private final Map<Metric, Series> trainMetrics = new EnumMap<>(Metric.class);
    private final Map<Metric, Series> validationMetrics = new EnumMap<>(Metric.class);
    private int count;

    public EpochRecorder(int capacity, List<Metric> metrics, boolean validating, long startNanos) {
        this.startNanos = startNanos;
        this.metrics = List.copyOf(metrics);
        this.validating = validating;
        trainLoss = new Series(capacity);
        bestTrainLoss = new Series(capacity);
        learningRates = new Series(capacity);
        validationLoss = new Series(validating ? capacity : 1);
        bestValidationLoss = new Series(validating ? capacity : 1);
        for (Metric m : metrics) {
            trainMetrics.put(m, new Series(capacity));
            if (validating) {
                validationMetrics.put(m, new Series(capacity));
            }
        }
    }

    /**
     * Records a completed epoch. {@code training} is null where the training metrics were not
     * measured (they are recorded as NaN), {@code validation} for a run without validation.
     */
    public void add(double loss, double learningRate, Evaluation training, Evaluation validation) {
        double[] train = new double[metrics.size()];
        double[] val = new double[metrics.size()];
        for (int i = 0; i < train.length; i++) {
            Metric m = metrics.get(i);
            train[i] = training == null ? Double.NaN : training.metric(m);
            val[i] = validation == null ? Double.NaN : validation.metric(m);
        }
        add(loss, learningRate, validation == null ? Double.NaN : validation.loss(), train, val);
    }

    /** Records an epoch from its numbers (a checkpoint's epochs); NaN where a value is unknown. */
    public void add(double loss, double learningRate, double validation, double[] train, double[] val) {
        trainLoss.add(loss);
        bestTrainLoss.add(count == 0 ? loss : Math.min(bestTrainLoss.get(count - 1), loss));
        learningRates.add(learningRate);
        for (int i = 0; i < metrics.size(); i++) {
            trainMetrics.get(metrics.get(i)).add(train[i]);
        }
        if (validating) {
            validationLoss.add(validation);
            double before = count == 0 ? Double.NaN : bestValidationLoss.get(count - 1);
            bestValidationLoss.add(Double.isNaN(validation) || validation >= before ? before : validation);
            for (int i = 0; i < metrics.size(); i++) {
                validationMetrics.get(metrics.get(i)).add(val[i]);
            }
        }
        count++;
    }

    @Override
    public int epochs() {
        return count;
    }

    @Override
    public double trainLoss(int epoch) {
        check(epoch);
        return trainLoss.get(epoch - 1);
    }

    @Override
    public double bestTrainLoss(int throughEpoch) {
        check(throughEpoch);
        return bestTrainLoss.get(throughEpoch - 1);
    }

    @Override
    public double[] trainLosses() {
        return trainLoss.toArray();
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
    public double bestValidationLoss(int throughEpoch) {
        if (!validating) {
            return TrainingHistory.super.bestValidationLoss(throughEpoch);
        }
        check(throughEpoch);
        return bestValidationLoss.get(throughEpoch - 1);
    }

    @Override
    public double[] validationLosses() {
        return validating ? validationLoss.toArray() : new double[0];
    }

    @Override
    public double learningRate(int epoch) {
        check(epoch);
        return learningRates.get(epoch - 1);
    }

    public double[] learningRates() {
        return learningRates.toArray();
    }

    public List<Metric> metrics() {
        return metrics;
    }

    public Map<Metric, double[]> trainMetrics() {
        Map<Metric, double[]> out = new EnumMap<>(Metric.class);
        trainMetrics.forEach((m, s) -> out.put(m, s.toArray()));
        return out;
    }

    public Map<Metric, double[]> validationMetrics() {
        Map<Metric, double[]> out = new EnumMap<>(Metric.class);
        validationMetrics.forEach((m, s) -> out.put(m, s.toArray()));
        return out;
    }

    @Override
    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private void check(int epoch) {
        if (epoch < 1 || epoch > count) {
            throw new IndexOutOfBoundsException(
                    "epoch " + epoch + " is outside 1.." + count + " (epochs are numbered from 1)");
        }
    }
}
