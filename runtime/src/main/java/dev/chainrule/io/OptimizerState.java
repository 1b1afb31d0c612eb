package dev.chainrule.io;

import dev.chainrule.Model;
import dev.chainrule.Optimizer;
import java.util.Arrays;
import java.util.Objects;

/**
 * The state of a network's update rule as a checkpoint holds it (section {@code OPTM}): the
 * optimizer's name and {@link Model#optimizerState()}, whose layout is the step count followed by
 * one array per {@link Optimizer#stateNames() state name}, in the public parameter order.
 *
 * @param optimizer the {@link Optimizer} constant's name of the network that saved it
 * @param state the values of {@link Model#optimizerState()}
 */
public record OptimizerState(String optimizer, double[] state) {

    public OptimizerState {
        Objects.requireNonNull(optimizer, "optimizer");
        state = state.clone();
    }

    /** The state of {@code model}'s update rule now. */
    public static OptimizerState of(Model model) {
        return new OptimizerState(model.optimizer().name(), model.optimizerState());
    }

    /** A copy of the values. */
    @Override
    public double[] state() {
        return state.clone();
    }

    /** The number of update steps taken ({@code state()[0]}), 0 for a rule without state. */
    public long steps() {
        return state.length == 0 ? 0 : (long) state[0];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OptimizerState s && optimizer.equals(s.optimizer) && Arrays.equals(state, s.state);
    }

    @Override
    public int hashCode() {
        return 31 * optimizer.hashCode() + Arrays.hashCode(state);
    }

    @Override
    public String toString() {
        return "OptimizerState(" + optimizer + ", " + steps() + " steps, " + state.length + " values)";
    }
}
