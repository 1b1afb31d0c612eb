package dev.chainrule;

import java.util.List;

/**
 * The update rule a {@link Network} is generated with ({@link Network#optimizer()}). Its
 * hyperparameters (momentum, betas, epsilon, weight decay, ...) are run-time values, see
 * {@link UpdateSettings}; the learning rate is the argument of each step. The formulas and
 * defaults are PyTorch's ({@code torch.optim}); below, {@code g} is the gradient of the batch's
 * mean loss, {@code θ} a parameter, {@code lr} the learning rate, {@code t} the step count
 * (1 for the first step) and {@code λ} the weight decay, which adds {@code λ θ} to {@code g}
 * first for every rule but ADAMW (weights and biases alike, as PyTorch does).
 *
 * <p>The state of a rule ({@link #stateNames()}) lives in arrays beside the parameters, one value
 * per parameter, and starts at zero: see {@link Model#optimizerState()}.
 */
public enum Optimizer {
    /** Stochastic gradient descent: {@code θ -= lr g}. */
    SGD,
    /** Heavy-ball momentum (PyTorch's SGD with {@code momentum = μ}): {@code v = μ v + g; θ -= lr v}. */
    MOMENTUM,
    /** Nesterov momentum (SGD with {@code nesterov=True}): {@code v = μ v + g; θ -= lr (g + μ v)}. */
    NESTEROV,
    /** RMSprop: {@code s = α s + (1 - α) g²; θ -= lr g / (√s + ε)}. */
    RMSPROP,
    /**
     * Adam with bias correction, ε outside the square root: {@code m = β1 m + (1 - β1) g;
     * v = β2 v + (1 - β2) g²; θ -= (lr / (1 - β1^t)) m / (√v / √(1 - β2^t) + ε)}.
     */
    ADAM,
    /** AdamW: the decay is decoupled, {@code θ -= lr λ θ} first, then the Adam step with the bare gradient. */
    ADAMW,
    /**
     * iRprop- (PyTorch's Rprop): each parameter has its own step size, which starts at the
     * learning rate; when {@code g} keeps its sign from the previous step the step grows by η+,
     * when it flips it shrinks by η- (and that {@code g} counts as 0, so the parameter does not
     * move and the next step does not see a flip), clamped to {@code [stepMin, stepMax]};
     * {@code θ -= sign(g) step}. The classic rule for full-batch training; later learning rates
     * are ignored. PyTorch's Rprop has no weight decay; here {@code λ θ} is added as for the others.
     */
    RPROP;

    /**
     * The names of the rule's per-parameter state arrays, PyTorch's names, in the order
     * {@link Model#optimizerState()} lists them: none for SGD; {@code momentum_buffer};
     * {@code square_avg}; {@code exp_avg}, {@code exp_avg_sq}; {@code prev}, {@code step_size}.
     */
    public List<String> stateNames() {
        return switch (this) {
            case SGD -> List.of();
            case MOMENTUM, NESTEROV -> List.of("momentum_buffer");
            case RMSPROP -> List.of("square_avg");
            case ADAM, ADAMW -> List.of("exp_avg", "exp_avg_sq");
            case RPROP -> List.of("prev", "step_size");
        };
    }

    /**
     * The length of {@link Model#optimizerState()} for a network of {@code parameterCount}
     * parameters: 0 for SGD, else the step count and one value per parameter and state array.
     */
    public int stateLength(int parameterCount) {
        List<String> names = stateNames();
        return names.isEmpty() ? 0 : 1 + names.size() * parameterCount;
    }
}
