package dev.chainrule.train;

import java.util.Objects;

/**
 * Decides after each epoch whether training should stop, and says why. Returning a reason rather
 * than a boolean lets {@link TrainingResult#stopReason()} tell the user which rule ended the run.
 * {@link Convergence} has the usual rules.
 */
@FunctionalInterface
public interface StopCondition {

    /**
     * Looks at the history after its latest epoch.
     *
     * @return a human-readable reason to stop, or {@code null} to continue
     */
    String check(TrainingHistory history);

    /** A condition that stops when either this or {@code other} does, with the first one's reason. */
    default StopCondition or(StopCondition other) {
        Objects.requireNonNull(other, "other");
        return history -> {
            String reason = check(history);
            return reason != null ? reason : other.check(history);
        };
    }
}
