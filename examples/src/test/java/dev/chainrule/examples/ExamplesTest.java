package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The jar's launcher, {@code java -jar chainrule-examples.jar [name]}. */
class ExamplesTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int launch(String... args) {
        return Examples.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static List<String> exampleLines(String text) {
        return text.lines().filter(line -> line.startsWith("  ")).toList();
    }

    @Test
    void listsTheExamplesWithoutArguments() {
        assertEquals(0, launch());
        String listing = out.toString(StandardCharsets.UTF_8);
        List<String> lines = exampleLines(listing);
        assertEquals(2, lines.size(), listing);
        assertTrue(lines.get(0).startsWith("  xor "), listing);
        assertTrue(lines.get(1).startsWith("  iris "), listing);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void rejectsAnUnknownName() {
        assertEquals(2, launch("mnist"));
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.startsWith("unknown example 'mnist'\n"), message);
        assertEquals(2, exampleLines(message).size(), message);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void rejectsExtraArguments() {
        assertEquals(2, launch("xor", "iris"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("expected one example name"));
    }

    @Test
    void runsAnExampleByName() {
        assertEquals(0, launch("xor"));
        String output = out.toString(StandardCharsets.UTF_8);
        assertTrue(output.startsWith("XorNetwork"), output);
        assertTrue(output.contains("predictions:"), output);
    }
}
