package dev.chainrule.examples;

import dev.chainrule.metrics.ConfusionMatrix;
import dev.chainrule.metrics.Evaluation;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Console output the examples share. */
final class Console {

    private Console() {}

    /** For example {@code 12.3 s}. */
    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toNanos() / 1e9);
    }

    /** For example {@code 9,785/10,000 = 97.85%}. */
    static String accuracy(Evaluation e) {
        ConfusionMatrix m = e.confusionMatrix();
        return String.format(Locale.ROOT, "%,d/%,d = %.2f%%", m.correct(), m.total(), 100.0 * e.accuracy());
    }

    /** The confusion matrix with the classes named for people rather than by their labels. */
    static ConfusionMatrix named(Evaluation e, List<String> names) {
        return ConfusionMatrix.of(e.confusionMatrix().counts(), names);
    }

    /** The baseline line: {@code before training: validation loss 1.086171  accuracy 0.3333}. */
    static void printBaseline(PrintStream out, Evaluation before) {
        out.println("before training: validation " + before.summary());
    }

    /** Prints a titled confusion matrix: actual classes down, predicted across. */
    static void printConfusion(PrintStream out, String what, ConfusionMatrix m) {
        out.println("confusion matrix of the test rows (" + what + "):");
        out.println(m);
    }
}
