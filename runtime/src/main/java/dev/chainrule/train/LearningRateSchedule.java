package dev.chainrule.train;

/**
 * The learning rate of each epoch, as a function of the epoch (numbered from 1) and the base
 * learning rate set with {@link Trainer#learningRate(double)}. Set it with
 * {@link Trainer#schedule(LearningRateSchedule)}; the default is {@link #constant()}.
 *
 * <pre>{@code
 * Trainer.of(net).learningRate(0.1).epochs(100)
 *         .schedule(LearningRateSchedule.cosineAnnealing(95, 0.001).withLinearWarmUp(5))
 *         .fit(train);
 * // or any function of the epoch:
 *         .schedule((epoch, base) -> base / Math.sqrt(epoch))
 * }</pre>
 *
 * <p>As in PyTorch's {@code torch.optim.lr_scheduler}, the factories scale the base rate, and the
 * rate changes between epochs, never within one. A schedule is a pure function of its arguments,
 * not a stateful object: so a run resumed from a checkpoint gets exactly the rates an
 * uninterrupted run would have had, and the trainer can check that a resumed run uses the same
 * schedule. The factories compute with {@link StrictMath}, so their rates are the same on every
 * machine.
 *
 * <p>The trainer checks each rate: it must be finite and not negative (0 is allowed, for a
 * warm-up that starts from nothing, say); otherwise {@code fit} throws
 * {@link IllegalStateException} naming the epoch.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /**
     * The learning rate of epoch {@code epoch}.
     *
     * @param epoch the epoch, numbered from 1
     * @param baseLearningRate the trainer's {@link Trainer#learningRate(double)}
     */
    double learningRate(int epoch, double baseLearningRate);

    /** The base learning rate in every epoch: no schedule. */
    static LearningRateSchedule constant() {
        return Schedules.Constant.INSTANCE;
    }

    /**
     * Multiplies the rate by {@code factor} every {@code everyEpochs} epochs: epoch {@code e}
     * gets {@code base × factor^floor((e - 1) / everyEpochs)}, so the first {@code everyEpochs}
     * epochs use the base rate (PyTorch's {@code StepLR} with {@code gamma = factor},
     * {@code step_size = everyEpochs}).
     *
     * @throws IllegalArgumentException unless {@code factor} is finite and positive and
     *     {@code everyEpochs >= 1}
     */
    static LearningRateSchedule stepDecay(double factor, int everyEpochs) {
        Schedules.requirePositive(factor, "factor");
        if (everyEpochs < 1) {
            throw new IllegalArgumentException("everyEpochs is " + everyEpochs + ", must be at least 1");
        }
        return new Schedules.StepDecay(factor, everyEpochs);
    }

    /**
     * Multiplies the rate by {@code factor} every epoch: epoch {@code e} gets
     * {@code base × factor^(e - 1)} (PyTorch's {@code ExponentialLR} with {@code gamma = factor}).
     *
     * @throws IllegalArgumentException unless {@code factor} is finite and positive
     */
    static LearningRateSchedule exponentialDecay(double factor) {
        Schedules.requirePositive(factor, "factor");
        return new Schedules.ExponentialDecay(factor);
    }

    /**
     * Lowers the rate from the base to {@code minLearningRate} along half a cosine over
     * {@code epochs} epochs: epoch {@code e} gets
     * {@code min + (base - min) × (1 + cos(π (e - 1) / epochs)) / 2} (PyTorch's
     * {@code CosineAnnealingLR} with {@code T_max = epochs}, {@code eta_min = minLearningRate}).
     * Epoch 1 has the base rate; after epoch {@code epochs + 1} the rate stays at the minimum
     * (where PyTorch's would rise again). For a run of {@code n} epochs, {@code epochs = n} is
     * the usual choice.
     *
     * @throws IllegalArgumentException unless {@code epochs >= 1} and {@code minLearningRate} is
     *     finite and not negative
     */
    static LearningRateSchedule cosineAnnealing(int epochs, double minLearningRate) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs is " + epochs + ", must be at least 1");
        }
        if (!(minLearningRate >= 0.0 && Double.isFinite(minLearningRate))) {
            throw new IllegalArgumentException("minLearningRate is " + minLearningRate
                    + ", must be finite and not negative");
        }
        return new Schedules.CosineAnnealing(epochs, minLearningRate);
    }

    /**
     * A linear warm-up over {@code epochs} epochs, then the base rate:
     * {@code constant().withLinearWarmUp(epochs)}.
     *
     * @throws IllegalArgumentException if {@code epochs < 1}
     */
    static LearningRateSchedule linearWarmUp(int epochs) {
        return constant().withLinearWarmUp(epochs);
    }

    /**
     * Warms up linearly over the first {@code epochs} epochs, then follows this schedule as if
     * training had started there: epoch {@code e <= epochs} gets {@code base × e / epochs}, and
     * epoch {@code e > epochs} gets {@code this.learningRate(e - epochs, base)}. So
     * {@code cosineAnnealing(90, 0).withLinearWarmUp(10)} warms up for 10 epochs and then anneals
     * over the remaining 90. Large learning rates (and Adam's early steps) are less likely to
     * diverge after a warm-up.
     *
     * @throws IllegalArgumentException if {@code epochs < 1}
     */
    default LearningRateSchedule withLinearWarmUp(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("warm-up epochs is " + epochs + ", must be at least 1");
        }
        return new Schedules.WarmUp(epochs, this);
    }
}
