package dev.chainrule;

/**
 * The run-time hyperparameters of a network's update rule (everything but the learning rate,
 * which each step is given). Defaults are PyTorch's; the rule a network uses is fixed when it is
 * generated ({@link Network#optimizer()}), and fields it does not use are ignored.
 *
 * @param momentum μ of {@link Optimizer#MOMENTUM} and {@link Optimizer#NESTEROV}
 * @param beta1 Adam's first-moment decay
 * @param beta2 Adam's second-moment decay
 * @param epsilon added to the denominator of RMSprop and Adam (outside the square root)
 * @param rmspropAlpha RMSprop's smoothing constant
 * @param weightDecay L2 penalty added to the gradient ({@code g += λ θ}, weights and biases, as
 *     PyTorch does); decoupled ({@code θ -= lr λ θ}) for {@link Optimizer#ADAMW}
 * @param rpropEtaMinus Rprop's step decrease factor
 * @param rpropEtaPlus Rprop's step increase factor
 * @param rpropStepMin the smallest Rprop step
 * @param rpropStepMax the largest Rprop step
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

    /** PyTorch's defaults, with momentum 0.9 and, for AdamW, weight decay 0.01. */
    public static UpdateSettings defaults(Optimizer optimizer) {
        return new UpdateSettings(0.9, 0.9, 0.999, 1e-8, 0.99, optimizer == Optimizer.ADAMW ? 0.01 : 0.0,
                0.5, 1.2, 1e-6, 50.0);
    }
}
