package dev.chainrule.io;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a training run stood when a checkpoint was written: what {@code Trainer.resumeFrom}
 * needs, beyond the parameters, to continue the run as if it had never stopped. The trainer
 * derives every random stream from {@code (seed, epoch)} and every learning rate from the
 * schedule and the epoch, and its stop conditions read nothing but the history; so the completed
 * epoch count, the seed and the history are enough to continue exactly. With
 * {@code Trainer.restoreBest} the state also holds the best parameters so far, which a resumed
 * run may still have to restore at its end.
 *
 * <p>Immutable; arrays are copied in and out. A checkpoint written by an older chainrule (section
 * {@code TRAI} version 1) has only the fields of the seven-argument constructor: its learning
 * rates, validation history, metrics and best parameters are empty.
 */
public final class TrainingState {

    private final int epoch;
    private final long seed;
    private final int batchSize;
    private final int threads;
    private final double learningRate;
    private final boolean shuffle;
    private final double[] trainLoss;
    private final double[] learningRates;
    private final String validation;
    private final double[] validationLoss;
    private final String task;
    private final Map<String, double[]> metrics;
    private final Best best;

    /**
     * The best parameters of a run so far, as {@code Trainer.restoreBest} keeps them.
     *
     * @param monitor which loss decided "best": the name of a {@code Monitor} constant
     * @param epoch the epoch whose parameters these are, numbered from 1
     * @param value the monitored loss of that epoch
     * @param parameters the parameters at the end of that epoch, in the public order
     */
    public record Best(String monitor, int epoch, double value, double[] parameters) {

        /** Checks and copies. */
        public Best {
            Objects.requireNonNull(monitor, "monitor");
            Objects.requireNonNull(parameters, "parameters");
            if (monitor.isEmpty() || epoch < 1) {
                throw new IllegalArgumentException("best parameters need a monitor name and an epoch of at least 1");
            }
            parameters = parameters.clone();
        }

        /** A copy of the parameters. */
        @Override
        public double[] parameters() {
            return parameters.clone();
        }

        /** Compares the parameters by value. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Best b && monitor.equals(b.monitor) && epoch == b.epoch
                    && Double.compare(value, b.value) == 0 && Arrays.equals(parameters, b.parameters);
        }

        @Override
        public int hashCode() {
            return Objects.hash(monitor, epoch, value, Arrays.hashCode(parameters));
        }

        @Override
        public String toString() {
            return "Best(" + monitor + ", epoch " + epoch + ", " + value + ", " + parameters.length + " parameters)";
        }
    }

    /**
     * A state with the loss history only, as version 1 checkpoints hold it.
     *
     * @param epoch the number of completed epochs (the next one to run is {@code epoch + 1})
     * @param seed the trainer's seed
     * @param batchSize the batch size of the run, stored so a resumed run can check it repeats
     * @param threads the number of threads that shared each batch ({@code Trainer.threads}); a
     *     different count rounds differently, so it is stored and checked too
     * @param learningRate the learning rate of the last completed epoch
     * @param shuffle whether the run shuffled its rows each epoch
     * @param trainLoss the training loss of each completed epoch, {@code epoch} values
     * @throws IllegalArgumentException if {@code epoch} is negative, {@code batchSize} or
     *     {@code threads} is below 1, the learning rate is not finite and not negative, or there
     *     is not one loss per epoch
     */
    public TrainingState(int epoch, long seed, int batchSize, int threads, double learningRate, boolean shuffle,
            double[] trainLoss) {
        this(new Builder(epoch, seed, batchSize, threads, learningRate, shuffle, trainLoss));
    }

