package dev.chainrule.train;

import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.UpdateSettings;
import dev.chainrule.data.Dataset;
import dev.chainrule.internal.EpochRecorder;
import dev.chainrule.io.ModelFile;
import dev.chainrule.io.TrainingState;
import dev.chainrule.metrics.Evaluation;
import dev.chainrule.metrics.Evaluator;
import dev.chainrule.metrics.Metric;
import dev.chainrule.metrics.MetricAccumulator;
import dev.chainrule.metrics.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Trains a network by mini-batch gradient descent. Everything you tune between runs is set here,
 * so tuning needs no recompilation:
 *
 * <pre>{@code
 * TrainingResult r = Trainer.of(net)
 *         .learningRate(0.1).batchSize(16).epochs(500).seed(7L)
 *         .schedule(LearningRateSchedule.cosineAnnealing(500, 0.001))
 *         .validationSplit(0.2, 7L)
 *         .stopWhen(Convergence.noImprovement(Monitor.VALIDATION_LOSS, 1e-4, 20))
 *         .restoreBest(true)
 *         .listener(ProgressBar.toConsole())
 *         .fit(train);
 * }</pre>
 *
 * <p><b>An epoch</b> visits every row once, in mini-batches of {@link #batchSize(int)} rows; a
 * last, smaller batch is kept and averaged over its real size. Each batch computes the gradient
 * of its mean loss and moves every parameter by {@code -learningRate × gradient}, with the epoch's
 * rate from the {@link #schedule}. The epoch's loss is the sample-weighted mean of its batch
 * losses (as Keras reports it); it is measured while the parameters change, so it is not the loss
 * of the final parameters. The training metrics are measured the same way, from each batch's
 * outputs. Then, if the run validates, the network's loss and metrics on the validation rows.
 *
 * <p><b>Stopping.</b> After each epoch the listeners run, then the stop conditions; training
 * ends when a listener asks ({@link EpochEvent#requestStop}), a condition gives a reason or the
 * epoch budget is spent. If the thread is interrupted, {@code fit} finishes the step in progress
 * and returns (stop reason {@code interrupted}, the interrupt flag still set) with the parameters
 * of the last completed step. With {@link #restoreBest}, the network then gets the parameters of
 * its best epoch. A diverging step (NaN or infinite loss or gradient) is never applied:
 * {@code fit} throws {@link TrainingDivergedException} and the network keeps the last good
 * parameters.
 *
 * <p><b>Output.</b> {@code fit} prints nothing by default, so quiet is the default: add a
 * {@link ProgressBar} or {@link ProgressPrinter} listener to see progress. (Warnings go through
 * {@link System.Logger}, see below.)
 *
 * <p><b>Reproducibility.</b> With the same network start, data, settings and seed, a run repeats
 * bit for bit on the same machine: every random stream is derived from {@code (seed, epoch)}
 * alone, see {@link #shuffle(boolean)}; a validation split from its own seed; every learning rate
 * from the schedule and the epoch; and the stop conditions and restore-best read only the
 * recorded history. So a run can be checkpointed ({@link #checkpointEvery(int, Path)}) and
 * resumed ({@link #resumeFrom(Path)}) with exactly the parameters an uninterrupted run would have
 * reached. (A {@link Convergence#timeLimit} depends on the machine's speed, so it is the
 * exception.)
 *
 * <p><b>Unscaled inputs.</b> When {@code fit} starts, it logs one warning (through
 * {@link System.Logger}, logger {@code dev.chainrule.train.Trainer}) if a feature of the training
 * data reaches a magnitude of {@value #UNSCALED_FEATURE_MAGNITUDE} or more, suggesting a
 * {@link dev.chainrule.data.Scaler}: raw pixels or lab values in the hundreds saturate the units
 * of a small network, the most common reason it "always predicts one class".
 *
 * <p>A trainer is a mutable builder, not safe for concurrent configuration; {@link #fit} may be
 * called repeatedly and continues from the network's current parameters.
 */
public final class Trainer {

    /** The golden-ratio increment that spreads epoch numbers over the seed space. */
    private static final long EPOCH_SEED_MIX = 0x9E3779B97F4A7C15L;

    /** Features whose largest magnitude reaches this get the unscaled-input warning. */
    public static final double UNSCALED_FEATURE_MAGNITUDE = 100.0;

    private static final System.Logger LOG = System.getLogger(Trainer.class.getName());

    private final Model model;
    private double learningRate = 0.01;
    private int batchSize = 32;
    private int epochs = 100;
    private long seed = 0L;
    private boolean shuffle = true;
    private int threads = 1;
    private long minFlopsPerWorker = BatchRunner.MIN_FLOPS_PER_WORKER;
    private boolean seedSet;
    private int checkpointEvery;
    private Path checkpointPath;
    private Path resumeFrom;
    private StopCondition stopCondition;
    private final List<EpochListener> listeners = new ArrayList<>();
    private LearningRateSchedule schedule = LearningRateSchedule.constant();
    private Dataset validationSet;
    private double validationFraction;
    private long validationSeed;
    private Monitor restoreBest;
    private boolean restoreBestAuto;
    private Task task;
    private UpdateSettings updateSettings;
    private double maxGradientNorm;
    private double dropoutRate = Double.NaN;

    private Trainer(Model model) {
        this.model = model;
    }

    /** Starts configuring the training of {@code model}, with the defaults listed on each setter. */
    public static Trainer of(Model model) {
        return new Trainer(Objects.requireNonNull(model, "model is null"));
    }

    /**
     * The SGD step size; default 0.01. With a {@link #schedule}, the base rate the schedule
     * scales. Too large a value makes training diverge ({@link TrainingDivergedException}), too
     * small a value makes it slow.
     *
     * @throws IllegalArgumentException unless finite and positive
     */
    public Trainer learningRate(double learningRate) {
        if (!(learningRate > 0.0 && Double.isFinite(learningRate))) {
            throw new IllegalArgumentException("learning rate is " + learningRate + ", must be finite and positive");
        }
        this.learningRate = learningRate;
        return this;
    }

    /**
     * The number of rows per mini-batch; default 32. A dataset smaller than the batch size is
     * trained as one batch per epoch.
     *
     * @throws IllegalArgumentException if {@code batchSize < 1}
     */
    public Trainer batchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size is " + batchSize + ", must be at least 1");
        }
        this.batchSize = batchSize;
        return this;
    }

    /**
     * The epoch budget: the most epochs {@link #fit} runs; default 100. Stop conditions may end
     * training earlier. A run resumed from a checkpoint ({@link #resumeFrom(Path)}) counts the
     * checkpoint's epochs against the budget.
     *
     * @throws IllegalArgumentException if {@code epochs < 1}
     */
    public Trainer epochs(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs is " + epochs + ", must be at least 1");
        }
        this.epochs = epochs;
        return this;
    }

    /** The seed every random stream of training derives from; default 0. */
    public Trainer seed(long seed) {
        this.seed = seed;
        this.seedSet = true;
        return this;
    }

    /**
     * Writes a checkpoint to {@code path} after every {@code epochs}-th completed epoch
     * (numbered from 1, so epochs {@code n, 2n, ...}), replacing the previous one atomically:
     * a crash while writing leaves the previous checkpoint intact. A checkpoint is a model file
     * ({@link ModelFile#saveCheckpoint}) with the epoch, the seed, the history and, with
     * {@link #restoreBest}, the best parameters so far, from which
     * {@link #resumeFrom(Path)} continues the run exactly. If a checkpoint cannot be written,
     * {@code fit} throws an {@link UncheckedIOException} (training without the safety it asked for
     * would be worse than stopping).
     *
     * @throws IllegalArgumentException if {@code epochs < 1}
     */
    public Trainer checkpointEvery(int epochs, Path path) {
        if (epochs < 1) {
            throw new IllegalArgumentException("checkpoint interval is " + epochs + " epochs, must be at least 1");
        }
        this.checkpointEvery = epochs;
        this.checkpointPath = Objects.requireNonNull(path, "path is null");
        return this;
    }

    /**
     * Makes the next {@link #fit} continue the run saved in the checkpoint {@code path}: the
     * network gets the checkpoint's parameters, and training goes on from the epoch after the
     * checkpoint's, with its seed (so the per-epoch shuffles continue where they stopped) and its
     * loss history (so stop conditions and the result see the whole run). The epoch budget counts
     * from epoch 1: a run checkpointed at epoch 5 and resumed with {@code epochs(10)} runs epochs
     * 6 to 10, and its result lists all ten losses. With the same data and settings, the final
     * parameters are bit for bit those of an uninterrupted run.
     *
     * <p>The checkpoint is read when {@code fit} starts, and used by that call only. Leave the
     * seed unset (or set it to the checkpoint's): a different seed is an error, as it could not
     * repeat the run. A different batch size, thread count, learning rate (any epoch's rate from
     * the schedule differing from the checkpoint's record), shuffle setting, validation, metrics
     * task or restore-best monitor is allowed (to fine-tune, say) and logged as a warning.
     *
     * <p>A network whose update rule keeps state ({@code Model.optimizerState()} not empty:
     * momentum, Adam's moments, Rprop's steps) gets that state back too: checkpoints hold it, and
     * a checkpoint without it (or with another optimizer's) is refused rather than continued
     * inexactly.
     *
     * <p>The checkpoint also holds the validation losses, metrics and learning rates of its
     * epochs (the result lists them from epoch 1) and, with {@link #restoreBest}, the best
     * parameters so far, so the resumed run restores the same best epoch an uninterrupted one
     * would. History a checkpoint did not record (an older checkpoint, or a run that did not
     * validate) reads as NaN.
     */
    public Trainer resumeFrom(Path path) {
        this.resumeFrom = Objects.requireNonNull(path, "path is null");
        return this;
    }

    /**
     * Whether to visit the rows in a fresh random order each epoch; default {@code true}. With
     * {@code false} every epoch visits the rows in dataset order.
     *
     * <p>The order of epoch {@code e} (numbered from 1) depends on nothing but the seed and
     * {@code e}: starting from {@code 0..size-1}, a Fisher–Yates shuffle driven by
     * {@code new SplittableRandom(seed ^ (e * 0x9E3779B97F4A7C15L))} swaps, for {@code i} from
     * {@code size-1} down to 1, position {@code i} with position {@code nextInt(i + 1)}. So a run
     * resumed at epoch {@code e} sees the same batches as an uninterrupted one.
     */
    public Trainer shuffle(boolean shuffle) {
        this.shuffle = shuffle;
        return this;
    }

    /**
     * Adds a condition checked after every epoch; training stops at the first epoch where any
     * of the conditions gives a reason (several calls combine with {@link StopCondition#or}, in
     * the order added).
     */
    public Trainer stopWhen(StopCondition condition) {
        Objects.requireNonNull(condition, "condition is null");
        stopCondition = stopCondition == null ? condition : stopCondition.or(condition);
        return this;
    }

    /**
     * The number of threads that share each mini-batch; default 1. A network whose first layer
     * has tiled kernels and that has no dropout is split by that layer's inputs
     * ({@link dev.chainrule.TrainingStep#workerSteps}): each thread keeps a slice of the first
     * layer's weight rows for good, sums the weighted inputs over it for the whole batch, runs the
     * rest of the forward and backward passes for its own rows of the batch, and computes and
     * applies its slice of the gradient, so that the first layer's weights and gradients never
     * move between cores. Other networks are split by rows: each thread computes the gradient of a
     * contiguous part of the batch in its own buffers, then sums the parts' gradients over its own
     * slice of the parameters and applies the update to it. Either way the reductions run in a
     * fixed order, so the same thread count repeats bit for bit; a different count rounds
     * differently. (Networks whose training steps cannot work in slices, such as hand-written
     * ones, are combined and updated on one thread.) Worth it for networks whose step takes more
     * than about 100 microseconds (MNIST-sized layers); a small network's step is shorter than
     * the hand-off between threads, so a step is shared only by as many threads as have at least
     * 4 MFLOP of it each (about {@code 6 × parameters × batch / threads}), and a small network
     * trains on one thread.
     *
     * @throws IllegalArgumentException unless {@code 1 <= threads <= 256}
     */
    public Trainer threads(int threads) {
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("threads is " + threads + ", must be between 1 and 256");
        }
        this.threads = threads;
        return this;
    }

    /** For tests: share steps between threads however small they are. */
    Trainer shareEveryStep() {
        this.minFlopsPerWorker = 1;
        return this;
    }

    /**
     * The hyperparameters of the network's update rule ({@link Model#optimizer()}, fixed by its
     * spec): momentum, Adam's betas, epsilon, weight decay, RMSprop's alpha, Rprop's factors and
     * bounds. Default: {@link UpdateSettings#defaults(dev.chainrule.Optimizer)}, PyTorch's. The
     * shortcuts {@link #momentum}, {@link #betas}, {@link #epsilon} and {@link #weightDecay}
     * change one value of the current settings.
     */
    public Trainer updateSettings(UpdateSettings settings) {
        this.updateSettings = Objects.requireNonNull(settings, "settings is null");
        return this;
    }

    /** The settings the next {@link #fit} uses. */
    public UpdateSettings updateSettings() {
        return updateSettings != null ? updateSettings : UpdateSettings.defaults(model.optimizer());
    }

    /**
     * The momentum μ of {@code MOMENTUM} and {@code NESTEROV} networks; default 0.9.
     *
     * @throws IllegalArgumentException unless finite and at least 0
     */
    public Trainer momentum(double momentum) {
        return updateSettings(updateSettings().withMomentum(momentum));
    }

    /**
     * Adam's (and AdamW's) decay rates of the first and second moments; default (0.9, 0.999).
     *
     * @throws IllegalArgumentException unless both are in [0, 1)
     */
    public Trainer betas(double beta1, double beta2) {
        return updateSettings(updateSettings().withBetas(beta1, beta2));
    }

    /**
     * The ε added to the denominator of RMSprop and Adam (outside the square root); default 1e-8.
     *
     * @throws IllegalArgumentException unless finite and positive (at least {@link Float#MIN_NORMAL}:
     *     0 would divide 0 by 0 for a parameter whose gradient is 0)
     */
    public Trainer epsilon(double epsilon) {
        return updateSettings(updateSettings().withEpsilon(epsilon));
    }

    /**
     * L2 weight decay λ, on weights and biases: {@code g += λ θ} before the update, or, for AdamW,
     * {@code θ -= lr λ θ}; default 0 (0.01 for AdamW).
     *
     * @throws IllegalArgumentException unless finite and at least 0
     */
    public Trainer weightDecay(double weightDecay) {
        return updateSettings(updateSettings().withWeightDecay(weightDecay));
    }

    /**
     * Clips each batch's gradient by its global norm (over every weight and bias) before it is
     * applied: a gradient longer than {@code maxNorm} is scaled by {@code maxNorm / (norm + 1e-6)},
     * as PyTorch's {@code clip_grad_norm_}. Default: no clipping. With several
     * {@link #threads(int) threads} the combined gradient is clipped.
     *
     * @throws IllegalArgumentException unless finite and positive
     */
    public Trainer clipGradientNorm(double maxNorm) {
        if (!(maxNorm > 0.0 && Double.isFinite(maxNorm))) {
            throw new IllegalArgumentException("the largest gradient norm is " + maxNorm + ", must be finite and positive");
        }
        this.maxGradientNorm = maxNorm;
        return this;
    }

    /**
     * Overrides the dropout rate of every layer the spec declares with
     * {@code @Dense(dropout = ...)} for this trainer's runs; 0 trains without dropout. Layers
     * declared without dropout stay without. Default: the declared rates.
     *
     * <p>Dropout is on while {@link #fit} computes gradients, and only then: each batch draws its
     * masks from a seed derived from {@code (seed, epoch, batch)} alone, so a resumed run draws the
     * same masks: {@code mix(mix(seed ^ (epoch * 0x9E3779B97F4A7C15L)) + batch)} for batch
     * {@code batch} (from 1) of epoch {@code epoch} (from 1), with {@code mix} SplitMix64's
     * finalizer; with several threads, worker {@code k > 0} uses
     * {@code mix(s + k * 0x9E3779B97F4A7C15L)} of that seed {@code s}. Losses and predictions never
     * drop.
     *
     * @throws IllegalArgumentException unless {@code 0 <= rate < 1}
     */
    public Trainer dropout(double rate) {
        if (!(rate >= 0.0 && rate < 1.0)) {
            throw new IllegalArgumentException("dropout rate is " + rate + ", must be in [0, 1)");
        }
        this.dropoutRate = rate;
        return this;
    }

    /** The seed of the dropout masks of batch {@code batch} of epoch {@code epoch}, both from 1; see {@link #dropout}. */
    static long dropoutSeed(long seed, int epoch, int batch) {
        return mix(mix(seed ^ (epoch * EPOCH_SEED_MIX)) + batch);
    }

    /** SplitMix64's finalizer (Stafford's variant 13). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Adds a listener told about the start, every batch, every epoch and the end of each run, in
     * the order added; default none, so {@code fit} prints nothing.
     */
    public Trainer listener(EpochListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener is null"));
        return this;
    }

    /**
     * How the learning rate changes from epoch to epoch; default {@link LearningRateSchedule#constant()}.
     * The schedule scales the base rate of {@link #learningRate(double)}; each epoch's rate is
     * reported in {@link EpochEvent#learningRate()} and {@link TrainingResult#learningRates()}.
     */
    public Trainer schedule(LearningRateSchedule schedule) {
        this.schedule = Objects.requireNonNull(schedule, "schedule is null");
        return this;
    }

    /**
     * Measures the loss and metrics on {@code validation} after every epoch, with the parameters
     * at the end of the epoch; default none. Replaces a {@link #validationSplit}. The validation
     * rows are never trained on; their loss is what {@link Monitor#VALIDATION_LOSS} watches.
     * Costs a forward pass over the rows per epoch, in chunks of {@link Evaluator#CHUNK}, with
     * buffers made once per {@code fit}.
     */
    public Trainer validation(Dataset validation) {
        this.validationSet = Objects.requireNonNull(validation, "validation is null");
        this.validationFraction = 0.0;
        return this;
    }

    /**
     * Holds out a seeded random {@code fraction} of the rows given to {@link #fit} to validate on,
     * as {@link #validation(Dataset)} does, and trains on the rest; default none. Replaces a
     * {@link #validation(Dataset)}. When every row's targets name one class
     * ({@link Dataset#hasClassTargets()}) the split is stratified, so each class keeps its share
     * on both sides: {@code data.stratifiedSplit(1 - fraction, seed)}, otherwise
     * {@code data.split(1 - fraction, seed)}, whose test part validates. So the validation part
     * has {@code size - round((1 - fraction) × size)} rows, and the same seed always holds out the
     * same rows. The seed is separate from {@link #seed(long)}, so changing one does not change
     * the other.
     *
     * @throws IllegalArgumentException unless {@code 0 < fraction < 1}
     */
    public Trainer validationSplit(double fraction, long seed) {
        if (!(fraction > 0.0 && fraction < 1.0)) {
            throw new IllegalArgumentException("the validation fraction is " + fraction
                    + ", must be strictly between 0 and 1 (0.2 holds out 20% of the rows)");
        }
        this.validationFraction = fraction;
        this.validationSeed = seed;
        this.validationSet = null;
        return this;
    }

    /**
     * {@code restoreBest(true)} ends every run with the parameters of its best epoch: by
     * validation loss when the run validates, otherwise by training loss; see
     * {@link #restoreBest(Monitor)}. {@code false}, the default, ends with the last step's.
     */
    public Trainer restoreBest(boolean restore) {
        this.restoreBest = null;
        this.restoreBestAuto = restore;
        return this;
    }

    /**
     * Ends every run with the parameters of the epoch with the lowest {@code monitor} loss
     * (Keras's {@code restore_best_weights}), whatever stopped it: the budget, a stop condition,
     * a listener or an interrupt; not when {@code fit} throws. {@link TrainingResult#restoredEpoch()}
     * says which epoch's parameters the network got. Ties keep the earlier epoch; NaN losses never
     * count as best.
     *
     * <p>Cost: a copy of the parameters ({@link Model#parameters()}), made after each epoch that
     * improves on the best so far, so one extra parameter array of memory, and time proportional to
     * the parameter count per improving epoch (small against an epoch of training). Only the
     * parameters are restored: the optimizer's state (momentum, Adam's moments) stays at the last
     * step's. With {@link Monitor#TRAINING_LOSS}, note that an epoch's training loss is measured
     * while its parameters change; the validation loss is the sound choice.
     *
     * @throws IllegalArgumentException (from {@code fit}) for {@link Monitor#VALIDATION_LOSS}
     *     without validation data
     */
    public Trainer restoreBest(Monitor monitor) {
        this.restoreBest = Objects.requireNonNull(monitor, "monitor is null");
        this.restoreBestAuto = false;
        return this;
    }

    /**
     * Which metrics to measure and report per epoch; default {@link Task#of(Model)}, chosen from
     * the network's loss (categorical or binary cross-entropy: accuracy; otherwise MAE, RMSE and
     * R²). Set it for a classifier trained on mean squared error, say.
     */
    public Trainer metrics(Task task) {
        this.task = Objects.requireNonNull(task, "task is null");
        return this;
    }

    /**
     * Trains the network on {@code data}, updating its parameters in place.
     *
     * @return the per-epoch losses, learning rates and metrics, and the reason training stopped
     *     (for a resumed run, from epoch 1, the checkpoint's epochs included)
     * @throws IllegalArgumentException if the dataset's (or the validation dataset's) feature or
     *     target count differs from the network's input or output size, a validation split would
     *     leave a part empty, restore-best watches the validation loss of a run without validation,
     *     or the checkpoint to resume from has no training state or a different seed
     * @throws IllegalStateException if the schedule gives a learning rate that is NaN, infinite or
     *     negative
     * @throws UncheckedIOException if the checkpoint to resume from cannot be read or does not fit
     *     the network (its cause, a {@link dev.chainrule.io.ModelFileException}, says why), or a
     *     checkpoint cannot be written
     * @throws TrainingDivergedException if a batch's loss or gradient becomes NaN or infinite; the
     *     network keeps the parameters of the last step applied
     */
    public TrainingResult fit(Dataset data) {
        Objects.requireNonNull(data, "data is null");
        requireFits(data, "the dataset");
        long startNanos = System.nanoTime();
        Precision precision = Objects.requireNonNull(model.precision(), "model.precision() is null");
        double baseLearningRate = this.learningRate;
        LearningRateSchedule schedule = this.schedule;
        int budget = this.epochs;
        long seed = this.seed;
        boolean shuffle = this.shuffle;
        StopCondition stopCondition = this.stopCondition;
        EpochListener[] listeners = this.listeners.toArray(new EpochListener[0]);
        Task task = this.task != null ? this.task : Task.of(model);

        Dataset train = data;
        Dataset validation = null;
        String validationSetting = "";
        if (validationSet != null) {
            requireFits(validationSet, "the validation dataset");
            validation = validationSet;
            validationSetting = "a validation dataset of " + count(validation.size(), "row");
        } else if (validationFraction > 0.0) {
            boolean stratified = data.hasClassTargets();
            Dataset.Split split;
            try {
                split = stratified ? data.stratifiedSplit(1.0 - validationFraction, validationSeed)
                        : data.split(1.0 - validationFraction, validationSeed);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("validationSplit(" + validationFraction + ", " + validationSeed
                        + ") of " + count(data.size(), "row") + " leaves no row to train or to validate on: "
                        + e.getMessage(), e);
            }
            train = split.train();
            validation = split.test();
            validationSetting = "split " + validationFraction + " with seed " + validationSeed
                    + (stratified ? ", stratified" : "");
        }
        Monitor bestMonitor = restoreBest != null ? restoreBest
                : restoreBestAuto ? (validation != null ? Monitor.VALIDATION_LOSS : Monitor.TRAINING_LOSS) : null;
        if (bestMonitor == Monitor.VALIDATION_LOSS && validation == null) {
            throw new IllegalArgumentException("restoreBest(VALIDATION_LOSS) needs validation data: give the trainer"
                    + " Trainer.validation(dataset) or Trainer.validationSplit(fraction, seed), or restore by"
                    + " Monitor.TRAINING_LOSS");
        }

        EpochRecorder history = new EpochRecorder(Math.min(budget, 1024), task.metrics(), validation != null, startNanos);
        BestParameters best = bestMonitor == null ? null : new BestParameters(bestMonitor);
        int firstEpoch = 1;
        if (resumeFrom != null) {
            Path path = resumeFrom;
            resumeFrom = null;
            TrainingState state = resume(path, seed, baseLearningRate, schedule, validationSetting, task, bestMonitor);
            seed = state.seed();
            restoreHistory(state, history);
            if (best != null) {
                restoreBestFrom(state, history, best, path);
            }
            firstEpoch = state.epoch() + 1;
        }
        warnIfUnscaled(train);
        warnIfUnused(updateSettings(), model.optimizer());

        int n = train.size();
        int slots = Math.min(batchSize, n);
        train.prepare(precision);
        Evaluator validator = validation == null ? null : new Evaluator(model, validation, task);
        List<String> names = train.classNames();
        MetricAccumulator trainMetrics = new MetricAccumulator(task, model.outputSize(),
                task == Task.CLASSIFICATION && names.size() == Math.max(model.outputSize(), 2) ? names : List.of());
        double[] output = new double[model.outputSize()];
        double[] target = new double[model.outputSize()];
        int[] order = new int[n];
        Thread thread = Thread.currentThread();
        String stopReason = null;
        boolean partialEpoch = false;

        TrainingStart start = new TrainingStart(firstEpoch, budget, n, (n + slots - 1) / slots,
                validation == null ? 0 : validation.size(), task);
        for (EpochListener listener : listeners) {
            listener.onStart(start);
        }
        try (BatchRunner runner = BatchRunner.create(model, train, precision, slots, threads, minFlopsPerWorker)) {
            runner.configure(updateSettings(), maxGradientNorm, dropoutRate);
            run:
            for (int epoch = firstEpoch; epoch <= budget; epoch++) {
                double learningRate = schedule.learningRate(epoch, baseLearningRate);
                if (!(learningRate >= 0.0 && Double.isFinite(learningRate))) {
                    throw new IllegalStateException("the learning-rate schedule " + schedule + " gives " + learningRate
                            + " for epoch " + epoch + " (base rate " + baseLearningRate + "); a learning rate must be"
                            + " finite and not negative");
                }
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                if (shuffle) {
                    shuffle(order, new SplittableRandom(seed ^ (epoch * EPOCH_SEED_MIX)));
                }
                trainMetrics.reset();
                double weightedLoss = 0.0;
                int batch = 0;
                for (int from = 0; from < n; from += slots) {
                    if (thread.isInterrupted()) {
                        stopReason = "interrupted";
                        partialEpoch = batch > 0;
                        break run;
                    }
                    int size = Math.min(slots, n - from);
                    runner.enableDropout(dropoutSeed(seed, epoch, batch + 1));
                    double loss = runner.computeGradients(order, from, size);
                    batch++;
                    checkStep(runner, epoch, batch, loss, weightedLoss + loss * size, learningRate);
                    for (int slot = 0; slot < size; slot++) {
                        runner.output(slot, output);
                        train.targetsInto(order[from + slot], target);
                        trainMetrics.add(output, target);
                    }
                    runner.applyGradients(learningRate);
                    weightedLoss += loss * size;
                    for (EpochListener listener : listeners) {
                        listener.onBatch(epoch, batch, weightedLoss / (from + size));
                    }
                }
                double epochLoss = weightedLoss / n;
                Evaluation training = trainMetrics.result(epochLoss);
                Evaluation validated = validator == null ? null : validator.evaluate();
                history.add(epochLoss, learningRate, training, validated);
                if (best != null) {
                    best.consider(history, model);
                }
                if (checkpointEvery > 0 && epoch % checkpointEvery == 0) {
                    checkpoint(epoch, seed, shuffle, history, validationSetting, task, best);
                }
                EpochEvent event = new EpochEvent(epoch, budget, epochLoss, learningRate,
                        Duration.ofNanos(System.nanoTime() - startNanos), training, validated);
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
        } catch (RuntimeException failure) {
            for (EpochListener listener : listeners) {
                try {
                    listener.onFailure(failure);
                } catch (RuntimeException another) {
                    failure.addSuppressed(another);
                }
            }
            throw failure;
        }
        if (stopReason == null) {
            stopReason = "epoch budget of " + budget + " reached";
        }
        int restored = 0;
        if (best != null && best.epoch() > 0 && (best.epoch() != history.epochs() || partialEpoch)) {
            model.setParameters(best.parameters());
            restored = best.epoch();
        }
        TrainingResult result = new TrainingResult(history.trainLosses(), history.validationLosses(),
                history.learningRates(), history.metrics(), history.trainMetrics(), history.validationMetrics(),
                restored, stopReason, Duration.ofNanos(System.nanoTime() - startNanos));
        for (EpochListener listener : listeners) {
            listener.onFinish(result);
        }
        return result;
    }

    /**
     * Refuses a step that diverged, before its gradient is applied: a loss that is not finite, an
     * epoch sum that overflows, or a gradient with a NaN or infinite element (its squared norm is
     * then not finite).
     */
    private static void checkStep(BatchRunner runner, int epoch, int batch, double loss, double sum,
            double learningRate) {
        if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException(epoch, batch, loss, learningRate);
        }
        if (!Double.isFinite(sum)) {
            throw new TrainingDivergedException(epoch, batch, loss, learningRate, "the summed loss of epoch " + epoch
                    + " overflows at batch " + batch + " (whose loss is " + loss + ")");
        }
        double norm = runner.gradientSquaredNorm();
        if (!Double.isFinite(norm)) {
            throw new TrainingDivergedException(epoch, batch, loss, learningRate, "the gradient of batch " + batch
                    + " of epoch " + epoch + " is not finite (its squared norm is " + norm + ", the batch's loss "
                    + loss + ")");
        }
    }

    private void requireFits(Dataset data, String what) {
        if (data.featureCount() != model.inputSize() || data.targetCount() != model.outputSize()) {
            throw new IllegalArgumentException(what + " has " + count(data.featureCount(), "feature")
                    + " and " + count(data.targetCount(), "target") + " per row, but the network takes "
                    + count(model.inputSize(), "input") + " and gives " + count(model.outputSize(), "output"));
        }
    }

    /**
     * Reads the checkpoint, loads its parameters into the network and returns its training state,
     * after checking what must match and warning about what differs.
     */
    private TrainingState resume(Path path, long seed, double baseLearningRate, LearningRateSchedule schedule,
            String validationSetting, Task task, Monitor bestMonitor) {
        ModelFile file;
        try {
            file = ModelFile.read(path);
            file.restoreOptimizerState(model); // checks the topology and the optimizer before changing anything
            file.applyTo(model);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resume from " + path + ": " + e.getMessage(), e);
        }
        TrainingState state = file.trainingState().orElseThrow(() -> new IllegalArgumentException(path
                + " holds a model but no training state, so there is no run to resume; it was written by"
                + " ModelFile.save, not as a checkpoint. To start training from its parameters, load it with"
                + " ModelFile.loadInto and call fit without resumeFrom"));
        if (!file.skippedSections().isEmpty()) {
            throw new IllegalArgumentException(path + " holds training state this version of chainrule cannot"
                    + " restore (sections " + file.skippedSections() + "); resuming without it would not repeat the run");
        }
        if (seedSet && seed != state.seed()) {
            throw new IllegalArgumentException("the checkpoint " + path + " was trained with seed " + state.seed()
                    + ", but this trainer is set to seed " + seed + "; a resumed run continues the checkpoint's random"
                    + " streams, so leave the seed unset or set it to " + state.seed());
        }
        List<String> changed = new ArrayList<>();
        if (state.batchSize() != batchSize) {
            changed.add("batch size " + state.batchSize() + " -> " + batchSize);
        }
        if (state.threads() != threads) {
            changed.add("threads " + state.threads() + " -> " + threads);
        }
        double[] rates = state.learningRates();
        if (rates.length == 0) {
            double now = state.epoch() == 0 ? baseLearningRate : schedule.learningRate(state.epoch(), baseLearningRate);
            if (state.learningRate() != now) {
                changed.add("learning rate " + state.learningRate() + " -> " + now);
            }
        } else {
            for (int e = 1; e <= rates.length; e++) {
                double now = schedule.learningRate(e, baseLearningRate);
                if (Double.compare(rates[e - 1], now) != 0) {
                    changed.add("learning rate of epoch " + e + " " + rates[e - 1] + " -> " + now
                            + " (schedule " + schedule + ", base rate " + baseLearningRate + ")");
                    break;
                }
            }
        }
        if (state.shuffle() != shuffle) {
            changed.add("shuffle " + state.shuffle() + " -> " + shuffle);
        }
        if (!state.validation().equals(validationSetting)) {
            changed.add("validation " + orNone(state.validation()) + " -> " + orNone(validationSetting));
        }
        if (!state.task().isEmpty() && !state.task().equals(task.name())) {
            changed.add("metrics " + state.task() + " -> " + task);
        }
        String savedMonitor = state.best().map(TrainingState.Best::monitor).orElse("");
        String monitor = bestMonitor == null ? "" : bestMonitor.name();
        if (!savedMonitor.equals(monitor) && (!monitor.isEmpty() || !savedMonitor.isEmpty())) {
            changed.add("restore-best " + orNone(savedMonitor) + " -> " + orNone(monitor));
        }
        if (!changed.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "resuming " + path + " at epoch " + (state.epoch() + 1) + " with other"
                    + " settings than the checkpoint's (" + String.join(", ", changed) + "): the run will not repeat"
                    + " an uninterrupted one");
        }
        return state;
    }

    private static String orNone(String setting) {
        return setting.isEmpty() ? "none" : setting;
    }

    /**
     * Fills the history with the checkpoint's epochs. What the checkpoint did not record (the
     * learning rates of a version 1 checkpoint, the validation of a run that did not validate)
     * becomes NaN, or for learning rates the checkpoint's one rate, which version 1 trainers kept
     * constant.
     */
    private static void restoreHistory(TrainingState state, EpochRecorder history) {
        int epochs = state.epoch();
        double[] loss = state.trainLoss();
        double[] rates = state.learningRates();
        double[] validation = state.validationLoss();
        List<Metric> metrics = history.metrics();
        double[][] train = new double[metrics.size()][];
        double[][] val = new double[metrics.size()][];
        for (int i = 0; i < metrics.size(); i++) {
            String key = metrics.get(i).key();
            train[i] = state.metric(key).orElse(null);
            val[i] = state.metric("val_" + key).orElse(null);
        }
        double[] t = new double[metrics.size()];
        double[] v = new double[metrics.size()];
        for (int e = 0; e < epochs; e++) {
            for (int i = 0; i < metrics.size(); i++) {
                t[i] = train[i] == null ? Double.NaN : train[i][e];
                v[i] = val[i] == null ? Double.NaN : val[i][e];
            }
            history.add(loss[e], rates.length == 0 ? state.learningRate() : rates[e],
                    validation.length == 0 ? Double.NaN : validation[e], t, v);
        }
    }

    /**
     * Restores the best parameters of the checkpoint's run. A checkpoint written without
     * restore-best (or watching the other loss) has none: tracking then starts from the
     * checkpoint's own epoch and parameters, and {@link #resume} has warned.
     */
    private void restoreBestFrom(TrainingState state, EpochRecorder history, BestParameters best, Path path) {
        TrainingState.Best saved = state.best().orElse(null);
        if (saved != null && saved.monitor().equals(best.monitor().name())) {
            if (saved.parameters().length != model.parameterCount()) {
                throw new IllegalArgumentException(path + " holds " + saved.parameters().length + " best parameters,"
                        + " but the network has " + model.parameterCount());
            }
            best.restore(saved.epoch(), saved.value(), saved.parameters());
        } else if (history.epochs() > 0) {
            best.consider(history, model);
        }
    }

    private void checkpoint(int epoch, long seed, boolean shuffle, EpochRecorder history, String validationSetting,
            Task task, BestParameters best) {
        TrainingState.Builder state = TrainingState.builder(epoch, seed, batchSize, threads,
                history.learningRate(epoch), shuffle, history.trainLosses())
                .learningRates(history.learningRates())
                .validation(validationSetting, history.validationLosses())
                .task(task.name());
        Map<Metric, double[]> train = history.trainMetrics();
        Map<Metric, double[]> validation = history.validationMetrics();
        for (Metric m : history.metrics()) {
            state.metric(m.key(), train.get(m));
            if (validation.containsKey(m)) {
                state.metric("val_" + m.key(), validation.get(m));
            }
        }
        if (best != null && best.epoch() > 0) {
            state.best(new TrainingState.Best(best.monitor().name(), best.epoch(), best.value(), best.parameters()));
        }
        try {
            ModelFile.saveCheckpoint(model, state.build(), checkpointPath);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the checkpoint of epoch " + epoch + " to " + checkpointPath
                    + " (a previous checkpoint there is intact): " + e.getMessage(), e);
        }
    }

    /** The one warning per fit about features in the hundreds; see the class comment. */
    /**
     * Logs one warning if the update settings change a value the network's update rule does not
     * read (momentum on an Adam network, say): the rule is fixed by {@code @Network(optimizer)},
     * so the value has no effect, which is better said than silently ignored.
     */
    private static void warnIfUnused(UpdateSettings settings, dev.chainrule.Optimizer optimizer) {
        List<String> unused = unusedSettings(settings, optimizer);
        if (!unused.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "the update settings change " + String.join(", ", unused)
                    + ", which the network's update rule " + optimizer + " does not use, so they have no effect;"
                    + " the rule is chosen by @Network(optimizer = ...)");
        }
    }

    /** The settings changed from the defaults that {@code optimizer} does not read, by their names. */
    static List<String> unusedSettings(UpdateSettings s, dev.chainrule.Optimizer optimizer) {
        UpdateSettings d = UpdateSettings.defaults(optimizer);
        boolean momentum = optimizer == dev.chainrule.Optimizer.MOMENTUM
                || optimizer == dev.chainrule.Optimizer.NESTEROV;
        boolean adam = optimizer == dev.chainrule.Optimizer.ADAM || optimizer == dev.chainrule.Optimizer.ADAMW;
        boolean rmsprop = optimizer == dev.chainrule.Optimizer.RMSPROP;
        boolean rprop = optimizer == dev.chainrule.Optimizer.RPROP;
        List<String> unused = new ArrayList<>();
        if (!momentum && s.momentum() != d.momentum()) {
            unused.add("momentum");
        }
        if (!adam && (s.beta1() != d.beta1() || s.beta2() != d.beta2())) {
            unused.add("betas");
        }
        if (!adam && !rmsprop && s.epsilon() != d.epsilon()) {
            unused.add("epsilon");
        }
        if (!rmsprop && s.rmspropAlpha() != d.rmspropAlpha()) {
            unused.add("rmspropAlpha");
        }
        if (!rprop && (s.rpropEtaMinus() != d.rpropEtaMinus() || s.rpropEtaPlus() != d.rpropEtaPlus()
                || s.rpropStepMin() != d.rpropStepMin() || s.rpropStepMax() != d.rpropStepMax())) {
            unused.add("Rprop's etas and step sizes");
        }
        return unused;
    }

    private static void warnIfUnscaled(Dataset train) {
        double[] maxAbs = train.featureMaxAbs();
        int large = 0;
        int largest = 0;
        for (int j = 0; j < maxAbs.length; j++) {
            if (maxAbs[j] >= UNSCALED_FEATURE_MAGNITUDE) {
                large++;
            }
            if (maxAbs[j] > maxAbs[largest]) {
                largest = j;
            }
        }
        if (large == 0) {
            return;
        }
        List<String> names = train.featureNames();
        String name = names.isEmpty() ? "feature " + largest : "'" + names.get(largest) + "'";
        LOG.log(System.Logger.Level.WARNING, "the training features look unscaled: " + large + " of " + maxAbs.length
                + " features reach a magnitude of " + Format.number(UNSCALED_FEATURE_MAGNITUDE) + " or more ("
                + name + " reaches " + Format.number(maxAbs[largest]) + "). Inputs this large saturate tanh and"
                + " sigmoid units and make gradient steps too big, the most common reason a small network always"
                + " predicts one class. Fit a scaler on the training part and apply it to every part and to each"
                + " input you predict: Scaler scaler = StandardScaler.fit(train); train = scaler.transform(train);"
                + " ModelFile.save(net, scaler, path) keeps it with the model.");
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** The Fisher–Yates shuffle documented on {@link #shuffle(boolean)}, in place. */
    private static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }
}
