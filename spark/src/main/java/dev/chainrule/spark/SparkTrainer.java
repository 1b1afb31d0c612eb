package dev.chainrule.spark;

import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import dev.chainrule.UpdateSettings;
import dev.chainrule.data.Dataset;
import dev.chainrule.internal.EpochRecorder;
import dev.chainrule.io.ModelFile;
import dev.chainrule.io.TrainingState;
import dev.chainrule.metrics.Evaluation;
import dev.chainrule.metrics.Evaluator;
import dev.chainrule.metrics.Metric;
import dev.chainrule.metrics.Task;
import dev.chainrule.train.EpochEvent;
import dev.chainrule.train.EpochListener;
import dev.chainrule.train.LearningRateSchedule;
import dev.chainrule.train.Monitor;
import dev.chainrule.train.StopCondition;
import dev.chainrule.train.Trainer;
import dev.chainrule.train.TrainingDivergedException;
import dev.chainrule.train.TrainingResult;
import dev.chainrule.train.TrainingStart;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Trains a generated network on data held by Apache Spark, data-parallel, with the settings,
 * stop conditions, schedules, listeners and checkpoints of the local {@link Trainer}:
 *
 * <pre>{@code
 * IrisNetwork net = new IrisNetwork(42L);
 * TrainingResult r = SparkTrainer.of(net)
 *         .learningRate(0.1).batchSize(16).epochs(200).seed(7L)
 *         .stopWhen(Convergence.noSignificantImprovement(0.001, 20))
 *         .fit(rdd);                      // a JavaRDD<Sample>, or fit(frame) for a Dataset<Row>
 * }</pre>
 *
 * <p><b>Two ways to share the work.</b>
 * <ul>
 *   <li>{@linkplain #synchronous() Synchronous steps} (the default) are the local trainer's steps,
 *       computed by the cluster: for every mini-batch the driver broadcasts the parameters, each
 *       partition computes the gradient of its rows of the batch with the network's generated
 *       backward pass, {@code treeAggregate} sums the parts weighted by their share of the batch,
 *       and the driver applies the sum with the network's own update step. The epoch's batches are
 *       the local trainer's (the same seeded global shuffle), so the result equals
 *       {@code Trainer}'s up to rounding: the batch's gradient is summed in another order. One Spark
 *       job per mini-batch: worth it for large batches of expensive samples; with small batches
 *       the job's fixed cost (milliseconds) dominates.</li>
 *   <li>{@linkplain #parameterAveraging(int) Parameter averaging}: each partition trains its own
 *       copy on its own rows for {@code k} local mini-batch steps, then the driver averages the
 *       copies (weighted by the rows each trained on) and broadcasts the average for the next
 *       round. One job per {@code k} steps, so far less overhead and traffic, but the copies drift
 *       apart between averages: the result is not the local trainer's, and a large {@code k} with a
 *       large learning rate can learn more slowly per epoch or, on very uneven partitions, worse.
 *       Optimizer state (momentum, Adam's moments) is averaged with the parameters.</li>
 * </ul>
 *
 * <p><b>Networks on executors.</b> Only the network's class name and its parameters (and the
 * optimizer's state) travel: each executor thread rebuilds the network once with its public
 * no-argument constructor and then overwrites its parameters from the broadcast at the start of
 * every task. Networks need not be, and are not, {@code Serializable}. The class must be on the
 * executors' class path (the application jar).
 *
 * <p><b>Failures.</b> Tasks only read broadcasts and return sums; the driver changes the
 * network only after a job has returned completely. A task Spark retries (an executor lost, a
 * transient error) recomputes the same part from the same broadcast, so a retry cannot corrupt the
 * parameters; and the sums are formed order-independently ({@code Sum}), so the result of a run
 * with retries is bit for bit that of a run without. A job that fails for good (after
 * {@code spark.task.maxFailures} attempts) ends {@code fit} with Spark's exception, the network
 * keeping the parameters of its last completed step.
 *
 * <p><b>The data</b> is read once per {@code fit}, checked against the network (every row's
 * feature and target counts, finite values: a misfit is reported by row and partition before
 * training starts) and cached on the executors in the network's precision
 * ({@code MEMORY_AND_DISK}); the cache is released when {@code fit} returns. The RDD must give the
 * same rows in the same partitions when recomputed, as Spark's sources do.
 *
 * <p><b>What differs from the local trainer.</b> Metrics on the training batches are not measured
 * (they would need every output at the driver): {@link EpochEvent#training()} is empty and
 * {@link TrainingResult#trainMetric} holds NaN; validate ({@link #validation(Dataset)}, a dataset
 * on the driver) to measure loss and metrics after each epoch. There is no thread setting (Spark's
 * cores are the workers) and no validation split (split the RDD, or pass a validation dataset).
 *
 * <p>A trainer is a mutable builder on the driver, not safe for concurrent configuration;
 * {@code fit} may be called repeatedly and continues from the network's current parameters.
 */
public final class SparkTrainer {

    /** The golden-ratio increment the local trainer spreads epochs over the seed space with. */
    static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final Model model;
    private double learningRate = 0.01;
    private int batchSize = 32;
    private int epochs = 100;
    private long seed;
    private boolean seedSet;
    private boolean shuffle = true;
    private int localSteps; // 0: synchronous
    private int treeDepth = 2;
    private LearningRateSchedule schedule = LearningRateSchedule.constant();
    private StopCondition stopCondition;
    private final List<EpochListener> listeners = new ArrayList<>();
    private Dataset validation;
    private Monitor restoreBest;
    private boolean restoreBestAuto;
    private Task task;
    private UpdateSettings updateSettings;
    private double maxGradientNorm;
    private double dropoutRate = Double.NaN;
    private int checkpointEvery;
    private Path checkpointPath;
    private Path resumeFrom;
    private String featuresColumn = "features";
    private String targetsColumn = "label";

    private SparkTrainer(Model model) {
        this.model = model;
    }

    /** Starts configuring the training of {@code model}, with the defaults listed on each setter. */
    public static SparkTrainer of(Model model) {
        return new SparkTrainer(Objects.requireNonNull(model, "model is null"));
    }

    /**
     * Synchronous data-parallel steps, the default: every mini-batch's gradient is summed over the
     * partitions and applied once, so training follows the local trainer step for step. See the
     * class comment.
     */
    public SparkTrainer synchronous() {
        this.localSteps = 0;
        return this;
    }

    /**
     * Parameter averaging: each partition takes {@code localSteps} mini-batch steps of
     * {@link #batchSize} rows on its own rows, then the copies are averaged. An epoch still visits
     * every row once (each partition its own rows, in a fresh seeded order per epoch), in
     * {@code ceil(largest partition's batches / localSteps)} rounds. See the class comment for the
     * trade-off.
     *
     * @throws IllegalArgumentException if {@code localSteps < 1}
     */
    public SparkTrainer parameterAveraging(int localSteps) {
        if (localSteps < 1) {
            throw new IllegalArgumentException("local steps is " + localSteps + ", must be at least 1");
        }
        this.localSteps = localSteps;
        return this;
    }

    /**
     * The depth of Spark's {@code treeAggregate} that sums the partitions' parts; default 2. Deeper
     * trees relieve the driver when there are hundreds of partitions.
     *
     * @throws IllegalArgumentException if {@code depth < 1}
     */
    public SparkTrainer treeDepth(int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("tree depth is " + depth + ", must be at least 1");
        }
        this.treeDepth = depth;
        return this;
    }

    /** As {@link Trainer#learningRate(double)}; default 0.01. */
    public SparkTrainer learningRate(double learningRate) {
        if (!(learningRate > 0.0 && Double.isFinite(learningRate))) {
            throw new IllegalArgumentException("learning rate is " + learningRate + ", must be finite and positive");
        }
        this.learningRate = learningRate;
        return this;
    }

    /**
     * The rows per mini-batch; default 32. Synchronous: the global batch, shared by the partitions
     * that hold its rows. Parameter averaging: each partition's local batch.
     */
    public SparkTrainer batchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size is " + batchSize + ", must be at least 1");
        }
        this.batchSize = batchSize;
        return this;
    }

    /** As {@link Trainer#epochs(int)}: the epoch budget; default 100. */
    public SparkTrainer epochs(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs is " + epochs + ", must be at least 1");
        }
        this.epochs = epochs;
        return this;
    }

    /**
     * The seed of every random stream; default 0. Synchronous steps shuffle exactly as the local
     * trainer does ({@link Trainer#shuffle(boolean)}); parameter averaging shuffles each partition
     * with a stream derived from the epoch's and the partition's number.
     */
    public SparkTrainer seed(long seed) {
        this.seed = seed;
        this.seedSet = true;
        return this;
    }

    /** As {@link Trainer#shuffle(boolean)}; default true. */
    public SparkTrainer shuffle(boolean shuffle) {
        this.shuffle = shuffle;
        return this;
    }

    /** As {@link Trainer#schedule}; default constant. */
    public SparkTrainer schedule(LearningRateSchedule schedule) {
        this.schedule = Objects.requireNonNull(schedule, "schedule is null");
        return this;
    }

    /** As {@link Trainer#stopWhen}: several calls combine with {@link StopCondition#or}. */
    public SparkTrainer stopWhen(StopCondition condition) {
        Objects.requireNonNull(condition, "condition is null");
        stopCondition = stopCondition == null ? condition : stopCondition.or(condition);
        return this;
    }

    /**
     * As {@link Trainer#listener}. {@code onBatch} is called after every synchronous step, or after
     * every averaging round (numbered from 1 within the epoch); listeners run on the driver.
     */
    public SparkTrainer listener(EpochListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener is null"));
        return this;
    }

    /**
     * Measures loss and metrics on {@code validation} after every epoch, on the driver (so it should
     * fit there: a sample of the held-out data is usually enough); default none.
     */
    public SparkTrainer validation(Dataset validation) {
        this.validation = Objects.requireNonNull(validation, "validation is null");
        return this;
    }

    /** As {@link Trainer#restoreBest(boolean)}. */
    public SparkTrainer restoreBest(boolean restore) {
        this.restoreBest = null;
        this.restoreBestAuto = restore;
        return this;
    }

    /** As {@link Trainer#restoreBest(Monitor)}. */
    public SparkTrainer restoreBest(Monitor monitor) {
        this.restoreBest = Objects.requireNonNull(monitor, "monitor is null");
        this.restoreBestAuto = false;
        return this;
    }

    /** As {@link Trainer#metrics(Task)}: which validation metrics to measure. */
    public SparkTrainer metrics(Task task) {
        this.task = Objects.requireNonNull(task, "task is null");
        return this;
    }

    /** As {@link Trainer#updateSettings(UpdateSettings)}. */
    public SparkTrainer updateSettings(UpdateSettings settings) {
        this.updateSettings = Objects.requireNonNull(settings, "settings is null");
        return this;
    }

    /** The update settings the next {@link #fit} uses. */
    public UpdateSettings updateSettings() {
        return updateSettings != null ? updateSettings : UpdateSettings.defaults(model.optimizer());
    }

    /** As {@link Trainer#momentum(double)}. */
    public SparkTrainer momentum(double momentum) {
        return updateSettings(updateSettings().withMomentum(momentum));
    }

    /** As {@link Trainer#betas(double, double)}. */
    public SparkTrainer betas(double beta1, double beta2) {
        return updateSettings(updateSettings().withBetas(beta1, beta2));
    }

    /** As {@link Trainer#epsilon(double)}. */
    public SparkTrainer epsilon(double epsilon) {
        return updateSettings(updateSettings().withEpsilon(epsilon));
    }

    /** As {@link Trainer#weightDecay(double)}. */
    public SparkTrainer weightDecay(double weightDecay) {
        return updateSettings(updateSettings().withWeightDecay(weightDecay));
    }

    /** As {@link Trainer#clipGradientNorm}: synchronous steps clip the summed gradient, averaging each local one. */
    public SparkTrainer clipGradientNorm(double maxNorm) {
        if (!(maxNorm > 0.0 && Double.isFinite(maxNorm))) {
            throw new IllegalArgumentException("the largest gradient norm is " + maxNorm + ", must be finite and positive");
        }
        this.maxGradientNorm = maxNorm;
        return this;
    }

    /**
     * As {@link Trainer#dropout(double)}. Each partition draws its masks from a seed derived from
     * the batch's and its own number, so dropout runs do not equal the local trainer's.
     */
    public SparkTrainer dropout(double rate) {
        if (!(rate >= 0.0 && rate < 1.0)) {
            throw new IllegalArgumentException("dropout rate is " + rate + ", must be in [0, 1)");
        }
        this.dropoutRate = rate;
        return this;
    }

    /**
     * As {@link Trainer#checkpointEvery}: writes a checkpoint on the driver's file system after
     * every {@code epochs}-th epoch, in the model-file format; {@link #resumeFrom} (or the local
     * trainer's) continues it.
     */
    public SparkTrainer checkpointEvery(int epochs, Path path) {
        if (epochs < 1) {
            throw new IllegalArgumentException("checkpoint interval is " + epochs + " epochs, must be at least 1");
        }
        this.checkpointEvery = epochs;
        this.checkpointPath = Objects.requireNonNull(path, "path is null");
        return this;
    }

    /**
     * As {@link Trainer#resumeFrom}: the next {@code fit} continues the run saved in a checkpoint
     * (parameters, optimizer state, epoch, seed, history). The shuffles depend on the seed and the
     * epoch alone, so a resumed synchronous run takes the batches an uninterrupted one would.
     */
    public SparkTrainer resumeFrom(Path path) {
        this.resumeFrom = Objects.requireNonNull(path, "path is null");
        return this;
    }

    /**
     * The columns {@link #fit(org.apache.spark.sql.Dataset)} reads; default {@code features} and
     * {@code label}, Spark ML's names. Features: an array of numbers. Targets: an array of numbers
     * (one per output), or one number: the value for a one-output network, otherwise a class index
     * made one-hot.
     */
    public SparkTrainer columns(String features, String targets) {
        this.featuresColumn = Objects.requireNonNull(features, "features is null");
        this.targetsColumn = Objects.requireNonNull(targets, "targets is null");
        return this;
    }

    /**
     * Trains on a DataFrame's {@link #columns} (Spark ML vectors: convert them with
     * {@code org.apache.spark.ml.functions.vector_to_array} first).
     *
     * @throws IllegalArgumentException if a column is missing or of an unusable type, or a row does
     *     not fit the network (see {@link #fit(JavaRDD)})
     */
    public TrainingResult fit(org.apache.spark.sql.Dataset<Row> frame) {
        Objects.requireNonNull(frame, "frame is null");
        return fit(Rows.samples(frame, featuresColumn, targetsColumn, model.outputSize()));
    }

    /**
     * Trains the network on {@code data}, updating its parameters in place (on the driver).
     *
     * @return the per-epoch losses, learning rates and validation metrics, and why training stopped
     * @throws IllegalArgumentException if the data are empty, a row's feature or target count differs
     *     from the network's input or output size or it holds a value that is not finite (the message
     *     names the row and partition), the validation dataset does not fit, the network cannot be
     *     rebuilt from its class name, or the checkpoint to resume from does not fit
     * @throws TrainingDivergedException if a step's loss or gradient is NaN or infinite; the network
     *     keeps the parameters of the last step applied
     */
    public TrainingResult fit(JavaRDD<Sample> data) {
        Objects.requireNonNull(data, "data is null");
        long startNanos = System.nanoTime();
        String className = model.getClass().getName();
        requireRebuildable(className);
        int inputs = model.inputSize();
        int outputs = model.outputSize();
        Precision precision = Objects.requireNonNull(model.precision(), "model.precision() is null");
        Task task = this.task != null ? this.task : Task.of(model);
        if (validation != null) {
            requireFits(validation);
        }
        Monitor bestMonitor = restoreBest != null ? restoreBest
                : restoreBestAuto ? (validation != null ? Monitor.VALIDATION_LOSS : Monitor.TRAINING_LOSS) : null;
        if (bestMonitor == Monitor.VALIDATION_LOSS && validation == null) {
            throw new IllegalArgumentException("restoreBest(VALIDATION_LOSS) needs validation data: give the trainer"
                    + " SparkTrainer.validation(dataset), or restore by Monitor.TRAINING_LOSS");
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(data.context());

        JavaRDD<Block> blocks = data
                .mapPartitionsWithIndex(blocksOf(inputs, outputs, precision), true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Layout layout = Layout.of(blocks.map(b -> new BlockInfo(b.partition, b.rows, b.problem)).collect(),
                    inputs, outputs);
            return train(sc, blocks, layout, className, task, bestMonitor, startNanos);
        } finally {
            blocks.unpersist(false);
        }
    }

    /** What the driver learns about a partition when the data are first read. */
    record BlockInfo(int partition, int rows, String problem) implements Serializable {}

    /** The partitions' sizes and where each starts in the global row numbering. */
    record Layout(int rows, int[] partitionRows, long[] firstRow) {

        static Layout of(List<BlockInfo> infos, int inputs, int outputs) {
            int partitions = 0;
            for (BlockInfo info : infos) {
                partitions = Math.max(partitions, info.partition() + 1);
            }
            int[] sizes = new int[partitions];
            for (BlockInfo info : infos) {
                sizes[info.partition()] = info.rows();
            }
            long[] first = new long[partitions];
            long total = 0;
            for (int p = 0; p < partitions; p++) {
                first[p] = total;
                total += sizes[p];
            }
            for (BlockInfo info : infos.stream().sorted(java.util.Comparator.comparingInt(BlockInfo::partition)).toList()) {
                if (info.problem() != null) {
                    throw new IllegalArgumentException("the data do not fit the network (" + inputs + " inputs, "
                            + outputs + " outputs): " + info.problem() + " (row " + (first[info.partition()] + info.rows())
                            + " of the data, counting from 0 over the partitions in order)");
                }
            }
            if (total == 0) {
                throw new IllegalArgumentException("the data have no rows (" + partitions + " empty partitions)");
            }
            if (total > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("the data have " + total + " rows; this trainer numbers rows with"
                        + " an int (an epoch's order is a permutation of them), so at most " + (Integer.MAX_VALUE - 8));
            }
            return new Layout((int) total, sizes, first);
        }

        int partitions() {
            return partitionRows.length;
        }
    }

    private static org.apache.spark.api.java.function.Function2<Integer, Iterator<Sample>, Iterator<Block>> blocksOf(
            int inputs, int outputs, Precision precision) {
        return (partition, samples) -> List.of(Block.of(partition, samples, inputs, outputs, precision)).iterator();
    }

    private TrainingResult train(JavaSparkContext sc, JavaRDD<Block> blocks, Layout layout, String className,
            Task task, Monitor bestMonitor, long startNanos) {
        int n = layout.rows();
        int slots = Math.min(batchSize, n);
        int budget = epochs;
        long seed = this.seed;
        boolean shuffle = this.shuffle;
        int localSteps = this.localSteps;
        double baseLearningRate = learningRate;
        LearningRateSchedule schedule = this.schedule;
        StopCondition stopCondition = this.stopCondition;
        EpochListener[] listeners = this.listeners.toArray(new EpochListener[0]);
        UpdateSettings settings = updateSettings();
        double[] settingsArray = toArray(settings);
        Dataset validation = this.validation;

        // no training metrics on the cluster (they would ship every output to the driver): recorded as NaN
        EpochRecorder history = new EpochRecorder(Math.min(epochs, 1024), validation != null ? task.metrics() : List.of(),
                validation != null, startNanos);
        Best best = bestMonitor == null ? null : new Best(bestMonitor);
        int firstEpoch = 1;
        if (resumeFrom != null) {
            Path path = resumeFrom;
            resumeFrom = null;
            TrainingState state = resume(path, seed, history, best);
            seed = state.seed();
            firstEpoch = state.epoch() + 1;
        }

        // The driver's step only holds the summed gradient and applies it with the network's rule.
        TrainingStep driverStep = model.newTrainingStep(1);
        driverStep.setUpdateSettings(settings);
        int batches = localSteps == 0 ? (n + slots - 1) / slots : rounds(layout, slots, localSteps);
        Evaluator validator = validation == null ? null : new Evaluator(model, validation, task);
        TrainingStart start = new TrainingStart(firstEpoch, budget, n, batches,
                validation == null ? 0 : validation.size(), task);
        for (EpochListener listener : listeners) {
            listener.onStart(start);
        }
        try {
            return run(sc, blocks, layout, className, task, startNanos, n, slots, budget, seed, shuffle, localSteps,
                    baseLearningRate, schedule, stopCondition, listeners, settingsArray, history, best, firstEpoch,
                    driverStep, batches, validator);
        } catch (Exception failure) {
            // As the local trainer: listeners hear why fit ends before the exception leaves it. A
            // failed Spark job arrives as Spark's checked SparkException, thrown past the compiler's
            // view by Scala code, so it is caught here as Exception and told to listeners wrapped.
            RuntimeException told = failure instanceof RuntimeException r ? r
                    : new IllegalStateException("a Spark job failed: " + failure.getMessage(), failure);
            for (EpochListener listener : listeners) {
                try {
                    listener.onFailure(told);
                } catch (RuntimeException another) {
                    failure.addSuppressed(another);
                }
            }
            throw failure;
        }
    }

    /** The epoch loop of {@link #train}. */
    private TrainingResult run(JavaSparkContext sc, JavaRDD<Block> blocks, Layout layout, String className,
            Task task, long startNanos, int n, int slots, int budget, long seed, boolean shuffle, int localSteps,
            double baseLearningRate, LearningRateSchedule schedule, StopCondition stopCondition,
            EpochListener[] listeners, double[] settingsArray, EpochRecorder history, Best best, int firstEpoch,
            TrainingStep driverStep, int batches, Evaluator validator) {
        Thread thread = Thread.currentThread();
        String stopReason = null;
        boolean partialEpoch = false;
        run:
        for (int epoch = firstEpoch; epoch <= budget; epoch++) {
            double rate = schedule.learningRate(epoch, baseLearningRate);
            if (!(rate >= 0.0 && Double.isFinite(rate))) {
                throw new IllegalStateException("the learning-rate schedule " + schedule + " gives " + rate
                        + " for epoch " + epoch + " (base rate " + baseLearningRate + "); a learning rate must be"
                        + " finite and not negative");
            }
            long epochSeed = seed ^ (epoch * GOLDEN);
            Broadcast<int[]> positions = null;
            JavaRDD<EpochPlan> plans;
            if (localSteps == 0) {
                positions = sc.broadcast(positions(n, shuffle ? epochSeed : 0L, shuffle));
                plans = blocks.map(synchronousPlan(positions, layout.firstRow(), n, slots));
            } else {
                plans = blocks.map(localPlan(mix(epochSeed), shuffle, slots));
            }
            plans.persist(StorageLevel.MEMORY_ONLY());
            double weightedLoss = 0.0;
            int seen = 0;
            try {
                for (int b = 0; b < batches; b++) {
                    if (thread.isInterrupted()) {
                        stopReason = "interrupted";
                        partialEpoch = b > 0;
                        break run;
                    }
                    double stepLoss;
                    int stepRows;
                    if (localSteps == 0) {
                        stepRows = Math.min(slots, n - b * slots);
                        stepLoss = synchronousStep(sc, plans, className, b, stepRows, epoch, rate, driverStep,
                                mix(mix(epochSeed) + b + 1), weightedLoss);
                    } else {
                        stepRows = roundRows(layout, slots, localSteps, b);
                        stepLoss = averagingRound(sc, plans, className, b, stepRows, epoch, rate, settingsArray,
                                mix(epochSeed));
                    }
                    weightedLoss += stepLoss * stepRows;
                    seen += stepRows;
                    for (EpochListener listener : listeners) {
                        listener.onBatch(epoch, b + 1, weightedLoss / seen);
                    }
                }
            } finally {
                plans.unpersist(false);
                if (positions != null) {
                    positions.destroy();
                }
            }
            double epochLoss = weightedLoss / n;
            Evaluation validated = validator == null ? null : validator.evaluate();
            history.add(epochLoss, rate, null, validated);
            if (best != null) {
                best.consider(history, model);
            }
            if (checkpointEvery > 0 && epoch % checkpointEvery == 0) {
                checkpoint(epoch, seed, shuffle, rate, layout.partitions(), history, task, best);
            }
            EpochEvent event = new EpochEvent(epoch, budget, epochLoss, rate,
                    Duration.ofNanos(System.nanoTime() - startNanos), null, validated);
            for (EpochListener listener : listeners) {
                listener.onEpoch(event);
            }
            if (event.stopRequest().isPresent()) {
                stopReason = event.stopRequest().get();
                break;
            }
            if (stopCondition != null) {
                stopReason = stopCondition.check(history);
                if (stopReason != null) {
                    break;
                }
            }
        }
        if (stopReason == null) {
            stopReason = "epoch budget of " + budget + " reached";
        }
        int restored = 0;
        if (best != null && best.epoch > 0 && (best.epoch != history.epochs() || partialEpoch)) {
            model.setParameters(best.parameters);
            restored = best.epoch;
        }
        TrainingResult result = new TrainingResult(history.trainLosses(), history.validationLosses(),
                history.learningRates(), history.metrics(), history.trainMetrics(),
                history.validationMetrics(), restored, stopReason, Duration.ofNanos(System.nanoTime() - startNanos));
        for (EpochListener listener : listeners) {
            listener.onFinish(result);
        }
        return result;
    }

    /**
     * One synchronous step: every partition's part of batch {@code b}, summed, applied on the driver.
     * Returns the batch's mean loss.
     */
    private double synchronousStep(JavaSparkContext sc, JavaRDD<EpochPlan> plans, String className, int b,
            int stepRows, int epoch, double rate, TrainingStep driverStep, long dropoutSeed, double lossSoFar) {
        Broadcast<double[]> parameters = sc.broadcast(model.parameters());
        Sum sum;
        try {
            sum = plans.treeAggregate(new Sum(),
                    gradientPart(className, parameters, b, stepRows, dropoutRate, dropoutSeed),
                    Sum::merge, treeDepth);
        } finally {
            parameters.destroy();
        }
        if (sum.rows != stepRows || !sum.hasValues()) {
            throw new IllegalStateException("batch " + (b + 1) + " of epoch " + epoch + " should have " + stepRows
                    + " rows, but the partitions computed " + sum.rows + "; did the RDD give other rows when it was"
                    + " recomputed?");
        }
        double loss = sum.loss();
        if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException(epoch, b + 1, loss, rate);
        }
        if (!Double.isFinite(lossSoFar + loss * stepRows)) {
            throw new TrainingDivergedException(epoch, b + 1, loss, rate, "the summed loss of epoch " + epoch
                    + " overflows at batch " + (b + 1) + " (whose loss is " + loss + ")");
        }
        driverStep.setGradients(sum.values());
        double norm = driverStep.gradientSquaredNorm();
        if (!Double.isFinite(norm)) {
            throw new TrainingDivergedException(epoch, b + 1, loss, rate, "the gradient of batch " + (b + 1)
                    + " of epoch " + epoch + " is not finite (its squared norm is " + norm + ", the batch's loss "
                    + loss + ")");
        }
        clip(driverStep, norm, maxGradientNorm);
        driverStep.applyGradients(rate);
        return loss;
    }

    /**
     * One averaging round: every partition takes its next local steps from the broadcast
     * parameters and state; the driver takes the weighted average. Returns the mean loss of the
     * round's batches.
     */
    private double averagingRound(JavaSparkContext sc, JavaRDD<EpochPlan> plans, String className, int round,
            int roundRows, int epoch, double rate, double[] settings, long epochSeed) {
        int p = model.parameterCount();
        Broadcast<double[][]> start = sc.broadcast(new double[][] {model.parameters(), model.optimizerState()});
        Sum sum;
        try {
            sum = plans.treeAggregate(new Sum(),
                    localSteps(className, start, settings, rate, maxGradientNorm, dropoutRate, epochSeed, round,
                            localSteps, roundRows),
                    Sum::merge, treeDepth);
        } finally {
            start.destroy();
        }
        if (sum.problem != null) {
            throw new TrainingDivergedException(epoch, round + 1, Double.NaN, rate, sum.problem
                    + " (averaging round " + (round + 1) + " of epoch " + epoch + ")");
        }
        if (sum.rows != roundRows || !sum.hasValues()) {
            throw new IllegalStateException("round " + (round + 1) + " of epoch " + epoch + " should train on "
                    + roundRows + " rows, but the partitions trained on " + sum.rows);
        }
        double[] average = sum.values();
        double[] parameters = java.util.Arrays.copyOf(average, p);
        double[] state = java.util.Arrays.copyOfRange(average, p, average.length);
        if (state.length > 0) {
            state[0] = Math.rint(state[0]); // the step count: the same whole number in every copy
        }
        model.setParameters(parameters);
        model.setOptimizerState(state);
        return sum.loss() / roundRows;
    }

    /** Scales the gradient down to {@code maxNorm} as PyTorch's {@code clip_grad_norm_} (and the local trainer) does. */
    static void clip(TrainingStep step, double squaredNorm, double maxNorm) {
        if (maxNorm > 0) {
            double factor = maxNorm / (Math.sqrt(squaredNorm) + 1e-6);
            if (factor < 1.0) {
                step.scaleGradients(factor);
            }
        }
    }

    /**
     * The task function of a synchronous step: this partition's rows of batch {@code batch}, loaded
     * in global order into a step of the rebuilt network; adds their gradient and loss weighted by
     * their share of the batch. Static, so the function captures names and broadcasts only.
     */
    static Function2<Sum, EpochPlan, Sum> gradientPart(String className, Broadcast<double[]> parameters, int batch,
            int batchRows, double dropoutRate, long dropoutSeed) {
        return (sum, plan) -> {
            int size = plan.size(batch);
            if (size == 0) {
                return sum;
            }
            Networks.Local local = Networks.local(className);
            local.model.setParameters(parameters.value());
            TrainingStep step = local.step(size, dropoutRate);
            step.setDropout(true, mix(dropoutSeed + plan.block.partition * GOLDEN));
            int from = plan.start[batch];
            for (int slot = 0; slot < size; slot++) {
                plan.block.load(step, slot, plan.order[from + slot]);
            }
            double loss = step.computeGradients(size);
            double[] gradient = local.gradientBuffer();
            step.gradients(gradient);
            double share = (double) size / batchRows;
            if (local.model.precision() == Precision.FLOAT) {
                sum.add(local.asFloats(gradient), share); // exact: the gradient is float; half the bytes to ship
            } else {
                sum.add(gradient, share);
            }
            sum.addLoss(loss * share, share);
            sum.rows += size;
            return sum;
        };
    }

    /**
     * The task function of an averaging round: from the broadcast parameters and optimizer state,
     * this partition's local batches {@code round × k .. round × k + k - 1}; adds the resulting
     * parameters and state weighted by the rows trained on, and the batches' summed loss. A step
     * whose loss or gradient is not finite is reported, not applied.
     */
    static Function2<Sum, EpochPlan, Sum> localSteps(String className, Broadcast<double[][]> start,
            double[] settings, double rate, double maxNorm, double dropoutRate, long epochSeed, int round, int k,
            int roundRows) {
        return (sum, plan) -> {
            int first = round * k;
            int last = Math.min(plan.batches(), first + k);
            if (first >= last) {
                return sum;
            }
            Networks.Local local = Networks.local(className);
            local.model.setParameters(start.value()[0]);
            local.model.setOptimizerState(start.value()[1]);
            TrainingStep step = local.step(plan.size(first), dropoutRate);
            step.setUpdateSettings(fromArray(settings));
            long partitionSeed = mix(epochSeed + plan.block.partition * GOLDEN);
            double lossSum = 0.0;
            int rows = 0;
            for (int b = first; b < last; b++) {
                int size = plan.size(b);
                int from = plan.start[b];
                for (int slot = 0; slot < size; slot++) {
                    plan.block.load(step, slot, plan.order[from + slot]);
                }
                step.setDropout(true, mix(partitionSeed + b + 1));
                double loss = step.computeGradients(size);
                double norm = step.gradientSquaredNorm();
                if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
                    sum.problem = "partition " + plan.block.partition + "'s local batch " + (b + 1) + " has loss "
                            + loss + " and squared gradient norm " + norm;
                    return sum;
                }
                clip(step, norm, maxNorm);
                step.applyGradients(rate);
                lossSum += loss * size;
                rows += size;
            }
            double[] parameters = local.model.parameters();
            double[] state = local.model.optimizerState();
            double[] both = java.util.Arrays.copyOf(parameters, parameters.length + state.length);
            System.arraycopy(state, 0, both, parameters.length, state.length);
            sum.add(both, (double) rows / roundRows);
            sum.addLoss(lossSum, rows);
            sum.rows += rows;
            sum.steps += last - first;
            return sum;
        };
    }

    private static org.apache.spark.api.java.function.Function<Block, EpochPlan> synchronousPlan(
            Broadcast<int[]> positions, long[] firstRow, int rows, int batchSize) {
        return block -> EpochPlan.synchronous(block, firstRow[block.partition], positions.value(), rows, batchSize);
    }

    private static org.apache.spark.api.java.function.Function<Block, EpochPlan> localPlan(long epochSeed,
            boolean shuffle, int batchSize) {
        return block -> EpochPlan.local(block, epochSeed, shuffle, batchSize);
    }

    /**
     * Where each row comes in the epoch's order: the inverse of the local trainer's permutation
     * (documented on {@link Trainer#shuffle(boolean)}: a Fisher–Yates shuffle of {@code 0..n-1}
     * driven by {@code new SplittableRandom(seed ^ (epoch × 0x9E3779B97F4A7C15L))}).
     */
    static int[] positions(int n, long epochSeed, boolean shuffle) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (shuffle) {
            SplittableRandom random = new SplittableRandom(epochSeed);
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        int[] position = new int[n];
        for (int i = 0; i < n; i++) {
            position[order[i]] = i;
        }
        return position;
    }

    /** Averaging rounds per epoch: enough for the partition with the most local batches. */
    static int rounds(Layout layout, int batchSize, int k) {
        int most = 0;
        for (int rows : layout.partitionRows()) {
            most = Math.max(most, (rows + batchSize - 1) / batchSize);
        }
        return (most + k - 1) / k;
    }

    /** The rows all partitions train on in round {@code round}. */
    static int roundRows(Layout layout, int batchSize, int k, int round) {
        long from = (long) round * k * batchSize;
        long to = from + (long) k * batchSize;
        int rows = 0;
        for (int m : layout.partitionRows()) {
            rows += (int) (Math.min(m, to) - Math.min(m, from));
        }
        return rows;
    }

    /** SplitMix64's finalizer, as the local trainer mixes its seeds. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double[] toArray(UpdateSettings s) {
        return new double[] {s.momentum(), s.beta1(), s.beta2(), s.epsilon(), s.rmspropAlpha(), s.weightDecay(),
            s.rpropEtaMinus(), s.rpropEtaPlus(), s.rpropStepMin(), s.rpropStepMax()};
    }

    /** UpdateSettings is a record but not Serializable: it travels as its ten numbers. */
    static UpdateSettings fromArray(double[] v) {
        return new UpdateSettings(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
    }

    /**
     * Fails on the driver, before any job, if executors could not rebuild the network: no public
     * no-argument constructor, another parameter count, or a step that cannot take a gradient.
     */
    private void requireRebuildable(String className) {
        Model rebuilt = Networks.create(className);
        if (rebuilt.parameterCount() != model.parameterCount()) {
            throw new IllegalArgumentException("a new " + className + " has " + rebuilt.parameterCount()
                    + " parameters, but the network to train has " + model.parameterCount());
        }
        try {
            model.newTrainingStep(1).setGradients(new double[model.parameterCount()]);
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException("the training step of " + className + " cannot take a summed gradient"
                    + " (TrainingStep.setGradients), which synchronous steps need: " + e.getMessage(), e);
        }
    }

    private void requireFits(Dataset data) {
        if (data.featureCount() != model.inputSize() || data.targetCount() != model.outputSize()) {
            throw new IllegalArgumentException("the validation dataset has " + data.featureCount() + " features and "
                    + data.targetCount() + " targets per row, but the network takes " + model.inputSize()
                    + " inputs and gives " + model.outputSize() + " outputs");
        }
    }

    /** The parameters of the best epoch so far, as the local trainer keeps them. */
    private static final class Best {
        final Monitor monitor;
        int epoch;
        double value = Double.NaN;
        double[] parameters;

        Best(Monitor monitor) {
            this.monitor = monitor;
        }

        void consider(EpochRecorder history, Model model) {
            int latest = history.epochs();
            double v = monitor.value(history, latest);
            if (!Double.isNaN(v) && (epoch == 0 || v < value)) {
                epoch = latest;
                value = v;
                parameters = model.parameters();
            }
        }
    }

    private TrainingState resume(Path path, long seed, EpochRecorder history, Best best) {
        ModelFile file;
        try {
            file = ModelFile.read(path);
            file.restoreOptimizerState(model);
            file.applyTo(model);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resume from " + path + ": " + e.getMessage(), e);
        }
        TrainingState state = file.trainingState().orElseThrow(() -> new IllegalArgumentException(path
                + " holds a model but no training state, so there is no run to resume; it was written by"
                + " ModelFile.save, not as a checkpoint"));
        if (seedSet && seed != state.seed()) {
            throw new IllegalArgumentException("the checkpoint " + path + " was trained with seed " + state.seed()
                    + ", but this trainer is set to seed " + seed + "; a resumed run continues the checkpoint's random"
                    + " streams, so leave the seed unset or set it to " + state.seed());
        }
        double[] loss = state.trainLoss();
        double[] rates = state.learningRates();
        double[] validationLoss = state.validationLoss();
        List<Metric> metrics = history.metrics();
        double[] unmeasured = new double[metrics.size()];
        Arrays.fill(unmeasured, Double.NaN);
        for (int e = 0; e < state.epoch(); e++) {
            double[] values = new double[metrics.size()];
            for (int i = 0; i < values.length; i++) {
                int epoch = e;
                values[i] = state.metric("val_" + metrics.get(i).key()).map(v -> v[epoch]).orElse(Double.NaN);
            }
            history.add(loss[e], rates.length == 0 ? state.learningRate() : rates[e],
                    validationLoss.length == 0 ? Double.NaN : validationLoss[e], unmeasured, values);
        }
        if (best != null) {
            state.best().filter(saved -> saved.monitor().equals(best.monitor.name())).ifPresent(saved -> {
                best.epoch = saved.epoch();
                best.value = saved.value();
                best.parameters = saved.parameters();
            });
        }
        return state;
    }

    private void checkpoint(int epoch, long seed, boolean shuffle, double rate, int partitions, EpochRecorder history,
            Task task, Best best) {
        TrainingState.Builder state = TrainingState.builder(epoch, seed, batchSize, Math.max(1, partitions), rate,
                shuffle, history.trainLosses())
                .learningRates(history.learningRates())
                .validation(validation == null ? "" : "a validation dataset of " + validation.size() + " rows",
                        history.validationLosses())
                .task(task.name());
        if (history.hasValidation()) {
            for (Metric m : history.metrics()) {
                state.metric("val_" + m.key(), history.validationMetrics().get(m));
            }
        }
        if (best != null && best.epoch > 0) {
            state.best(new TrainingState.Best(best.monitor.name(), best.epoch, best.value, best.parameters));
        }
        try {
            ModelFile.saveCheckpoint(model, state.build(), checkpointPath);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the checkpoint of epoch " + epoch + " to " + checkpointPath
                    + " (a previous checkpoint there is intact): " + e.getMessage(), e);
        }
    }
}
