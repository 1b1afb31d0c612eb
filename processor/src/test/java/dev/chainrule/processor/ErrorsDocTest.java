package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The specs of docs/errors.md do what the page says: each whole spec shown under a message's
 * heading (in package {@code demo}, after {@code import dev.chainrule.*;}, as the page says) makes
 * the processor report exactly the message the page quotes, and each whole spec shown after it
 * (the fix) compiles without errors. Abbreviated specs ({@code ...}) and fragments (a field
 * alone) are left to {@link DiagnosticTest}, which has a complete failing spec for every message.
 */
class ErrorsDocTest {

    /**
     * One message's section of the page: its key, the quoted message, the Java blocks before the
     * quote (the spec that triggers it, perhaps after variants) and those after it (the fix).
     */
    record Section(String key, String quote, List<String> before, List<String> after) {}

    /** Messages whose spec cannot show them in a plain compilation, and why. */
    static final java.util.Map<String, String> NOT_REPRODUCIBLE = java.util.Map.of(
            "VectorUnavailable", "needs a compilation without jdk.incubator.vector",
            "CannotWrite", "needs a file system that refuses the generated file",
            "UnknownConstant", "needs a runtime newer than the processor",
            "InternalError", "needs a bug in the processor");

    @Test
    void theSpecsOfThePageReportTheQuotedMessagesAndTheFixesCompile() throws IOException {
        List<Section> sections = sections(Files.readAllLines(MessageCatalogueTest.ERRORS_DOC, StandardCharsets.UTF_8));
        List<String> failures = new ArrayList<>();
        List<String> abbreviated = new ArrayList<>();
        int checkedSpecs = 0;
        int checkedFixes = 0;
        for (Section section : sections) {
            if (NOT_REPRODUCIBLE.containsKey(section.key())) {
                continue;
            }
            String spec = section.before().isEmpty() ? "" : section.before().get(section.before().size() - 1);
            if (complete(spec)) {
                checkedSpecs++;
                Compilation compilation = SpecSource.compile(SpecSource.of("demo", spec)).compilation();
                List<String> reported = messages(compilation, Diagnostic.Kind.ERROR);
                reported.addAll(messages(compilation, Diagnostic.Kind.WARNING));
                if (!reported.contains(section.quote())) {
                    failures.add(section.key() + ": the page quotes\n  " + section.quote()
                            + "\nbut the spec above it reports " + reported);
                }
            } else {
                abbreviated.add(section.key());
            }
            for (String fix : section.after()) {
                if (complete(fix)) {
                    checkedFixes++;
                    List<String> errors = messages(SpecSource.compile(SpecSource.of("demo", fix)).compilation(),
                            Diagnostic.Kind.ERROR);
                    if (!errors.isEmpty()) {
                        failures.add(section.key() + ": the fix shown does not compile: " + errors);
                    }
                }
            }
        }
        System.out.printf("ErrorsDocTest: %d of %d messages' specs and %d fixes compiled and checked;"
                + " abbreviated specs (checked by DiagnosticTest only): %s%n", checkedSpecs, sections.size(),
                checkedFixes, abbreviated);
        assertEquals(List.of(), failures);
        // Most pages' specs show only the line at fault; these are the whole ones (13 today).
        assertTrue(checkedSpecs >= 13, "whole specs checked: " + checkedSpecs);
    }

    /** A spec the page shows whole: a class with its annotation, braces balanced, nothing left out. */
    static boolean complete(String block) {
        long open = block.chars().filter(c -> c == '{').count();
        long close = block.chars().filter(c -> c == '}').count();
        return block.contains("@Network") && open == close && open > 0 && !block.contains("...");
    }

    private static List<String> messages(Compilation compilation, Diagnostic.Kind kind) {
        List<String> messages = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> diagnostic : compilation.diagnostics()) {
            if (diagnostic.getKind() == kind) {
                messages.add(diagnostic.getMessage(null));
            }
        }
        return messages;
    }

    /** The sections under {@code ### `[chainrule/Key]`} headings. */
    static List<Section> sections(List<String> lines) {
        List<Section> sections = new ArrayList<>();
        String key = null;
        String quote = null;
        List<String> before = new ArrayList<>();
        List<String> after = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("### `[chainrule/") || line.startsWith("## ")) {
                if (key != null) {
                    sections.add(new Section(key, quote, before, after));
                }
                key = line.startsWith("### ") ? line.substring("### `[chainrule/".length(), line.indexOf(']')) : null;
                quote = null;
                before = new ArrayList<>();
                after = new ArrayList<>();
            } else if (key != null && quote == null && line.startsWith("> [chainrule/" + key + "] ")) {
                quote = line.substring(2);
            } else if (key != null && line.equals("```java")) {
                StringBuilder block = new StringBuilder();
                for (i++; !lines.get(i).startsWith("```"); i++) {
                    block.append(lines.get(i)).append('\n');
                }
                (quote == null ? before : after).add(block.toString());
            }
        }
        if (key != null) {
            sections.add(new Section(key, quote, before, after));
        }
        return sections;
    }
}
