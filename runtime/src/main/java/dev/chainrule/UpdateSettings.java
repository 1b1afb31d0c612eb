package dev.chainrule;

/**
 * The run-time hyperparameters of a network's update rule (everything but the learning rate,
 * which each step is given). Defaults are PyTorch's; the rule a network uses is fixed when it is
 * generated ({@link Network#optimizer()}), and fields it does not use are ignored. The formulas
 * are on {@link Optimizer}.
 *
 * <pre>{@code
 * UpdateSettings s = UpdateSettings.defaults(Optimizer.ADAM).withBetas(0.9, 0.99).withWeightDecay(1e-4);
 * }</pre>
 *
 * @param momentum μ of {@link Optimizer#MOMENTUM} and {@link Optimizer#NESTEROV}; finite, at least 0
 * @param beta1 Adam's first-moment decay, in [0, 1)
 * @param beta2 Adam's second-moment decay, in [0, 1)
 * @param epsilon added to the denominator of RMSprop and Adam (outside the square root); finite and
 *     at least {@link Float#MIN_NORMAL}, so that it is positive in a FLOAT network too (with 0, a
 *     parameter whose gradient has always been 0 would get {@code 0 / 0}, NaN)
 * @param rmspropAlpha RMSprop's smoothing constant, in [0, 1]
 * @param weightDecay L2 penalty added to the gradient ({@code g += λ θ}, weights and biases, as
 *     PyTorch does); decoupled ({@code θ -= lr λ θ}) for {@link Optimizer#ADAMW}; finite, at least 0
 * @param rpropEtaMinus Rprop's step decrease factor, in (0, 1)
 * @param rpropEtaPlus Rprop's step increase factor, finite and greater than 1
 * @param rpropStepMin the smallest Rprop step, at least 0
 * @param rpropStepMax the largest Rprop step, finite and at least {@code rpropStepMin}
 */
public record UpdateSettings(
        double momentum,
        double beta1,
        double beta2,
        double epsilon,
        double rmspropAlpha,
        double weightDecay,
        double rpropEtaMinus,
        double rpropEtaPlus,
        double rpropStepMin,
        double rpropStepMax) {

    /**
     * @throws IllegalArgumentException if a value is outside its range (as PyTorch checks them, except
     *     that ε must be positive where PyTorch accepts 0), with a message naming it and its value
     */
    public UpdateSettings {
        require(momentum >= 0 && Double.isFinite(momentum), "momentum", momentum, "finite and at least 0");
        require(beta1 >= 0 && beta1 < 1, "beta1", beta1, "in [0, 1)");
        require(beta2 >= 0 && beta2 < 1, "beta2", beta2, "in [0, 1)");
        require(epsilon >= Float.MIN_NORMAL && Double.isFinite(epsilon), "epsilon", epsilon,
                "finite and positive, at least Float.MIN_NORMAL (" + Float.MIN_NORMAL + "): with 0 a parameter whose"
                        + " gradient is 0 would be divided 0 by 0");
        require(rmspropAlpha >= 0 && rmspropAlpha <= 1, "rmspropAlpha", rmspropAlpha, "in [0, 1]");
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "weightDecay", weightDecay, "finite and at least 0");
        require(rpropEtaMinus > 0 && rpropEtaMinus < 1, "rpropEtaMinus", rpropEtaMinus, "in (0, 1)");
        require(rpropEtaPlus > 1 && Double.isFinite(rpropEtaPlus), "rpropEtaPlus", rpropEtaPlus,
                "finite and greater than 1");
        require(rpropStepMin >= 0 && Double.isFinite(rpropStepMin), "rpropStepMin", rpropStepMin,
                "finite and at least 0");
        require(rpropStepMax >= rpropStepMin && Double.isFinite(rpropStepMax), "rpropStepMax", rpropStepMax,
                "finite and at least rpropStepMin (" + rpropStepMin + ")");
    }

    private static void require(boolean valid, String name, double value, String range) {
        if (!valid) {
            throw new IllegalArgumentException(name + " is " + value + ", must be " + range);
        }
    }

    /**
     * PyTorch's defaults: momentum 0.9 (PyTorch's SGD has 0, which is plain SGD here), betas
     * (0.9, 0.999), epsilon 1e-8, RMSprop alpha 0.99, weight decay 0 (0.01 for AdamW), Rprop etas
     * (0.5, 1.2) and step sizes (1e-6, 50).
     */
    public static UpdateSettings defaults(Optimizer optimizer) {
        return new UpdateSettings(0.9, 0.9, 0.999, 1e-8, 0.99, optimizer == Optimizer.ADAMW ? 0.01 : 0.0,
                0.5, 1.2, 1e-6, 50.0);
    }

    /** A copy with another {@link #momentum()}. */
    public UpdateSettings withMomentum(double momentum) {
        return new UpdateSettings(momentum, beta1, beta2, epsilon, rmspropAlpha, weightDecay, rpropEtaMinus,
                rpropEtaPlus, rpropStepMin, rpropStepMax);
    }

    /** A copy with other {@link #beta1()} and {@link #beta2()}. */
    public UpdateSettings withBetas(double beta1, double beta2) {
        return new UpdateSettings(momentum, beta1, beta2, epsilon, rmspropAlpha, weightDecay, rpropEtaMinus,
                rpropEtaPlus, rpropStepMin, rpropStepMax);
    }

    /** A copy with another {@link #epsilon()}. */
    public UpdateSettings withEpsilon(double epsilon) {
        return new UpdateSettings(momentum, beta1, beta2, epsilon, rmspropAlpha, weightDecay, rpropEtaMinus,
                rpropEtaPlus, rpropStepMin, rpropStepMax);
    }

    /** A copy with another {@link #rmspropAlpha()}. */
    public UpdateSettings withRmspropAlpha(double rmspropAlpha) {
        return new UpdateSettings(momentum, beta1, beta2, epsilon, rmspropAlpha, weightDecay, rpropEtaMinus,
                rpropEtaPlus, rpropStepMin, rpropStepMax);
    }

    /** A copy with another {@link #weightDecay()}. */
    public UpdateSettings withWeightDecay(double weightDecay) {
        return new UpdateSettings(momentum, beta1, beta2, epsilon, rmspropAlpha, weightDecay, rpropEtaMinus,
                rpropEtaPlus, rpropStepMin, rpropStepMax);
    }

    /** A copy with other Rprop factors {@link #rpropEtaMinus()} and {@link #rpropEtaPlus()}. */
    public UpdateSettings withRpropEtas(double etaMinus, double etaPlus) {
        return new UpdateSettings(momentum, beta1, beta2, epsilon, rmspropAlpha, weightDecay, etaMinus, etaPlus,
                rpropStepMin, rpropStepMax);
    }

    /** A copy with other Rprop bounds {@link #rpropStepMin()} and {@link #rpropStepMax()}. */
    public UpdateSettings withRpropStepSizes(double stepMin, double stepMax) {
        return new UpdateSettings(momentum, beta1, beta2, epsilon, rmspropAlpha, weightDecay, rpropEtaMinus,
                rpropEtaPlus, stepMin, stepMax);
    }
}
