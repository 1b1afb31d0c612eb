package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The catalogue of messages stays whole: keys are unique, every message says what to do, every
 * one has its failure test, and {@code docs/errors.md} documents every one with its real text.
 */
class MessageCatalogueTest {

    static final Path ERRORS_DOC = Path.of("../docs/errors.md");
    static final List<Path> TESTS = List.of(
            Path.of("src/test/java/dev/chainrule/processor/DiagnosticTest.java"),
            Path.of("src/test/java/dev/chainrule/processor/NeverCrashTest.java"),
            Path.of("src/test/java/dev/chainrule/processor/AttributeValidationTest.java"));

    @Test
    void keysAreUniqueAndEveryMessageSaysWhatToDo() {
        Set<String> keys = new HashSet<>();
        for (Message message : Message.values()) {
            assertTrue(keys.add(message.key()), "duplicate key " + message.key());
            assertTrue(message.key().matches("[A-Z][A-Za-z]+"), message.key());
            // What is wrong; then how to fix it.
            assertTrue(message.format(new Object[16]).contains("; "), message + " says nothing about a fix");
        }
    }

    @Test
    void everyMessageHasAFailureTest() throws IOException {
        StringBuilder tests = new StringBuilder();
        for (Path test : TESTS) {
            tests.append(Files.readString(test, StandardCharsets.UTF_8));
        }
        List<String> untested = new ArrayList<>();
        for (Message message : Message.values()) {
            if (!tests.toString().contains("[chainrule/" + message.key() + "]")) {
                untested.add(message.key());
            }
        }
        assertEquals(List.of(), untested, "messages without a test asserting their text");
    }

    @Test
    void everyMessageIsDocumentedWithItsRealText() throws IOException {
        String doc = Files.readString(ERRORS_DOC, StandardCharsets.UTF_8);
        Matcher heading = Pattern.compile("(?m)^### `\\[chainrule/([A-Za-z]+)\\]`$").matcher(doc);
        List<String> documented = new ArrayList<>();
        while (heading.find()) {
            documented.add(heading.group(1));
        }
        List<String> keys = new ArrayList<>();
        for (Message message : Message.values()) {
            keys.add(message.key());
        }
        assertEquals(keys.stream().sorted().toList(), documented.stream().sorted().toList(),
                "the headings of docs/errors.md against the Message catalogue");

        for (Message message : Message.values()) {
            String quote = "> [chainrule/" + message.key() + "] ";
            int at = doc.indexOf(quote);
            assertTrue(at >= 0, "docs/errors.md quotes no message " + message.key());
            String line = doc.substring(at + 2, doc.indexOf('\n', at));
            assertTrue(template(message).matcher(line).matches(),
                    "docs/errors.md quotes " + message.key() + " as\n" + line + "\nwhich does not match\n"
                            + message.format(placeholders()));
        }
    }

    /** The message with each {@code %s} matching any text. */
    private static Pattern template(Message message) {
        String marker = "\u0000";
        String[] parts = message.format(placeholders(marker)).split(marker, -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            regex.append(i == 0 ? "" : ".+?").append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(regex.toString());
    }

    private static Object[] placeholders() {
        return placeholders("<...>");
    }

    private static Object[] placeholders(String text) {
        Object[] arguments = new Object[16];
        java.util.Arrays.fill(arguments, text);
        return arguments;
    }
}
