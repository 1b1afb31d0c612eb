package dev.chainrule.train;

import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import dev.chainrule.data.Dataset;
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
 * alone, see {@link #shuffle(boolean)}.
 *
 * <p>A trainer is a mutable builder, not safe for concurrent configuration; {@link #fit} may be
 * called repeatedly and continues from the network's current parameters.
 */
public final class Trainer {

    /** The golden-ratio increment that spreads epoch numbers over the seed space. */
    private static final long EPOCH_SEED_MIX = 0x9E3779B97F4A7C15L;

    private final Model model;
    private double learningRate = 0.01;
    private int batchSize = 32;
    private int epochs = 100;
    private long seed = 0L;
    private boolean shuffle = true;
    private int threads = 1;
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
     * training earlier.
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
     * differently. Worth it for networks whose step takes more than about 50 microseconds
     * (MNIST-sized layers); a small network's step is shorter than the hand-off between threads.
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

    /** Adds a listener told about every epoch, in the order added. */
    public Trainer listener(EpochListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener is null"));
        return this;
    }

    /**
     * Trains the network on {@code train}, updating its parameters in place.
     *
     * @return the per-epoch losses and the reason training stopped
     * @throws IllegalArgumentException if the dataset's feature or target count differs from the
     *     network's input or output size
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

        int n = train.size();
        int slots = Math.min(batchSize, n);
        train.prepare(precision);
        int[] order = new int[n];
        Recorder history = new Recorder(Math.min(budget, 1024));
        Thread thread = Thread.currentThread();
        long start = System.nanoTime();
        String stopReason = null;

        try (BatchRunner runner = BatchRunner.create(model, train, precision, slots, threads)) {
            run:
            for (int epoch = 1; epoch <= budget; epoch++) {
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
