package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Runs the Iris example itself (the code the README's first command runs). */
class IrisExampleTest {

    @Test
    void reachesNinetyFivePercentOnTheHeldOutSplit() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        IrisExample.Result result = IrisExample.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String output = buffer.toString(StandardCharsets.UTF_8);

        assertEquals(105, result.trainRows(), "70% of 150 rows");
        assertEquals(45, result.testRows(), "the other 30%");
        String observed = String.format(Locale.ROOT, "test accuracy %.4f, final training loss %.6f after %d epochs (%s)",
                result.testAccuracy(), result.training().finalLoss(), result.training().epochs(),
                result.training().stopReason());
        System.out.println("IrisExampleTest: " + observed);
        assertTrue(result.testAccuracy() >= 0.95, observed + "\n" + output);

        // The accuracy is the confusion matrix's diagonal.
        int[][] confusion = result.confusion();
        int correct = 0;
        for (int c = 0; c < confusion.length; c++) {
            correct += confusion[c][c];
        }
        assertEquals(result.testAccuracy(), (double) correct / result.testRows());

        assertTrue(output.startsWith("IrisNetwork"), "the summary comes first:\n" + output);
        assertTrue(output.contains("confusion matrix"), output);
        for (String species : BundledData.IRIS_SPECIES) {
            assertTrue(output.contains(species), species + " missing from:\n" + output);
        }
    }
}
