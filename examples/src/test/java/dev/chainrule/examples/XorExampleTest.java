package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Runs the XOR example itself (the code {@code java -jar chainrule-examples.jar xor} runs). */
class XorExampleTest {

    @Test
    void learnsTheTruthTable() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        XorExample.Result result = XorExample.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));

        double loss = result.training().finalLoss();
        assertTrue(loss < 0.01, "final mean squared error " + loss + " after " + result.training().epochs()
                + " epochs (" + result.training().stopReason() + ")");
        assertTrue(result.training().epochs() < XorExample.SETTINGS.epochs(),
                "the loss threshold, not the epoch budget, should end training: " + result.training().stopReason());

        double[] predictions = result.predictions();
        long[] rounded = Arrays.stream(predictions).mapToLong(Math::round).toArray();
        assertEquals("[0, 1, 1, 0]", Arrays.toString(rounded),
                "rounded predictions for 00, 01, 10, 11; raw " + Arrays.toString(predictions));
        // The reported predictions are the trained network's.
        for (int i = 0; i < XorExample.INPUTS.length; i++) {
            assertEquals(predictions[i], result.network().predict(XorExample.INPUTS[i])[0]);
        }

        String output = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(output.startsWith("XorNetwork"), "the summary comes first:\n" + output);
        assertTrue(output.contains("stopped: training loss"), output);
        assertTrue(output.contains("1 xor 1 = 0"), output);
    }

    @Test
    void sameSeedsSameRun() {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        XorExample.Result a = XorExample.run(quiet);
        XorExample.Result b = XorExample.run(quiet);
        assertEquals(a.training().epochs(), b.training().epochs());
        assertEquals(a.training().finalLoss(), b.training().finalLoss());
        assertEquals(Arrays.toString(a.network().parameters()), Arrays.toString(b.network().parameters()));
    }
}
