package dev.chainrule.train;

/**
 * Observes training after each epoch: progress output, logging, plotting, custom metrics.
 * Listeners run on the training thread, before the stop conditions, so keep them quick.
 */
@FunctionalInterface
public interface EpochListener {

    /** Called once after every completed epoch. */
    void onEpoch(EpochEvent event);

    /**
     * Called once when {@link Trainer#fit} returns normally, so a listener can close its output
     * (for example print the last epoch and the reason for stopping). Not called when
     * {@code fit} throws. Does nothing by default.
     */
    default void onFinish(TrainingResult result) {}
}
