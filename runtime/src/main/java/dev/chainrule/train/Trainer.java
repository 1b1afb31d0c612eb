package dev.chainrule.train;

import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import dev.chainrule.data.Dataset;
import dev.chainrule.io.ModelFile;
import dev.chainrule.io.TrainingState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Trains a network by mini-batch gradient descent. Everything you tune between runs is set here,
 * so tuning needs no recompilation:
 *
 * <pre>{@code
 * TrainingResult r = Trainer.of(net)
 *         .learningRate(0.1).batchSize(16).epochs(500).seed(7L)
 *         .stopWhen(Convergence.lossBelow(0.05))
 *         .listener(ProgressPrinter.to(System.out).every(50))
 *         .fit(train);
 * }</pre>
 *
 * <p><b>An epoch</b> visits every row once, in mini-batches of {@link #batchSize(int)} rows; a
 * last, smaller batch is kept and averaged over its real size. Each batch computes the gradient
 * of its mean loss and moves every parameter by {@code -learningRate × gradient}. The epoch's
 * loss is the sample-weighted mean of its batch losses (as Keras reports it); it is measured while
 * the parameters change, so it is not the loss of the final parameters.
 *
 * <p><b>Stopping.</b> After each epoch the listeners run, then the stop conditions; training
 * ends when a condition gives a reason or the epoch budget is spent. If the thread is interrupted,
 * {@code fit} finishes the step in progress and returns (stop reason {@code interrupted}, the
 * interrupt flag still set) with the parameters of the last completed step.
 *
 * <p><b>Reproducibility.</b> With the same network start, data, settings and seed, a run repeats
 * bit for bit on the same machine: every random stream is derived from {@code (seed, epoch)}
 * alone, see {@link #shuffle(boolean)}. So a run can be checkpointed
 * ({@link #checkpointEvery(int, Path)}) and resumed ({@link #resumeFrom(Path)}) with exactly the
 * parameters an uninterrupted run would have reached.
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

    private Trainer(Model model) {
        this.model = model;
    }

    /** Starts configuring the training of {@code model}, with the defaults listed on each setter. */
    public static Trainer of(Model model) {
        return new Trainer(Objects.requireNonNull(model, "model is null"));
    }

    /**
     * The SGD step size; default 0.01. Too large a value makes training diverge
     * ({@link TrainingDivergedException}), too small a value makes it slow.
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
     * ({@link ModelFile#saveCheckpoint}) with the epoch, the seed and the loss history, from which
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
     * repeat the run. A different batch size, thread count, learning rate or shuffle setting is
     * allowed (to fine-tune, say) and logged as a warning.
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
     * The number of threads that share each mini-batch; default 1. Each thread computes the
     * gradient of a contiguous part of the batch in its own buffers, and the parts are summed in a
     * fixed order: the same thread count repeats bit for bit, a different count rounds
     * differently. Worth it for networks whose step takes more than about 100 microseconds
     * (MNIST-sized layers); a small network's step is shorter than the hand-off between threads,
     * so a step is shared only by as many threads as have at least 4 MFLOP of it each (about
     * {@code 6 × parameters × batch / threads}), and a small network trains on one thread.
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

    /** Adds a listener told about every epoch, in the order added. */
    public Trainer listener(EpochListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener is null"));
        return this;
    }

    /**
     * Trains the network on {@code train}, updating its parameters in place.
     *
     * @return the per-epoch losses and the reason training stopped (for a resumed run, from
     *     epoch 1, the checkpoint's epochs included)
     * @throws IllegalArgumentException if the dataset's feature or target count differs from the
     *     network's input or output size, or the checkpoint to resume from has no training state
     *     or a different seed
     * @throws UncheckedIOException if the checkpoint to resume from cannot be read or does not fit
     *     the network (its cause, a {@link dev.chainrule.io.ModelFileException}, says why), or a
     *     checkpoint cannot be written
     * @throws TrainingDivergedException if a batch loss becomes NaN or infinite
     */
    public TrainingResult fit(Dataset train) {
        Objects.requireNonNull(train, "train is null");
        if (train.featureCount() != model.inputSize() || train.targetCount() != model.outputSize()) {
            throw new IllegalArgumentException("the dataset has " + count(train.featureCount(), "feature")
                    + " and " + count(train.targetCount(), "target") + " per row, but the network takes "
                    + count(model.inputSize(), "input") + " and gives " + count(model.outputSize(), "output"));
        }
        Precision precision = Objects.requireNonNull(model.precision(), "model.precision() is null");
        double learningRate = this.learningRate;
        int budget = this.epochs;
        long seed = this.seed;
        boolean shuffle = this.shuffle;
        StopCondition stopCondition = this.stopCondition;
        EpochListener[] listeners = this.listeners.toArray(new EpochListener[0]);

        Recorder history = new Recorder(Math.min(budget, 1024));
        int firstEpoch = 1;
        if (resumeFrom != null) {
            TrainingState state = resume(resumeFrom);
            seed = state.seed();
            for (double loss : state.trainLoss()) {
                history.add(loss);
            }
            firstEpoch = state.epoch() + 1;
            resumeFrom = null;
        }
        warnIfUnscaled(train);

        int n = train.size();
        int slots = Math.min(batchSize, n);
        train.prepare(precision);
        int[] order = new int[n];
        Thread thread = Thread.currentThread();
        long start = System.nanoTime();
        String stopReason = null;

        try (BatchRunner runner = BatchRunner.create(model, train, precision, slots, threads, minFlopsPerWorker)) {
            run:
            for (int epoch = firstEpoch; epoch <= budget; epoch++) {
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                if (shuffle) {
                    shuffle(order, new SplittableRandom(seed ^ (epoch * EPOCH_SEED_MIX)));
                }
                double weightedLoss = 0.0;
                int batch = 0;
                for (int from = 0; from < n; from += slots) {
                    if (thread.isInterrupted()) {
                        stopReason = "interrupted";
                        break run;
                    }
                    int size = Math.min(slots, n - from);
                    double loss = runner.computeGradients(order, from, size);
                    batch++;
                    if (!Double.isFinite(loss)) {
                        throw new TrainingDivergedException(epoch, batch, loss, learningRate);
                    }
                    runner.applyGradients(learningRate);
                    weightedLoss += loss * size;
                }
                double epochLoss = weightedLoss / n;
                if (!Double.isFinite(epochLoss)) {
                    throw new TrainingDivergedException(epoch, batch, epochLoss, learningRate);
                }
                history.add(epochLoss);
                if (checkpointEvery > 0 && epoch % checkpointEvery == 0) {
                    checkpoint(epoch, seed, learningRate, shuffle, history);
                }
                EpochEvent event = new EpochEvent(
                        epoch, budget, epochLoss, learningRate, Duration.ofNanos(System.nanoTime() - start));
                for (EpochListener listener : listeners) {
                    listener.onEpoch(event);
                }
                if (stopCondition != null) {
                    stopReason = stopCondition.check(history);
                    if (stopReason != null) {
                        break;
                    }
                }
            }
        }
        if (stopReason == null) {
            stopReason = "epoch budget of " + budget + " reached";
        }
        TrainingResult result = new TrainingResult(
                history.trainLosses(), new double[0], stopReason, Duration.ofNanos(System.nanoTime() - start));
        for (EpochListener listener : listeners) {
            listener.onFinish(result);
        }
        return result;
    }

    /** Reads the checkpoint, loads its parameters into the network and returns its training state. */
    private TrainingState resume(Path path) {
        ModelFile file;
        try {
            file = ModelFile.read(path);
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
        if (state.learningRate() != learningRate) {
            changed.add("learning rate " + state.learningRate() + " -> " + learningRate);
        }
        if (state.shuffle() != shuffle) {
            changed.add("shuffle " + state.shuffle() + " -> " + shuffle);
        }
        if (!changed.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "resuming " + path + " at epoch " + (state.epoch() + 1) + " with other"
                    + " settings than the checkpoint's (" + String.join(", ", changed) + "): the run will not repeat"
                    + " an uninterrupted one");
        }
        return state;
    }

    private void checkpoint(int epoch, long seed, double learningRate, boolean shuffle, Recorder history) {
        TrainingState state = new TrainingState(epoch, seed, batchSize, threads, learningRate, shuffle,
                history.trainLosses());
        try {
            ModelFile.saveCheckpoint(model, state, checkpointPath);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the checkpoint of epoch " + epoch + " to " + checkpointPath
                    + " (a previous checkpoint there is intact): " + e.getMessage(), e);
        }
    }

    /** The one warning per fit about features in the hundreds; see the class comment. */
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

    /** The run's history: grows by doubling, so a huge budget costs nothing up front. */
    private static final class Recorder implements TrainingHistory {
        private double[] losses;
        private double[] best;
        private int count;

        Recorder(int capacity) {
            losses = new double[Math.max(capacity, 1)];
            best = new double[losses.length];
        }

        void add(double loss) {
            if (count == losses.length) {
                int capacity = (int) Math.min(Integer.MAX_VALUE - 8L, 2L * losses.length);
                losses = Arrays.copyOf(losses, capacity);
                best = Arrays.copyOf(best, capacity);
            }
            losses[count] = loss;
            best[count] = count == 0 ? loss : Math.min(best[count - 1], loss);
            count++;
        }

        @Override
        public int epochs() {
            return count;
        }

        @Override
        public double trainLoss(int epoch) {
            check(epoch);
            return losses[epoch - 1];
        }

        @Override
        public double bestTrainLoss(int throughEpoch) {
            check(throughEpoch);
            return best[throughEpoch - 1];
        }

        @Override
        public double[] trainLosses() {
            return Arrays.copyOf(losses, count);
        }

        private void check(int epoch) {
            if (epoch < 1 || epoch > count) {
                throw new IndexOutOfBoundsException(
                        "epoch " + epoch + " is outside 1.." + count + " (epochs are numbered from 1)");
            }
        }
    }
}
