package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The generated sources of the XOR network (unrolled layers), of an iris-sized network (unrolled
 * layers that loop over their units) and of a small network of tiled layers (both kernel paths,
 * the split by inputs), compared as exact text with the checked-in
 * golden files. After an intended change to the generator, regenerate them with
 * {@code mvn -pl processor test -Dtest=GoldenFileTest -Dchainrule.updateGolden=true} and review
 * the diff.
 */
class GoldenFileTest {

    static final String XOR = """
            package dev.chainrule.examples;

            import dev.chainrule.Activation;
            import dev.chainrule.Dense;
            import dev.chainrule.Input;
            import dev.chainrule.Layer;
            import dev.chainrule.Loss;
            import dev.chainrule.Network;

            @Network(loss = Loss.MEAN_SQUARED_ERROR)
            abstract class Xor {
                @Input(2) Layer input;
                @Dense(units = 4, activation = Activation.SIGMOID) Layer hidden;
                @Dense(units = 1, activation = Activation.SIGMOID) Layer output;
            }
            """;

    @Test
    void xorNetworkMatchesGoldenFile() throws IOException {
        assertMatchesGoldenFile("Xor", CompiledNetworks.compile("dev.chainrule.examples.Xor", XOR).compilation());
    }

    /**
     * Two tiled layers with Vector API kernels beside the portable ones; the first layer is split by
     * its inputs among the threads of {@code Trainer.threads(n)} (the {@code Worker} class).
     */
    static final String WIDE = """
            package dev.chainrule.examples;

            import dev.chainrule.*;

            @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY, simd = Simd.VECTOR)
            abstract class Wide {
                @Input(8) Layer features;
                @Dense(units = 16, activation = Activation.RELU) Layer hidden;
                @Dense(units = 10, activation = Activation.SOFTMAX) Layer output;
            }
            """;

    @Test
    void wideNetworkMatchesGoldenFile() throws IOException {
        assertMatchesGoldenFile("Wide",
                CompiledNetworks.compileWithVectorApi(java.util.Map.of("dev.chainrule.examples.Wide", WIDE)).compilation());
    }

    /**
     * Unrolled layers in both forms: the hidden layer is wide enough to loop over its units (and
     * takes relu's derivative without a branch), the output layer writes its three units out and
     * runs its softmax in a pass of its own.
     */
    static final String FLOWER = """
            package dev.chainrule.examples;

            import dev.chainrule.*;

            @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
            abstract class Flower {
                @Input(4) Layer features;
                @Dense(units = 16, activation = Activation.RELU) Layer hidden;
                @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
            }
            """;

    @Test
    void flowerNetworkMatchesGoldenFile() throws IOException {
        assertMatchesGoldenFile("Flower", CompiledNetworks.compile("dev.chainrule.examples.Flower", FLOWER).compilation());
    }

    /** Compares the generated {@code dev.chainrule.examples.<name>Network} with {@code golden/<name>Network.java}. */
    private static void assertMatchesGoldenFile(String name, Compilation compilation) throws IOException {
        String generated = generatedSource(compilation, "dev/chainrule/examples/" + name + "Network.java");
        Path golden = Path.of("src/test/resources/golden/" + name + "Network.java");
        if (Boolean.getBoolean("chainrule.updateGolden")) {
            Files.writeString(golden, generated, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), generated);
    }

    static final String IRIS = """
            package dev.chainrule.examples;

            import dev.chainrule.*;

            @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
            abstract class Iris {
                @Input(4) Layer features;
                @Dense(units = 16, activation = Activation.TANH) Layer hidden;
                @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
            }
            """;

    @Test
    void irisSpecCompilesWithoutWarningsAndRuns() {
        // CompiledNetworks.compile fails on any warning under -Xlint:all.
        dev.chainrule.Model net = CompiledNetworks.compile("dev.chainrule.examples.Iris", IRIS)
                .newNetwork("dev.chainrule.examples.IrisNetwork", 42L);
        assertEquals(4 * 16 + 16 + 16 * 3 + 3, net.parameterCount());
        double[] p = net.predict(new double[] {5.1, 3.5, 1.4, 0.2});
        assertEquals(1.0, p[0] + p[1] + p[2], 1e-6, "softmax output sums to 1");
    }

    @Test
    void outputIsDeterministic() throws IOException {
        String first = generatedSource(CompiledNetworks.compile("dev.chainrule.examples.Xor", XOR).compilation(),
                "dev/chainrule/examples/XorNetwork.java");
        String second = generatedSource(CompiledNetworks.compile("dev.chainrule.examples.Xor", XOR).compilation(),
                "dev/chainrule/examples/XorNetwork.java");
        assertEquals(first, second);
    }

    static String generatedSource(Compilation compilation, String path) throws IOException {
        for (JavaFileObject file : compilation.generatedSourceFiles()) {
            if (file.toUri().getPath().endsWith(path)) {
                try (InputStream in = file.openInputStream()) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        assertNotNull(null, "no generated file " + path);
        return null;
    }
}
