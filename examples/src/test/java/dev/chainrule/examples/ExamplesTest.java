package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The jar's launcher, {@code java -jar chainrule-examples.jar [name [--epochs N]]}. */
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
    void listsTheExamplesOneLineEachWithoutArguments() {
        assertEquals(0, launch());
        String listing = out.toString(StandardCharsets.UTF_8);
        List<String> names = exampleLines(listing).stream().map(line -> line.strip().split(" +")[0]).toList();
        assertEquals(List.of("xor", "iris", "diabetes", "breast-cancer", "digits", "mnist"), names, listing);
        assertTrue(listing.startsWith("usage: java [--add-modules jdk.incubator.vector] -jar chainrule-examples.jar"),
                listing);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void rejectsAnUnknownName() {
        assertEquals(2, launch("lenet"));
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.startsWith("unknown example 'lenet'\n"), message);
        assertEquals(Examples.ALL.size(), exampleLines(message).size(), message);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void rejectsExtraArguments() {
        assertEquals(2, launch("xor", "iris"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("expected an example name"));
    }

    @Test
    void rejectsABadEpochCount() {
        assertEquals(2, launch("xor", "--epochs", "0"));
        assertEquals("--epochs takes a whole number of at least 1, got '0'\n", err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void runsAnExampleByName() {
        assertEquals(0, launch("xor"));
        String output = out.toString(StandardCharsets.UTF_8);
        assertTrue(output.startsWith("XorNetwork"), output);
        assertTrue(output.contains("predictions:"), output);
    }

    @Test
    void epochsReplacesTheBudget() {
        assertEquals(0, launch("xor", "--epochs", "3"));
        String output = out.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("epoch 3/3  loss"), output);
        assertTrue(output.contains("stopped: epoch budget of 3 reached"), output);
    }
}
