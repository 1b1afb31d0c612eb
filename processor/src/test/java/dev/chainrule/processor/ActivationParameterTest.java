package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Layer;
import dev.chainrule.Model;
import dev.chainrule.io.ModelFile;
import dev.chainrule.io.ModelFileException;
import dev.chainrule.io.Safetensors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An activation's parameter ({@code @Dense(alpha)}) is part of the network: the layer views
 * report it, model files refuse a network with another one, and safetensors metadata names it.
 */
class ActivationParameterTest {

    static CompiledNetworks compiled;

    @BeforeAll
    static void compile() {
        String network = "loss = Loss.MEAN_SQUARED_ERROR, precision = Precision.DOUBLE";
        compiled = CompiledNetworks.compile(Map.of(
                "alpha.Steep", Specs.source("alpha", "Steep", network, 2, List.of(
                        "units = 3, activation = Activation.LEAKY_RELU, alpha = 0.2",
                        "units = 2, activation = Activation.ELU, alpha = 0.5")),
                "alpha.Standard", Specs.source("alpha", "Standard", network, 2, List.of(
                        "units = 3, activation = Activation.LEAKY_RELU",
                        "units = 2, activation = Activation.ELU")),
                "alpha.Explicit", Specs.source("alpha", "Explicit", network, 2, List.of(
                        "units = 3, activation = Activation.LEAKY_RELU, alpha = 0.01",
                        "units = 2, activation = Activation.ELU, alpha = 1"))));
    }

    @Test
    void layerViewsReportTheParameterWithDefaultsApplied() {
        List<Layer> steep = compiled.newNetwork("alpha.SteepNetwork", 1L).layers();
        assertTrue(Double.isNaN(steep.get(0).alpha()), "the input layer has none");
        assertEquals(0.2, steep.get(1).alpha());
        assertEquals(0.5, steep.get(2).alpha());
        List<Layer> standard = compiled.newNetwork("alpha.StandardNetwork", 1L).layers();
        assertEquals(0.01, standard.get(1).alpha());
        assertEquals(1.0, standard.get(2).alpha());
    }

    @Test
    void aModelFileFitsOnlyTheSameParameters(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("steep.model");
        ModelFile.save(compiled.newNetwork("alpha.SteepNetwork", 1L), file);
        ModelFileException e = assertThrows(ModelFileException.class,
                () -> ModelFile.loadInto(compiled.newNetwork("alpha.StandardNetwork", 2L), file));
        assertEquals(ModelFileException.Problem.WRONG_NETWORK, e.problem());
        assertTrue(e.getMessage().contains("activation LEAKY_RELU(0.2) in the file, LEAKY_RELU in the network"),
                e.getMessage());
        ModelFile.loadInto(compiled.newNetwork("alpha.SteepNetwork", 2L), file);

        // the default given explicitly is the same network as the default left out
        Path standard = dir.resolve("standard.model");
        Model explicit = compiled.newNetwork("alpha.ExplicitNetwork", 3L);
        ModelFile.save(explicit, standard);
        Model loaded = compiled.newNetwork("alpha.StandardNetwork", 4L);
        ModelFile.loadInto(loaded, standard);
        assertEquals(explicit.parameters()[0], loaded.parameters()[0]);
    }

    @Test
    void safetensorsNamesTheTorchModulesWithTheirParameters(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("steep.safetensors");
        Safetensors.write(compiled.newNetwork("alpha.SteepNetwork", 1L), file);
        String header = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        assertTrue(header.contains("nn.Linear(2, 3), nn.LeakyReLU(0.2), nn.Linear(3, 2), nn.ELU(alpha=0.5)"), header);
    }
}
