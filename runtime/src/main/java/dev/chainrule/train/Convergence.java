package dev.chainrule.train;

/**
 * The usual stop conditions. The epoch budget itself is {@link Trainer#epochs(int)}; these stop
 * earlier, when training has reached its goal or stopped paying off.
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
            return "no significant improvement: the best training loss of the last " + patience
                    + (patience == 1 ? " epoch, " : " epochs, ") + Format.number(recent)
                    + ", did not improve on the earlier best " + Format.number(before)
                    + " by " + Format.number(100.0 * minRelativeImprovement) + "% (epoch " + t + ")";
        };
    }
}
