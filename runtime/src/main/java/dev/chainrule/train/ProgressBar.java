package dev.chainrule.train;

import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A console progress display. On a terminal it redraws one line in place (with a carriage
 * return) while an epoch runs:
 * <pre>
 * epoch  3/100  [=========           ]  45/96  loss 0.412345
 * </pre>
 * and leaves a permanent line, as {@link ProgressPrinter} prints it, for every reported epoch
 * (epoch 1, every {@link #every(int) n}-th, and the last), then the reason training stopped.
 * When output is not a terminal (a file, a pipe, a build log) it prints only the plain lines, so
 * logs get no carriage returns and no redraws.
 *
 * <pre>{@code
 * Trainer.of(net).epochs(50).listener(ProgressBar.toConsole()).fit(train);
 * }</pre>
 *
 * <p>Redraws happen at most ten times a second, whatever the number of batches, so the bar costs
 * one clock read per batch. One bar should observe one {@code fit} at a time.
 */
public final class ProgressBar implements EpochListener {

    /** The shortest time between two redraws of the line in place: ten per second. */
    static final long REDRAW_NANOS = 100_000_000L;

    private static final int BAR_WIDTH = 20;

    private final PrintStream out;
    private final boolean inPlace;
    private final int every;
    private final LongSupplier clock;
    private final ProgressPrinter plain;

    private int epochs;
    private int batches;
    private long lastDraw;
    private int shown;
    private EpochEvent lastEvent;
    private boolean lastPrinted;

    ProgressBar(PrintStream out, boolean inPlace, int every, LongSupplier clock) {
        this.out = out;
        this.inPlace = inPlace;
        this.every = every;
        this.clock = clock;
        this.plain = ProgressPrinter.to(out).every(every);
    }

    /**
     * A bar on {@code System.out}: in place when the program runs on a terminal
     * ({@link System#console()} is present and, on JDK 22 and later, {@code Console.isTerminal()}),
     * plain lines otherwise.
     */
    public static ProgressBar toConsole() {
        return new ProgressBar(System.out, isTerminal(), 1, System::nanoTime);
    }

    /**
     * A bar on {@code out}, redrawn in place if {@code inPlace}, otherwise as plain lines: the
     * explicit choice, for a terminal that {@link #toConsole()} does not recognise or for logs
     * that must stay plain.
     */
    public static ProgressBar to(PrintStream out, boolean inPlace) {
        return new ProgressBar(Objects.requireNonNull(out, "out"), inPlace, 1, System::nanoTime);
    }

    /**
     * A bar to the same stream that leaves a permanent line only for epoch 1, every
     * {@code n}-th epoch and the last; on a terminal the other epochs show in the redrawn line.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public ProgressBar every(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n is " + n + ", must be at least 1");
        }
        return new ProgressBar(out, inPlace, n, clock);
    }

    /** Whether this bar redraws a line in place (a terminal) or prints plain lines. */
    public boolean inPlace() {
        return inPlace;
    }

    /** Whether {@code System.out} is a terminal, as {@link #toConsole()} decides it. */
    static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // JDK 22+: System.console() exists even when redirected; isTerminal() tells.
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void onStart(TrainingStart start) {
        plain.onStart(start);
        epochs = start.epochs();
        batches = start.batchesPerEpoch();
        lastDraw = clock.getAsLong() - REDRAW_NANOS;
        shown = 0;
        lastEvent = null;
        lastPrinted = false;
    }

    /** Redraws the bar, unless it was drawn less than a tenth of a second ago. */
    @Override
    public void onBatch(int epoch, int batch, double meanLoss) {
        if (!inPlace) {
            return;
        }
        long now = clock.getAsLong();
        if (now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        show(bar(epoch, batch, meanLoss));
    }

    /** The line with the bar, for example {@code epoch  3/100  [=====     ]  45/96  loss 0.412345}. */
    String bar(int epoch, int batch, double meanLoss) {
        int width = Integer.toString(epochs).length();
        int done = batches == 0 ? 0 : (int) ((long) batch * BAR_WIDTH / batches);
        return String.format(Locale.ROOT, "epoch %" + width + "d/%d  [%s%s]  %" + Integer.toString(batches).length()
                + "d/%d  loss %.6f", epoch, epochs, "=".repeat(done), " ".repeat(BAR_WIDTH - done), batch, batches,
                meanLoss);
    }

    @Override
    public void onEpoch(EpochEvent event) {
        if (!inPlace) {
            plain.onEpoch(event);
            return;
        }
        lastEvent = event;
        int epoch = event.epoch();
        lastPrinted = epoch == 1 || epoch % every == 0 || epoch == event.epochs();
        long now = clock.getAsLong();
        if (lastPrinted) {
            lastDraw = now;
            show(ProgressPrinter.line(event));
            endLine();
        } else {
            if (now - lastDraw >= REDRAW_NANOS) {
                lastDraw = now;
                show(ProgressPrinter.line(event));
            }
        }
    }

    @Override
    public void onFinish(TrainingResult result) {
        if (!inPlace) {
            plain.onFinish(result);
            return;
        }
        if (lastEvent != null && !lastPrinted) {
            show(ProgressPrinter.line(lastEvent));
            endLine();
        } else if (shown > 0) {
            out.print("\r" + " ".repeat(shown) + "\r");
            shown = 0;
        }
        out.println("stopped: " + result.stopReason());
        out.flush();
        lastEvent = null;
        lastPrinted = false;
    }

    /** Ends a line drawn in place, so that whatever is printed about the failure starts on a line of its own. */
    @Override
    public void onFailure(RuntimeException failure) {
        if (inPlace && shown > 0) {
            endLine();
            out.flush();
        }
        lastEvent = null;
        lastPrinted = false;
    }

    /** Replaces the line in place: carriage return, the text, and spaces over a longer old line. */
    private void show(String text) {
        out.print("\r" + text + " ".repeat(Math.max(0, shown - text.length())));
        shown = text.length();
        out.flush();
    }

    private void endLine() {
        out.println();
        shown = 0;
    }
}
