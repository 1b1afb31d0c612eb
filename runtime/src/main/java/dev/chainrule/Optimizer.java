package dev.chainrule;

/**
 * The update rule a {@link Network} is generated with. Its hyperparameters (learning rate,
 * momentum, betas, epsilon, weight decay) are run-time values: see {@link UpdateSettings}. The
 * formulas and defaults are PyTorch's.
 */
public enum Optimizer {
    /** {@code θ -= lr g}. */
    SGD,
    /** Heavy-ball momentum: {@code v = μ v + g; θ -= lr v}. */
    MOMENTUM,
    /** Nesterov momentum: {@code v = μ v + g; θ -= lr (g + μ v)}. */
    NESTEROV,
    /** {@code s = α s + (1 - α) g²; θ -= lr g / (√s + ε)}. */
    RMSPROP,
    /** Adam with bias correction; ε added outside the square root. */
    ADAM,
    /** Adam with decoupled weight decay: {@code θ -= lr λ θ} before the Adam step. */
    ADAMW,
    /**
     * iRprop-: a per-parameter step that grows by η+ while the gradient keeps its sign and
     * shrinks by η- when it flips (and that gradient is then skipped); the classic full-batch rule.
     * The learning rate is the initial step.
     */
    RPROP
}
