package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.chainrule.Activation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Every {@code ```java} block of docs/errors.md is compiled with the processor and does what the
 * page says. Under a message's heading, each block before the quoted message ({@code > [chainrule/Key]
 * ...}) is a bad spec: compiling it reports exactly that message, as an error (or as a warning where
 * the section starts with "Warning."), and no other error and no other chainrule message. Each block
 * after the quote is a fix: it compiles with no error and no chainrule message.
 *
 * <p>The page shortens its specs; before compiling, a block is expanded by these rules (the same
 * rules are written at the top of docs/errors.md):
 *
 * <ol>
 *   <li>Every block is a file in package {@code p}, after {@code import dev.chainrule.*;}.
 *   <li>A block that is only a {@code @Network(...)} annotation annotates {@code abstract class Iris
 *       { ... }}.
 *   <li>A block of field declarations only is the body of {@code @Network(loss =
 *       Loss.CATEGORICAL_CROSS_ENTROPY) abstract class Iris}. In front of the fields goes the input
 *       layer {@code @Input(4) Layer features;}, unless a field of the block is named {@code
 *       features}; after them goes the output layer {@code @Dense(units = 3, activation =
 *       Activation.SOFTMAX) Layer species;}, unless a field of the block is named {@code species}.
 *   <li>{@code ...} in a class body ({@code { ... }}, or a line of its own) stands for the two
 *       standard layers {@code @Input(4) Layer features;} and an output layer {@code species} of 3
 *       units whose activation fits the loss of the nearest {@code @Network} above it: SOFTMAX for
 *       CATEGORICAL_CROSS_ENTROPY, SIGMOID for BINARY_CROSS_ENTROPY, none (LINEAR) for the
 *       regression losses.
 *   <li>{@code UnknownConstant}'s block names a constant of a runtime newer than the processor; it
 *       is compiled together with such a runtime's {@code Activation} (today's constants and
 *       {@code SWISH}).
 * </ol>
 *
 * <p>{@code CannotWrite} and {@code InternalError} show no spec (the first needs a stale file among
 * the sources, the second a bug); {@link DiagnosticTest} has a failing spec for every message.
 */
class ErrorsDocTest {

    /** A {@code ```java} block of the page, with the line of its opening fence. */
    record Block(int line, String text) {}

    /**
     * One message's section of the page: its key, whether it is a warning, the quoted message, the
     * Java blocks before the quote (the specs that trigger it) and those after it (the fixes).
     */
    record Section(String key, boolean warning, String quote, List<Block> before, List<Block> after) {}

    /** Messages whose section shows no spec, because a plain compilation of one cannot report them. */
    static final Set<String> WITHOUT_SPEC = Set.of("CannotWrite", "InternalError");

    /** Sources compiled with a section's blocks, as rule 5 of the class comment says. */
    static final Map<String, List<SpecSource>> CONTEXT = Map.of("UnknownConstant", List.of(newerActivation()));

    private static final Pattern TYPE = Pattern.compile("\\b(?:class|interface|enum|record)\\s+\\w+");
    private static final Pattern LOSS = Pattern.compile("loss\\s*=\\s*Loss\\.(\\w+)");
    private static final Pattern ELLIPSIS = Pattern.compile("\\{ \\.\\.\\. }|(?m)^([ \\t]*)\\.\\.\\.[ \\t]*$");

    @Test
    void everyJavaBlockOfThePageCompilesAsThePageSays() throws IOException {
        List<String> lines = Files.readAllLines(MessageCatalogueTest.ERRORS_DOC, StandardCharsets.UTF_8);
        List<Section> sections = sections(lines);
        List<String> failures = new ArrayList<>();
        int specs = 0;
        int fixes = 0;
        for (Section section : sections) {
            failures.addAll(check(section));
            specs += section.before().size();
            fixes += section.after().size();
        }
        long javaBlocks = lines.stream().filter(line -> line.equals("```java")).count();
        System.out.printf("ErrorsDocTest: %d specs and %d fixes of %d sections compiled and checked, of %d ```java"
                + " blocks on the page%n", specs, fixes, sections.size(), javaBlocks);
        assertTrue(failures.isEmpty(), failures.size() + " blocks do not do what the page says:\n\n"
                + String.join("\n\n", failures));
        assertEquals(javaBlocks, specs + fixes, "```java blocks of docs/errors.md outside a message's section");
        assertTrue(specs >= 49, "specs checked: " + specs);
    }

    /** The check can fail: a quote the spec does not report, and a fix that does not compile. */
    @Test
    void aWrongQuoteOrABrokenFixFails() {
        String spec = "@Dense(units = 0, activation = Activation.TANH) Layer hidden;\n";
        String fix = "@Dense(units = 8, activation = Activation.TANH) Layer hidden;\n";
        String quote = "[chainrule/SizeNotPositive] units of layer 'hidden' is 0; it must be at least 1";
        assertEquals(List.of(), check(section(quote, spec, fix, false)));
        assertEquals(1, check(section(quote.replace("0", "zero"), spec, fix, false)).size());
        assertEquals(1, check(section(quote, spec, fix, true)).size(), "an error quoted as a warning");
        assertEquals(1, check(section(quote, spec, fix.replace("TANH", "SOFTMAX"), false)).size());
        assertEquals(1, check(section(quote, spec, fix.replace("hidden", "hidden ="), false)).size());
        assertEquals(1, check(section(quote, fix, fix, false)).size(), "a spec that reports nothing");
    }

    private static Section section(String quote, String spec, String fix, boolean warning) {
        return new Section("SizeNotPositive", warning, quote, List.of(new Block(1, spec)), List.of(new Block(2, fix)));
    }

    /** What is wrong with a section: each failure names the block and says what it reported. */
    static List<String> check(Section section) {
        List<String> failures = new ArrayList<>();
        if (section.before().isEmpty() && !WITHOUT_SPEC.contains(section.key())) {
            failures.add(section.key() + ": no ```java spec before the quoted message");
        }
        if (section.quote() == null) {
            failures.add(section.key() + ": no quoted message '> [chainrule/" + section.key() + "] ...'");
            return failures;
        }
        List<SpecSource> context = CONTEXT.getOrDefault(section.key(), List.of());
        for (Block block : section.before()) {
            Compilation compilation = compile(block, context);
            List<String> errors = messages(compilation, Diagnostic.Kind.ERROR, false);
            List<String> warnings = messages(compilation, Diagnostic.Kind.WARNING, true);
            List<String> expectedErrors = section.warning() ? List.of() : List.of(section.quote());
            List<String> expectedWarnings = section.warning() ? List.of(section.quote()) : List.of();
            if (!errors.equals(expectedErrors) || !warnings.equals(expectedWarnings)) {
                failures.add(section.key() + ", the spec at line " + block.line() + ": the page quotes the "
                        + (section.warning() ? "warning" : "error") + "\n  " + section.quote()
                        + "\nbut compiling\n" + expand(block.text()) + "reports the errors " + errors
                        + " and the chainrule warnings " + warnings);
            }
        }
        for (Block block : section.after()) {
            Compilation compilation = compile(block, context);
            List<String> errors = messages(compilation, Diagnostic.Kind.ERROR, false);
            List<String> warnings = messages(compilation, Diagnostic.Kind.WARNING, true);
            if (!errors.isEmpty() || !warnings.isEmpty()) {
                failures.add(section.key() + ", the fix at line " + block.line() + ": compiling\n"
                        + expand(block.text()) + "reports the errors " + errors + " and the chainrule warnings "
                        + warnings);
            }
        }
        return failures;
    }

    /** Compiles a block, expanded by the rules of the class comment, with the section's other sources. */
    static Compilation compile(Block block, List<SpecSource> context) {
        List<SpecSource> sources = new ArrayList<>(context);
        sources.add(SpecSource.of("p", expand(block.text())));
        return SpecSource.compile(sources.toArray(SpecSource[]::new)).compilation();
    }

    /** The block as a compilation unit's body: rules 2 to 4 of the class comment. */
    static String expand(String block) {
        String text = block;
        String trimmed = text.strip();
        if (!TYPE.matcher(text).find()) {
            if (trimmed.startsWith("@Network") && trimmed.endsWith(")") && !trimmed.contains(";")) {
                text = trimmed + "\nabstract class Iris { ... }\n";
            } else {
                StringBuilder body = new StringBuilder("@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)\n"
                        + "abstract class Iris {\n");
                if (!Pattern.compile("\\bfeatures\\b").matcher(text).find()) {
                    body.append("    @Input(4) Layer features;\n");
                }
                text.lines().forEach(line -> body.append("    ").append(line).append('\n'));
                if (!Pattern.compile("\\bspecies\\b").matcher(text).find()) {
                    body.append("    ").append(output("CATEGORICAL_CROSS_ENTROPY")).append('\n');
                }
                text = body.append("}\n").toString();
            }
        }
        Matcher ellipsis = ELLIPSIS.matcher(text);
        StringBuilder expanded = new StringBuilder();
        while (ellipsis.find()) {
            String loss = "CATEGORICAL_CROSS_ENTROPY";
            Matcher lossBefore = LOSS.matcher(text.substring(0, ellipsis.start()));
            while (lossBefore.find()) {
                loss = lossBefore.group(1);
            }
            String layers;
            if (ellipsis.group(1) == null) {
                String line = text.substring(text.lastIndexOf('\n', ellipsis.start()) + 1, ellipsis.start());
                String indent = line.substring(0, line.length() - line.stripLeading().length());
                layers = "{\n" + indent + "    @Input(4) Layer features;\n" + indent + "    " + output(loss) + "\n"
                        + indent + "}";
            } else {
                String indent = ellipsis.group(1);
                layers = indent + "@Input(4) Layer features;\n" + indent + output(loss);
            }
            ellipsis.appendReplacement(expanded, Matcher.quoteReplacement(layers));
        }
        ellipsis.appendTail(expanded);
        return expanded.toString();
    }

    /** The standard output layer for a loss (rule 4). */
    private static String output(String loss) {
        return switch (loss) {
            case "CATEGORICAL_CROSS_ENTROPY" -> "@Dense(units = 3, activation = Activation.SOFTMAX) Layer species;";
            case "BINARY_CROSS_ENTROPY" -> "@Dense(units = 3, activation = Activation.SIGMOID) Layer species;";
            default -> "@Dense(units = 3) Layer species;";
        };
    }

    /** A newer runtime's {@code Activation}: today's constants and {@code SWISH} (rule 5). */
    private static SpecSource newerActivation() {
        String constants = Arrays.stream(Activation.values()).map(Enum::name).collect(Collectors.joining(", "));
        return new SpecSource("dev.chainrule.Activation",
                "package dev.chainrule;\n\npublic enum Activation { " + constants + ", SWISH }\n");
    }

    /** The messages of a kind, all of them or only chainrule's. */
    private static List<String> messages(Compilation compilation, Diagnostic.Kind kind, boolean chainruleOnly) {
        List<String> messages = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> diagnostic : compilation.diagnostics()) {
            String message = diagnostic.getMessage(null);
            if (diagnostic.getKind() == kind && (!chainruleOnly || message.startsWith("[chainrule/"))) {
                messages.add(message);
            }
        }
        return messages;
    }

    /** The sections under {@code ### `[chainrule/Key]`} headings. */
    static List<Section> sections(List<String> lines) {
        List<Section> sections = new ArrayList<>();
        String key = null;
        Boolean warning = null;
        String quote = null;
        List<Block> before = new ArrayList<>();
        List<Block> after = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("### `[chainrule/") || line.startsWith("## ")) {
                if (key != null) {
                    sections.add(new Section(key, Boolean.TRUE.equals(warning), quote, before, after));
                }
                key = line.startsWith("### ") ? line.substring("### `[chainrule/".length(), line.indexOf(']')) : null;
                warning = null;
                quote = null;
                before = new ArrayList<>();
                after = new ArrayList<>();
            } else if (key != null && warning == null && !line.isBlank()) {
                warning = line.startsWith("Warning.");
            } else if (key != null && quote == null && line.startsWith("> [chainrule/" + key + "] ")) {
                quote = line.substring(2);
            } else if (key != null && line.equals("```java")) {
                int start = i + 1; // the fence's line, 1-based
                StringBuilder block = new StringBuilder();
                for (i++; !lines.get(i).startsWith("```"); i++) {
                    block.append(lines.get(i)).append('\n');
                }
                (quote == null ? before : after).add(new Block(start, block.toString()));
            }
        }
        if (key != null) {
            sections.add(new Section(key, Boolean.TRUE.equals(warning), quote, before, after));
        }
        return sections;
    }
}
