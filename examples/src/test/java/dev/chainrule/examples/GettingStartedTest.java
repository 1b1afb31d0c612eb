package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.check.GradientCheck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps docs/getting-started.md honest: its excerpts of generated code appear in the generated
 * file, and what it claims about parameters, layer views and the gradient check holds.
 */
class GettingStartedTest {

    @TempDir
    Path reports;

    /** Surefire runs in the module's folder; the docs are part of this repository. */
    private static final Path PAGE = Path.of("..", "docs", "getting-started.md");
    private static final Path GENERATED = Path.of("target", "generated-sources", "annotations");
    private static final String MARKER = "<!-- excerpt: ";

    @Test
    void excerptsMatchTheGeneratedCode() throws IOException {
        List<String> page = Files.readAllLines(PAGE, StandardCharsets.UTF_8);
        int excerpts = 0;
        for (int i = 0; i < page.size(); i++) {
            String line = page.get(i);
            if (!line.startsWith(MARKER)) {
                continue;
            }
            String file = line.substring(MARKER.length(), line.indexOf(" -->"));
            if (file.contains("/")) {
                continue;   // a path from the repository's root: DocsTest checks those
            }
            String generated = Files.readString(
                    GENERATED.resolve("dev/chainrule/examples").resolve(file), StandardCharsets.UTF_8);
            assertTrue(page.get(i + 1).startsWith("```"), "a code block follows the marker on line " + (i + 1));
            // The block's chunks, separated by "// ..." lines, must each appear verbatim.
            List<String> chunk = new ArrayList<>();
            int j = i + 2;
            for (; !page.get(j).startsWith("```"); j++) {
                if (page.get(j).strip().startsWith("// ...")) {
                    assertChunkIn(generated, chunk, file, j);
                    chunk.clear();
                } else {
                    chunk.add(page.get(j));
                }
            }
            assertChunkIn(generated, chunk, file, j);
            excerpts++;
            i = j;
        }
        assertEquals(2, excerpts, "excerpts found in " + PAGE);
    }

    private static void assertChunkIn(String generated, List<String> chunk, String file, int pageLine) {
        assertFalse(chunk.isEmpty());
        String text = String.join("\n", chunk) + "\n";
        assertTrue(generated.contains(text), "docs/getting-started.md (block ending near line " + pageLine
                + ") no longer matches the generated " + file + "; copy the current code into the page:\n" + text);
    }

    @Test
    void parametersAndLayerViewsAreAsDescribed() {
        IrisNetwork net = new IrisNetwork(42L);
        double[] theta = net.parameters();
        assertEquals(131, theta.length);

        // Layer by layer, weights [out][in] row-major, then biases.
        double[][] hidden = net.hidden.weights();
        double[][] species = net.species.weights();
        assertEquals(16, hidden.length);
        assertEquals(4, hidden[0].length);
        assertEquals(3, species.length);
        assertEquals(16, species[0].length);
        assertEquals(hidden[1][2], theta[4 + 2]);
        assertEquals(net.hidden.biases()[5], theta[64 + 5]);
        assertEquals(species[2][7], theta[80 + 2 * 16 + 7]);
        assertEquals(net.species.biases()[1], theta[128 + 1]);

        net.species.setBiases(new double[] {0.25, 0.5, 0.75});
        assertArrayEquals(new double[] {0.25, 0.5, 0.75}, java.util.Arrays.copyOfRange(net.parameters(), 128, 131));
        net.setParameters(theta);
        assertArrayEquals(theta, net.parameters());

        IrisNetwork twin = net.copy();
        assertNotSame(net, twin);
        assertArrayEquals(theta, twin.parameters());
        assertEquals(3, net.layers().size());
        assertEquals("features", net.layers().get(0).name());
    }

    @Test
    void gradientCheckIsAsDescribed() {
        IrisNetwork net = new IrisNetwork(42L);   // before training, where the gradients are large
        double[] before = net.parameters();
        double[][] x = {{-0.9, 1.0, -1.3, -1.3}, {0.3, -0.6, 0.5, 0.3}, {1.1, -0.1, 1.0, 1.2}};
        double[][] y = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        GradientCheck.Report report = GradientCheck.check(net, x, y);
        assertTrue(report.maxScaledError() < 1e-3, report.toString());
        assertArrayEquals(before, net.parameters(), "the check restores the parameters");
    }

    @Test
    void predictionGoesThroughTheTrainingScaler() {
        IrisExample.Result result = IrisExample.run(RunOptions.defaults(new PrintStream(new ByteArrayOutputStream(),
                true, StandardCharsets.UTF_8)).withReportDirectory(reports));
        IrisNetwork net = result.network();
        double[] flower = {5.1, 3.5, 1.4, 0.2};
        double[] p = net.predict(result.scaler().transform(flower));
        assertEquals(1.0, p[0] + p[1] + p[2], 1e-5);
        assertEquals(0, net.predictClass(result.scaler().transform(flower)), "row 1 of the data is a setosa");
    }
}
