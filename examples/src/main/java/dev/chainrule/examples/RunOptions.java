package dev.chainrule.examples;

import dev.chainrule.train.EpochListener;
import dev.chainrule.train.ProgressBar;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How to run an example: where it prints, where it writes its report, and an optional epoch
 * budget that replaces the example's own (tests use a small one to stay fast).
 *
 * @param out where progress and results are printed
 * @param reportDirectory where the HTML training report is written
 * @param epochs the epoch budget, or 0 for the example's default
 */
public record RunOptions(PrintStream out, Path reportDirectory, int epochs) {

    /** The default report directory, relative to the working directory. */
    public static final Path REPORTS = Path.of("target", "reports");

    /** Checks the options. */
    public RunOptions {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(reportDirectory, "reportDirectory");
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs is " + epochs + ", must be positive (or 0 for the default)");
        }
    }

    /** The defaults: print to {@code out}, report into {@code target/reports/}, the example's epoch budget. */
    public static RunOptions defaults(PrintStream out) {
        return new RunOptions(out, REPORTS, 0);
    }

    /** The same options with another epoch budget. */
    public RunOptions withEpochs(int epochs) {
        return new RunOptions(out, reportDirectory, epochs);
    }

    /** The same options with another report directory. */
    public RunOptions withReportDirectory(Path directory) {
        return new RunOptions(out, directory, epochs);
    }

    /**
     * The runtime's progress bar, leaving a line for epoch 1, every {@code every}-th and the last:
     * redrawn in place during each epoch when {@code out} is {@code System.out} on a terminal,
     * plain lines otherwise (a pipe, a log, a test's buffer).
     */
    EpochListener progress(int every) {
        return (out == System.out ? ProgressBar.toConsole() : ProgressBar.to(out, false)).every(every);
    }

    /** The budget to train with: the one given, or else the example's default. */
    int epochsOr(int exampleDefault) {
        return epochs > 0 ? epochs : exampleDefault;
    }
}
