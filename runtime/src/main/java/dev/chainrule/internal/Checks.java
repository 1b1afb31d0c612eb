package dev.chainrule.internal;

/** Argument checks with messages that name what was expected and what was given. */
public final class Checks {

    private Checks() {}

    /** Throws if {@code array} is null or does not have {@code expected} elements. */
    public static void requireLength(double[] array, int expected, String what) {
        if (array == null) {
            throw new NullPointerException(what + " is null");
        }
        if (array.length != expected) {
            throw new IllegalArgumentException(
                    what + " has " + array.length + " elements, expected " + expected);
        }
    }

    /**
     * Throws unless every value of an update rule's state (laid out as
     * {@code Model.optimizerState()}: the step count, then each state array) after the step count
     * is finite, and the arrays that hold magnitudes (RMSprop's and Adam's square averages,
     * Rprop's step sizes) are not negative: such a state would turn the parameters into NaN or
     * move them the wrong way. The length and the step count are checked before.
     */
    public static void requireOptimizerValues(double[] state, dev.chainrule.Optimizer optimizer, int parameterCount) {
        java.util.List<String> names = optimizer.stateNames();
        for (int k = 1; k < state.length; k++) {
            String name = names.get((k - 1) / parameterCount);
            boolean magnitude = name.equals("square_avg") || name.equals("exp_avg_sq") || name.equals("step_size");
            double v = state[k];
            if (!Double.isFinite(v) || (magnitude && v < 0)) {
                throw new IllegalArgumentException("optimizer state value " + k + " (" + name + " of parameter "
                        + (k - 1) % parameterCount + ") is " + v + ", must be finite" + (magnitude ? " and at least 0"
                        : ""));
            }
        }
    }

    /** Throws unless {@code 1 <= batchSize <= max}. */
    public static void requireBatchSize(int batchSize, int max) {
        if (batchSize < 1 || batchSize > max) {
            throw new IllegalArgumentException(
                    "batch size " + batchSize + " is outside 1.." + max + " of this training step");
        }
    }
}