    private TrainingState(Builder b) {
        Objects.requireNonNull(b.trainLoss, "trainLoss");
        if (b.epoch < 0) {
            throw new IllegalArgumentException("epoch is " + b.epoch + ", must not be negative");
        }
        if (b.batchSize < 1) {
            throw new IllegalArgumentException("batchSize is " + b.batchSize + ", must be at least 1");
        }
        if (b.threads < 1) {
            throw new IllegalArgumentException("threads is " + b.threads + ", must be at least 1");
        }
        if (!(b.learningRate >= 0.0 && Double.isFinite(b.learningRate))) {
            throw new IllegalArgumentException("learningRate is " + b.learningRate
                    + ", must be finite and not negative");
        }
        requirePerEpoch(b.trainLoss, b.epoch, "trainLoss", false);
        requirePerEpoch(b.learningRates, b.epoch, "learningRates", true);
        requirePerEpoch(b.validationLoss, b.epoch, "validationLoss", true);
        for (Map.Entry<String, double[]> m : b.metrics.entrySet()) {
            if (m.getKey().isEmpty()) {
                throw new IllegalArgumentException("a metric needs a name");
            }
            requirePerEpoch(m.getValue(), b.epoch, "metric " + m.getKey(), false);
        }
        if (b.best != null && b.best.epoch() > b.epoch) {
            throw new IllegalArgumentException("the best epoch " + b.best.epoch() + " is after the last completed one, "
                    + b.epoch);
        }
        epoch = b.epoch;
        seed = b.seed;
        batchSize = b.batchSize;
        threads = b.threads;
        learningRate = b.learningRate;
        shuffle = b.shuffle;
        trainLoss = b.trainLoss.clone();
        learningRates = b.learningRates.clone();
        validation = b.validation;
        validationLoss = b.validationLoss.clone();
        task = b.task;
        Map<String, double[]> m = new LinkedHashMap<>();
        b.metrics.forEach((k, v) -> m.put(k, v.clone()));
        metrics = m;
        best = b.best;
    }

    private static void requirePerEpoch(double[] values, int epoch, String name, boolean mayBeEmpty) {
        if (values.length != epoch && !(mayBeEmpty && values.length == 0)) {
            throw new IllegalArgumentException(name + " has " + values.length + " values, expected one per"
                    + " completed epoch (" + epoch + ")" + (mayBeEmpty ? " or none" : ""));
        }
    }

    /**
     * Starts a state with the fields of the seven-argument constructor; the builder adds the
     * rest of the history.
     */
    public static Builder builder(int epoch, long seed, int batchSize, int threads, double learningRate,
            boolean shuffle, double[] trainLoss) {
        return new Builder(epoch, seed, batchSize, threads, learningRate, shuffle, trainLoss);
    }

    /** The number of completed epochs (the next one to run is {@code epoch + 1}). */
    public int epoch() {
        return epoch;
    }

    /** The trainer's seed. */
    public long seed() {
        return seed;
    }

    /** The batch size of the run. */
    public int batchSize() {
        return batchSize;
    }

    /** The number of threads that shared each batch. */
    public int threads() {
        return threads;
    }

    /** The learning rate of the last completed epoch. */
    public double learningRate() {
        return learningRate;
    }

    /** Whether the run shuffled its rows each epoch. */
    public boolean shuffle() {
        return shuffle;
    }

    /** A copy of the training loss of each completed epoch; index {@code i} holds epoch {@code i + 1}. */
    public double[] trainLoss() {
        return trainLoss.clone();
    }

    /** A copy of the learning rate of each completed epoch, or empty if not recorded (version 1). */
    public double[] learningRates() {
        return learningRates.clone();
    }

    /**
     * How the run validated, in words ({@code "split 0.2 with seed 7, stratified"}), so that a
     * resumed run can warn when it validates differently; empty without validation.
     */
    public String validation() {
        return validation;
    }

    /** A copy of the validation loss of each completed epoch, or empty without validation. */
    public double[] validationLoss() {
        return validationLoss.clone();
    }

    /** The name of the run's metrics task ({@code "CLASSIFICATION"}, ...), or empty if not recorded. */
    public String task() {
        return task;
    }

    /**
     * The names of the recorded metric series, in order: a metric's short name for the training
     * batches ({@code "accuracy"}) and with {@code val_} for the validation data.
     */
    public List<String> metricNames() {
        return List.copyOf(metrics.keySet());
    }

