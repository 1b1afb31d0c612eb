package dev.chainrule.train;

/**
 * Observes training: progress output ({@link ProgressBar}, {@link ProgressPrinter}), logging,
 * plotting, custom metrics, stopping on a rule of your own ({@link EpochEvent#requestStop}).
 * Listeners run on the training thread, in the order added, so keep them quick; with no listener
 * at all, {@code fit} prints nothing.
 */
@FunctionalInterface
public interface EpochListener {

    /**
     * Called once when {@link Trainer#fit} has set up and is about to run its first epoch. Does
     * nothing by default.
     */
    default void onStart(TrainingStart start) {}

    /**
     * Called after every mini-batch step, for progress within an epoch. It runs for every batch,
     * thousands of times per epoch on large data, so it must be cheap: no output without a time
     * check, no allocation. Does nothing by default.
     *
     * @param epoch the epoch in progress, numbered from 1
     * @param batch the batch just applied, numbered from 1 within the epoch (of
     *     {@link TrainingStart#batchesPerEpoch()})
     * @param meanLoss the sample-weighted mean loss of the epoch's batches so far
     */
    default void onBatch(int epoch, int batch, double meanLoss) {}

    /** Called once after every completed epoch (after its validation), before the stop conditions. */
    void onEpoch(EpochEvent event);

    /**
     * Called once when {@link Trainer#fit} returns normally, so a listener can close its output
     * (for example print the last epoch and the reason for stopping). Not called when
     * {@code fit} throws. Does nothing by default.
     */
    default void onFinish(TrainingResult result) {}

    /**
     * Called once when {@link Trainer#fit} throws after {@link #onStart} (training diverged, the
     * schedule gave a bad rate, a checkpoint could not be written, a listener threw), just before
     * the exception leaves {@code fit}, so a listener can end its output: a progress bar drawn in
     * place ends its line. The exception is thrown on as it was; one thrown here is added to it
     * as suppressed. Does nothing by default.
     */
    default void onFailure(RuntimeException failure) {}
}
