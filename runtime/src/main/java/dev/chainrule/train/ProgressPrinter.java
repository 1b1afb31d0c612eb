package dev.chainrule.train;

import dev.chainrule.metrics.Evaluation;
import dev.chainrule.metrics.Metric;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;

/**
 * Prints training progress, one plain line per reported epoch, with the epoch's metrics and
 * validation:
 * <pre>
 * epoch  12/500  loss 0.412345  accuracy 0.8833  val_loss 0.501234  val_accuracy 0.8500  (0.8 s)
 * </pre>
 * With {@link #every(int) every(n)} it reports epoch 1, every n-th epoch and the last one (also
 * when a stop condition ended the run early), then a line with the reason training stopped.
 *
 * <p>For logs and files. On a terminal, {@link ProgressBar} also shows progress within each
 * epoch.
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

    /**
     * Formats one progress line: {@code epoch  12/500  loss 0.412345  (0.8 s)}, with the metrics
     * and validation when the event has them:
     * {@code epoch  12/500  loss 0.412345  accuracy 0.8833  val_loss 0.501234  val_accuracy 0.8500  (0.8 s)}.
     */
    static String line(EpochEvent event) {
        int width = Integer.toString(event.epochs()).length();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "epoch %" + width + "d/%d  loss %.6f",
                event.epoch(), event.epochs(), event.trainLoss()));
        event.training().ifPresent(t -> appendMetrics(s, t, ""));
        event.validation().ifPresent(v -> {
            s.append(String.format(Locale.ROOT, "  val_loss %.6f", v.loss()));
            appendMetrics(s, v, "val_");
        });
        return s.append("  (").append(Format.seconds(event.elapsed())).append(')').toString();
    }

    private static void appendMetrics(StringBuilder s, Evaluation e, String prefix) {
        for (Metric m : e.metrics()) {
            s.append("  ").append(prefix).append(m.key()).append(' ').append(Evaluation.format(m, e.metric(m)));
        }
    }
}