    /** A copy of one metric series, one value per completed epoch, if recorded. */
    public Optional<double[]> metric(String name) {
        double[] v = metrics.get(name);
        return v == null ? Optional.empty() : Optional.of(v.clone());
    }

    /** The best parameters so far, for a run with {@code Trainer.restoreBest}. */
    public Optional<Best> best() {
        return Optional.ofNullable(best);
    }

    /** Compares every field, arrays by value. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TrainingState s)) {
            return false;
        }
        if (metrics.size() != s.metrics.size() || !metrics.keySet().equals(s.metrics.keySet())) {
            return false;
        }
        for (Map.Entry<String, double[]> m : metrics.entrySet()) {
            if (!Arrays.equals(m.getValue(), s.metrics.get(m.getKey()))) {
                return false;
            }
        }
        return epoch == s.epoch && seed == s.seed && batchSize == s.batchSize && threads == s.threads
                && Double.compare(learningRate, s.learningRate) == 0 && shuffle == s.shuffle
                && Arrays.equals(trainLoss, s.trainLoss) && Arrays.equals(learningRates, s.learningRates)
                && validation.equals(s.validation) && Arrays.equals(validationLoss, s.validationLoss)
                && task.equals(s.task) && Objects.equals(best, s.best);
    }

    @Override
    public int hashCode() {
        return Objects.hash(epoch, seed, batchSize, threads, learningRate, shuffle, Arrays.hashCode(trainLoss),
                validation, task, best);
    }

    /** The epoch, seed and settings, without the histories. */
    @Override
    public String toString() {
        return "TrainingState(epoch " + epoch + ", seed " + seed + ", batch size " + batchSize + ", threads " + threads
                + ", learning rate " + learningRate + ", shuffle " + shuffle
                + (validation.isEmpty() ? "" : ", validation " + validation)
                + (best != null ? ", best epoch " + best.epoch() : "") + ")";
    }

    /** Builds a {@link TrainingState}; see {@link TrainingState#builder}. */
    public static final class Builder {
        private final int epoch;
        private final long seed;
        private final int batchSize;
        private final int threads;
        private final double learningRate;
        private final boolean shuffle;
        private final double[] trainLoss;
        private double[] learningRates = new double[0];
        private String validation = "";
        private double[] validationLoss = new double[0];
        private String task = "";
        private final Map<String, double[]> metrics = new LinkedHashMap<>();
        private Best best;

        private Builder(int epoch, long seed, int batchSize, int threads, double learningRate, boolean shuffle,
                double[] trainLoss) {
            this.epoch = epoch;
            this.seed = seed;
            this.batchSize = batchSize;
            this.threads = threads;
            this.learningRate = learningRate;
            this.shuffle = shuffle;
            this.trainLoss = trainLoss;
        }

        /** The learning rate of each completed epoch. */
        public Builder learningRates(double[] rates) {
            this.learningRates = Objects.requireNonNull(rates, "rates");
            return this;
        }

        /** How the run validates (in words, see {@link TrainingState#validation()}) and its validation losses. */
        public Builder validation(String setting, double[] losses) {
            this.validation = Objects.requireNonNull(setting, "setting");
            this.validationLoss = Objects.requireNonNull(losses, "losses");
            return this;
        }

        /** The name of the run's metrics task. */
        public Builder task(String task) {
            this.task = Objects.requireNonNull(task, "task");
            return this;
        }

        /** Adds a metric series, one value per completed epoch. */
        public Builder metric(String name, double[] values) {
            metrics.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(values, "values"));
            return this;
        }

        /** The best parameters so far. */
        public Builder best(Best best) {
            this.best = best;
            return this;
        }

        /**
         * The state.
         *
         * @throws IllegalArgumentException if a history does not have one value per completed
         *     epoch, or a value is out of range (see the seven-argument constructor)
         */
        public TrainingState build() {
            return new TrainingState(this);
        }
    }
}
