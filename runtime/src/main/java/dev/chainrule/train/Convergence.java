package dev.chainrule.train;

import java.time.Duration;
import java.util.Objects;

/**
 * The usual stop conditions; combine them with {@link StopCondition#or} or several
 * {@link Trainer#stopWhen} calls. The epoch budget itself is {@link Trainer#epochs(int)}; these
 * stop earlier, when training has reached its goal, stopped paying off, or used its time.
 *
 * <p>Every rule here decides from the {@link TrainingHistory} alone (no hidden counters), so a
 * run resumed from a checkpoint, whose history includes the checkpoint's epochs, stops where an
 * uninterrupted run would (except {@link #timeLimit}, which measures this call's time).
 */
public final class Convergence {

    private Convergence() {}

    /**
     * Stops as soon as an epoch's training loss is strictly below {@code threshold}; the reason
     * reads like {@code training loss 0.00981 fell below 0.01 at epoch 812}.
     *
     * @throws IllegalArgumentException if {@code threshold} is NaN or infinite
     */
    public static StopCondition lossBelow(double threshold) {
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("threshold is " + threshold + ", must be finite");
        }
        return history -> {
            double loss = history.lastTrainLoss();
            return loss < threshold
                    ? "training loss " + Format.number(loss) + " fell below " + Format.number(threshold)
                            + " at epoch " + history.epochs()
                    : null;
        };
    }

    /**
     * Stops when the last {@code patience} epochs have not improved significantly on the epochs
     * before them (early stopping on the training loss, like Keras's {@code EarlyStopping} but
     * with a relative {@code min_delta}).
     *
     * <p>Precisely: after epoch {@code t > patience}, let {@code before} be the lowest loss of
     * epochs {@code 1..t-patience} and {@code recent} the lowest of epochs
     * {@code t-patience+1..t}. Training continues only if
     * {@code recent < before - minRelativeImprovement × |before|}, that is, if some recent epoch
     * beat the earlier best by at least the relative amount (strictly, so a flat loss stops even
     * when {@code minRelativeImprovement} is 0). It never stops within the first
     * {@code patience} epochs. For example {@code noSignificantImprovement(0.001, 10)} stops once
     * ten epochs in a row have failed to lower the best loss by 0.1%.
     *
     * @throws IllegalArgumentException unless {@code 0 <= minRelativeImprovement < 1} and
     *     {@code patience >= 1}
     */
    public static StopCondition noSignificantImprovement(double minRelativeImprovement, int patience) {
        if (!(minRelativeImprovement >= 0.0 && minRelativeImprovement < 1.0)) {
            throw new IllegalArgumentException("minRelativeImprovement is " + minRelativeImprovement
                    + ", must be at least 0 and below 1 (0.01 means 1%)");
        }
        if (patience < 1) {
            throw new IllegalArgumentException("patience is " + patience + ", must be at least 1 epoch");
        }
        return history -> {
            int t = history.epochs();
            if (t <= patience) {
                return null;
            }
            double before = history.bestTrainLoss(t - patience);
            double recent = Double.POSITIVE_INFINITY;
            for (int e = t - patience + 1; e <= t; e++) {
                recent = Math.min(recent, history.trainLoss(e));
            }
            if (recent < before - minRelativeImprovement * Math.abs(before)) {
                return null;
            }
            // the epoch named is the last of the window, where training stops: the earlier best
            // may be from any epoch before the window
            return "no significant improvement in " + window(patience, t) + ": " + (patience == 1 ? "its" : "their")
                    + " best training loss, "
                    + Format.number(recent) + ", did not improve on the earlier best " + Format.number(before)
                    + " by " + Format.number(100.0 * minRelativeImprovement) + "%";
        };
    }

    /**
     * Early stopping: stops when the watched loss has not improved by more than {@code minDelta}
     * for {@code patience} epochs, like Keras's {@code EarlyStopping(monitor, min_delta,
     * patience)}. For example
     * {@code noImprovement(Monitor.VALIDATION_LOSS, 1e-4, 10)} stops once ten epochs in a row
     * have not lowered the best validation loss by more than 0.0001. Pair it with
     * {@link Trainer#restoreBest(Monitor)} to end with the best parameters rather than the last.
     *
     * <p>Precisely: after epoch {@code t > patience}, let {@code before} be the lowest watched
     * loss of epochs {@code 1..t-patience} and {@code recent} the lowest of epochs
     * {@code t-patience+1..t}. Training continues only if {@code recent < before - minDelta}
     * (strictly, so a flat loss stops even when {@code minDelta} is 0). It never stops within the
     * first {@code patience} epochs. A NaN validation loss never counts as an improvement. The
     * rule reads nothing but the history, so a resumed run stops exactly where an uninterrupted
     * one would.
     *
     * @throws IllegalArgumentException unless {@code minDelta} is finite and not negative and
     *     {@code patience >= 1}
     * @throws IllegalStateException (from {@code fit}, after the first epoch) if it watches the
     *     validation loss of a run without validation data
     */
    public static StopCondition noImprovement(Monitor monitor, double minDelta, int patience) {
        Objects.requireNonNull(monitor, "monitor is null");
        if (!(minDelta >= 0.0 && Double.isFinite(minDelta))) {
            throw new IllegalArgumentException("minDelta is " + minDelta + ", must be finite and not negative");
        }
        if (patience < 1) {
            throw new IllegalArgumentException("patience is " + patience + ", must be at least 1 epoch");
        }
        return history -> {
            if (monitor == Monitor.VALIDATION_LOSS && !history.hasValidation()) {
                throw new IllegalStateException("noImprovement(VALIDATION_LOSS, ...) watches the validation loss, but"
                        + " this run has none: give the trainer validation data with Trainer.validation(dataset) or"
                        + " Trainer.validationSplit(fraction, seed), or watch Monitor.TRAINING_LOSS");
            }
            int t = history.epochs();
            if (t <= patience) {
                return null;
            }
            double before = monitor.best(history, t - patience);
            double recent = Double.NaN;
            for (int e = t - patience + 1; e <= t; e++) {
                double v = monitor.value(history, e);
                if (!Double.isNaN(v) && !(v >= recent)) {
                    recent = v;
                }
            }
            if (recent < before - minDelta || (Double.isNaN(before) && !Double.isNaN(recent))) {
                return null;
            }
            return "no improvement of the " + monitor.label() + " by more than " + Format.number(minDelta)
                    + " in " + window(patience, t) + ": " + (patience == 1 ? "its value" : "their best") + " is "
                    + Format.number(recent)
                    + ", the earlier best " + Format.number(before);
        };
    }

    /**
     * Stops after the first epoch that ends {@code limit} or more after {@code fit} started. The
     * epoch in progress always completes, so a run can overshoot by up to one epoch (and its
     * validation); for a hard deadline, interrupt the training thread instead, which stops after
     * the current batch. A resumed run's budget counts from its own start. Time makes the number
     * of epochs depend on the machine's speed, so a run stopped by this is not reproducible.
     *
     * @throws IllegalArgumentException unless {@code limit} is positive
     */
    public static StopCondition timeLimit(Duration limit) {
        Objects.requireNonNull(limit, "limit is null");
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("the time limit is " + limit + ", must be positive");
        }
        return history -> {
            Duration elapsed = history.elapsed();
            return elapsed.compareTo(limit) >= 0
                    ? "time limit of " + Format.seconds(limit) + " reached after epoch " + history.epochs() + " ("
                            + Format.seconds(elapsed) + ")"
                    : null;
        };
    }

    /** {@code "the 20 epochs up to epoch 185"}, or {@code "epoch 7"} for a window of one. */
    private static String window(int patience, int lastEpoch) {
        return patience == 1 ? "epoch " + lastEpoch : "the " + patience + " epochs up to epoch " + lastEpoch;
    }
}
