package dev.chainrule.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;

/**
 * Prints training progress, one line per reported epoch:
 * <pre>
 * epoch  12/500  loss 0.412345  (0.8 s)
 * </pre>
 * With {@link #every(int) every(n)} it reports epoch 1, every n-th epoch and the last one (also
 * when a stop condition ended the run early), then a line with the reason training stopped.
 *
 * <p>Keeps the last event of the current run to print the last epoch, so one printer should
 * observe one {@code fit} at a time.
 */
public final class ProgressPrinter implements EpochListener {

    private final PrintStream out;
    private final int every;
    private EpochEvent lastEvent;
    private boolean lastPrinted;

    private ProgressPrinter(PrintStream out, int every) {
        this.out = out;
        this.every = every;
    }

    /** A printer that reports every epoch to {@code out} (for example {@code System.out}). */
    public static ProgressPrinter to(PrintStream out) {
        return new ProgressPrinter(Objects.requireNonNull(out, "out"), 1);
    }

    /**
     * A printer to the same stream that reports only epoch 1, every {@code n}-th epoch and the
     * last, so long runs stay readable.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public ProgressPrinter every(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n is " + n + ", must be at least 1");
        }
        return new ProgressPrinter(out, n);
    }

    /** Prints the epoch's line if the epoch is the first, a multiple of {@code n} or the budget's last. */
    @Override
    public void onEpoch(EpochEvent event) {
        lastEvent = event;
        int epoch = event.epoch();
        lastPrinted = epoch == 1 || epoch % every == 0 || epoch == event.epochs();
        if (lastPrinted) {
            out.println(line(event));
        }
    }

    /** Prints the last epoch if it was skipped, then why training stopped. */
    @Override
    public void onFinish(TrainingResult result) {
        if (lastEvent != null && !lastPrinted) {
            out.println(line(lastEvent));
        }
        out.println("stopped: " + result.stopReason());
        lastEvent = null;
        lastPrinted = false;
    }

    /** Formats one progress line, for example {@code epoch  12/500  loss 0.412345  (0.8 s)}. */
    static String line(EpochEvent event) {
        int width = Integer.toString(event.epochs()).length();
        return String.format(Locale.ROOT, "epoch %" + width + "d/%d  loss %.6f  (%s)",
                event.epoch(), event.epochs(), event.trainLoss(), Format.seconds(event.elapsed()));
    }
}
