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
 * The generated source of the XOR network, compared as exact text with the checked-in golden
 * file. After an intended change to the generator, regenerate it with
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
        String generated = generatedSource(CompiledNetworks.compile("dev.chainrule.examples.Xor", XOR).compilation(),
                "dev/chainrule/examples/XorNetwork.java");
        Path golden = Path.of("src/test/resources/golden/XorNetwork.java");
        if (Boolean.getBoolean("chainrule.updateGolden")) {
            Files.writeString(golden, generated, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), generated);
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
