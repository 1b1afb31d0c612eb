package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Adam on iris reaches the accuracy SGD ends with, in fewer epochs. */
class IrisOptimizersTest {

    @Test
    void adamReachesSgdsFinalAccuracyInFewerEpochs() {
        assertArrayEquals(new IrisNetwork(IrisExample.SETTINGS.networkSeed()).parameters(),
                new IrisAdamNetwork(IrisExample.SETTINGS.networkSeed()).parameters(), "the same start");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        IrisOptimizers.Result r = IrisOptimizers.run(RunOptions.defaults(new PrintStream(buffer, true,
                StandardCharsets.UTF_8)));
        String output = buffer.toString(StandardCharsets.UTF_8);
        System.out.print("IrisOptimizersTest: " + output);
        assertTrue(r.target() >= 0.95, output);
        assertTrue(r.adamEpochs() > 0, "Adam reaches the accuracy SGD ends with:\n" + output);
        assertTrue(r.adamEpochs() < r.sgdEpochs(), "in fewer epochs:\n" + output);
    }
}
