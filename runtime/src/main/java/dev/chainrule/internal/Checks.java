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

    /** Throws unless {@code 0 <= slice < slices} (see {@link dev.chainrule.TrainingStep}'s slices). */
    public static void requireSlice(int slice, int slices) {
        if (slice < 0 || slice >= slices) {
            throw new IndexOutOfBoundsException("slice " + slice + " is outside 0.." + (slices - 1) + " of " + slices
                    + " slices");
        }
    }

    /**
     * Where slice {@code slice} of {@code slices} of {@code length} rows (or biases) starts:
     * {@code length * slice / slices}, rounded down, computed in {@code long} so that it cannot
     * overflow. Slice {@code slice} ends where slice {@code slice + 1} starts, the last one at
     * {@code length}.
     */
    public static int sliceStart(int length, int slice, int slices) {
        return (int) ((long) length * slice / slices);
    }

    /**
     * Throws unless {@code parts} and {@code factors} have the same length, at least 1, and
     * {@code parts[0]} is {@code step}: what {@link dev.chainrule.TrainingStep#combineGradients}
     * combines into. The generated code checks that the other parts are steps of its network.
     */
    public static void requireParts(dev.chainrule.TrainingStep step, dev.chainrule.TrainingStep[] parts,
            double[] factors) {
        if (parts.length != factors.length) {
            throw new IllegalArgumentException(parts.length + " parts but " + factors.length + " factors");
        }
        if (parts.length == 0 || parts[0] != step) {
            throw new IllegalArgumentException("the first part must be the step the gradients are combined into");
        }
    }

    /**
     * Throws unless {@code learningRate} is finite and not negative, before a step's update
     * changes anything: a NaN or infinite rate would make every parameter NaN.
     */
    public static void requireLearningRate(double learningRate) {
        if (!(learningRate >= 0.0 && learningRate < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(
                    "learning rate is " + learningRate + "; it must be finite and not negative");
        }
    }

    /** Throws unless {@code 1 <= batchSize <= max}. */
    public static void requireBatchSize(int batchSize, int max) {
        if (batchSize < 1 || batchSize > max) {
            throw new IllegalArgumentException(
                    "batch size " + batchSize + " is outside 1.." + max + " of this training step");
        }
    }

    /** Throws unless {@code workers} is at least 1: how many threads share a training step. */
    public static void requireWorkers(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
    }
}
