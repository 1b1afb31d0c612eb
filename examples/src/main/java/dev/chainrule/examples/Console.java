package dev.chainrule.examples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Console output the examples share: confusion matrices and durations. */
final class Console {

    private Console() {}

    /** Prints {@code confusion[true][predicted]} with the class names as row and column headings. */
    static void printConfusion(PrintStream out, String what, List<String> names, int[][] confusion) {
        int width = 5;
        for (String name : names) {
            width = Math.max(width, name.length());
        }
        for (int[] row : confusion) {
            for (int count : row) {
                width = Math.max(width, Integer.toString(count).length());
            }
        }
        out.println("confusion matrix (rows: true " + what + ", columns: predicted):");
        StringBuilder header = new StringBuilder(" ".repeat(width + 2));
        for (String name : names) {
            header.append(String.format(Locale.ROOT, "  %" + width + "s", name));
        }
        out.println(header);
        for (int t = 0; t < confusion.length; t++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-" + width + "s", names.get(t)));
            for (int count : confusion[t]) {
                line.append(String.format(Locale.ROOT, "  %" + width + "d", count));
            }
            out.println(line);
        }
    }

    /** For example {@code 12.3 s}. */
    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toNanos() / 1e9);
    }
}
