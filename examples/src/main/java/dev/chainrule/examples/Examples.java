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
     * @param program runs the example with the given options
     */
    public record Example(String name, String description, Consumer<RunOptions> program) {}

    /** Every example, in the order they are listed. */
    public static final List<Example> ALL = List.of(
            new Example("xor", "XOR truth table: 2-4-1 sigmoid network, mean squared error",
                    XorExample::run),
            new Example("iris", "Fisher's iris: 4-16-3 tanh/softmax network, accuracy on a 20% hold-out",
                    IrisExample::run),
            new Example("diabetes", "diabetes progression: regression, 10-16-1 network with a linear output, R²",
                    DiabetesExample::run),
            new Example("breast-cancer", "breast cancer: 30-16-1 network, sigmoid and binary cross-entropy",
                    BreastCancerExample::run),
            new Example("digits", "8x8 handwritten digits: 64-32-10 tanh/softmax network",
                    DigitsExample::run),
            new Example("mnist", "MNIST, the flagship: 60,000 handwritten digits, 784-128-10 ReLU/softmax network,"
                    + " 2 threads, about 98% test accuracy", MnistExample::run));

    private Examples() {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Runs the example named by the first argument, or lists the examples when there is none.
     * {@code --epochs N} after the name replaces the example's epoch budget (for a quick try).
     *
     * @return the process exit code: 0, or {@link #USAGE_ERROR} for an unknown name or a wrong
     *     argument (the message and the list go to {@code err})
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            list(out);
            return 0;
        }
        RunOptions options = RunOptions.defaults(out);
        if (args.length == 3 && args[1].equals("--epochs")) {
            int epochs;
            try {
                epochs = Integer.parseInt(args[2]);
            } catch (NumberFormatException e) {
                epochs = 0;
            }
            if (epochs < 1) {
                err.println("--epochs takes a whole number of at least 1, got '" + args[2] + "'");
                return USAGE_ERROR;
            }
            options = options.withEpochs(epochs);
        } else if (args.length > 1) {
            err.println("expected an example name, optionally followed by --epochs N; got " + args.length
                    + " arguments: " + String.join(" ", args));
            list(err);
            return USAGE_ERROR;
        }
        String name = args[0];
        for (Example example : ALL) {
            if (example.name().equals(name)) {
                example.program().accept(options);
                return 0;
            }
        }
        err.println("unknown example '" + name + "'");
        list(err);
        return USAGE_ERROR;
    }

    private static void list(PrintStream out) {
        out.println("usage: java [--add-modules jdk.incubator.vector] -jar chainrule-examples.jar <example> [--epochs N]");
        out.println();
        out.println("examples:");
        int width = 0;
        for (Example example : ALL) {
            width = Math.max(width, example.name().length());
        }
        for (Example example : ALL) {
            out.printf(Locale.ROOT, "  %-" + width + "s  %s%n", example.name(), example.description());
        }
        out.println();
        out.println("Each example prints its progress and results and writes an HTML report into "
                + RunOptions.REPORTS + "/.");
    }
}
