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

    /** Throws unless {@code 1 <= batchSize <= max}. */
    public static void requireBatchSize(int batchSize, int max) {
        if (batchSize < 1 || batchSize > max) {
            throw new IllegalArgumentException(
                    "batch size " + batchSize + " is outside 1.." + max + " of this training step");
        }
    }
}
