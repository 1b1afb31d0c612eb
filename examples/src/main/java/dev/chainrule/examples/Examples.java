package dev.chainrule.examples;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The main class of {@code chainrule-examples.jar}:
 * <pre>
 * java -jar examples/target/chainrule-examples.jar          # list the examples
 * java -jar examples/target/chainrule-examples.jar iris     # run one
 * </pre>
 */
public final class Examples {

    /** Exit code for a wrong command line (an unknown example, too many arguments). */
    public static final int USAGE_ERROR = 2;

    /**
     * One runnable example.
     *
     * @param name what to type on the command line
     * @param description one line for the listing
     * @param program runs the example, printing to the given stream
     */
    public record Example(String name, String description, Consumer<PrintStream> program) {}

    /** Every example, in the order they are listed. */
    public static final List<Example> ALL = List.of(
            new Example("xor", "XOR truth table, 2-4-1 sigmoid network, mean squared error",
                    out -> XorExample.run(out)),
            new Example("iris", "Fisher's iris, 4-16-3 tanh/softmax network, test accuracy on a 30% hold-out",
                    out -> IrisExample.run(out)));

    private Examples() {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Runs the example named by the only argument, or lists the examples when there is none.
     *
     * @return the process exit code: 0, or {@link #USAGE_ERROR} for an unknown name or extra
     *     arguments (the message and the list go to {@code err})
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            list(out);
            return 0;
        }
        if (args.length > 1) {
            err.println("expected one example name, got " + args.length + " arguments: " + String.join(" ", args));
            list(err);
            return USAGE_ERROR;
        }
        String name = args[0];
        for (Example example : ALL) {
            if (example.name().equals(name)) {
                example.program().accept(out);
                return 0;
            }
        }
        err.println("unknown example '" + name + "'");
        list(err);
        return USAGE_ERROR;
    }

    private static void list(PrintStream out) {
        out.println("usage: java -jar chainrule-examples.jar <example>");
        out.println();
        out.println("examples:");
        int width = 0;
        for (Example example : ALL) {
            width = Math.max(width, example.name().length());
        }
        for (Example example : ALL) {
            out.printf(Locale.ROOT, "  %-" + width + "s  %s%n", example.name(), example.description());
        }
    }
}
