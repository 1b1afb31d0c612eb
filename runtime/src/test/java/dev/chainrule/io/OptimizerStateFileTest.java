package dev.chainrule.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Precision;
import dev.chainrule.io.ModelFileException.Problem;
import dev.chainrule.testing.MomentumMlp;
import dev.chainrule.testing.TinyMlp;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Section OPTM: the update rule's state in checkpoints, as docs/files.md describes it. */
class OptimizerStateFileTest {

    @TempDir
    Path dir;

    static final TrainingState STATE = new TrainingState(1, 3L, 4, 1, 0.1, true, new double[] {0.5});

    /** A momentum network with a known state: 7 steps, velocity k / 8 for parameter k. */
    static MomentumMlp withState(Precision precision) {
        MomentumMlp net = new MomentumMlp(TinyMlp.classifier(precision, 1L));
        double[] state = new double[1 + net.parameterCount()];
        state[0] = 7;
        for (int k = 0; k < net.parameterCount(); k++) {
            state[1 + k] = (k + 1) / 8.0;
        }
        net.setOptimizerState(state);
        return net;
    }

    @Test
    void checkpointsCarryTheStateAndRestoreIt() throws IOException {
        for (Precision precision : Precision.values()) {
            MomentumMlp net = withState(precision);
            Path path = dir.resolve("momentum-" + precision + ".ckpt");
            ModelFile.saveCheckpoint(net, STATE, path);
            ModelFile file = ModelFile.read(path);
            OptimizerState saved = file.optimizerState().orElseThrow();
            assertEquals("MOMENTUM", saved.optimizer());
            assertEquals(7, saved.steps());
            assertArrayEquals(net.optimizerState(), saved.state());
            assertTrue(file.skippedSections().isEmpty());

            MomentumMlp fresh = new MomentumMlp(TinyMlp.classifier(precision, 2L));
            file.restoreOptimizerState(fresh);
            assertArrayEquals(net.optimizerState(), fresh.optimizerState());
        }
    }

    @Test
    void plainModelFilesAndSgdCheckpointsHaveNone() throws IOException {
        Path model = dir.resolve("plain.model");
        ModelFile.save(withState(Precision.FLOAT), model);
        assertFalse(ModelFile.read(model).optimizerState().isPresent());
        Path sgd = dir.resolve("sgd.ckpt");
        ModelFile.saveCheckpoint(TinyMlp.classifier(Precision.FLOAT, 1L), STATE, sgd);
        assertFalse(ModelFile.read(sgd).optimizerState().isPresent());
        assertThrows(AssertionError.class, () -> ModelFileTest.indexOf(Files.readAllBytes(sgd), "OPTM"));
        // an SGD network resumes from it (nothing to restore) ...
        ModelFile.read(sgd).restoreOptimizerState(TinyMlp.classifier(Precision.FLOAT, 5L));
        // ... a momentum network cannot: its velocities are missing
        ModelFileException e = assertThrows(ModelFileException.class,
                () -> ModelFile.read(sgd).restoreOptimizerState(new MomentumMlp(TinyMlp.classifier(Precision.FLOAT, 5L))));
        assertEquals(Problem.WRONG_NETWORK, e.problem());
        assertTrue(e.getMessage().contains("holds no optimizer state, but the network's update rule MOMENTUM keeps one"
                + " (momentum_buffer)"), e.getMessage());
    }

    @Test
    void anotherOptimizersStateIsRefused() throws IOException {
        Path path = dir.resolve("momentum.ckpt");
        ModelFile.saveCheckpoint(withState(Precision.DOUBLE), STATE, path);
        TinyMlp sgd = TinyMlp.classifier(Precision.DOUBLE, 5L);
        ModelFileException e = assertThrows(ModelFileException.class,
                () -> ModelFile.read(path).restoreOptimizerState(sgd));
        assertEquals(Problem.WRONG_NETWORK, e.problem());
        assertTrue(e.getMessage().contains("holds the state of optimizer MOMENTUM, but the network is trained with SGD"),
                e.getMessage());
    }

    @Test
    void aStateIsNotLoadedIntoAnotherTopology() throws IOException {
        Path path = dir.resolve("momentum.ckpt");
        ModelFile.saveCheckpoint(withState(Precision.DOUBLE), STATE, path);
        MomentumMlp wider = new MomentumMlp(new TinyMlp(Precision.DOUBLE, dev.chainrule.Loss.CATEGORICAL_CROSS_ENTROPY,
                5L, new String[] {"features", "hidden", "species"}, new int[] {3, 6, 2}, dev.chainrule.Activation.TANH,
                dev.chainrule.Activation.SOFTMAX));
        double[] before = wider.optimizerState();
        ModelFileException e = assertThrows(ModelFileException.class,
                () -> ModelFile.read(path).restoreOptimizerState(wider));
        assertEquals(Problem.WRONG_NETWORK, e.problem());
        assertTrue(e.getMessage().contains("holds a different network"), e.getMessage());
        assertArrayEquals(before, wider.optimizerState(), "nothing restored");
    }

    @Test
    void layoutMatchesTheDocumentation() throws IOException {
        MomentumMlp net = withState(Precision.FLOAT);
        Path path = dir.resolve("layout.ckpt");
        ModelFile.saveCheckpoint(net, STATE, path);
        byte[] b = Files.readAllBytes(path);
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int at = ModelFileTest.indexOf(b, "OPTM");
        assertTrue(at > ModelFileTest.indexOf(b, "TRAI"), "after TRAI");
        assertEquals(1, buf.getShort(at + 4), "version 1");
        assertEquals(0, buf.getShort(at + 6), "not critical");
        int n = net.parameterCount();
        long length = (4 + 8) + 8 + 4 + (4 + 15) + 4 + 8 + 4L * n;
        assertEquals(length, buf.getLong(at + 8));
        int p = at + 16;
        assertEquals(8, buf.getInt(p));
        assertEquals("MOMENTUM", new String(b, p + 4, 8, StandardCharsets.UTF_8));
        assertEquals(7, buf.getLong(p + 12));
        assertEquals(1, buf.getInt(p + 20), "one array");
        assertEquals(15, buf.getInt(p + 24));
        assertEquals("momentum_buffer", new String(b, p + 28, 15, StandardCharsets.UTF_8));
        assertEquals(4, buf.getInt(p + 43), "f32 in a FLOAT network");
        assertEquals(n, buf.getLong(p + 47));
        for (int k = 0; k < n; k++) {
            assertEquals((k + 1) / 8.0f, buf.getFloat(p + 55 + 4 * k));
        }
        assertEquals(p + 55 + 4 * n + 4, b.length, "then only the trailing checksum");
    }

    @Test
    void malformedSectionsAreRefused() throws IOException {
        Path path = dir.resolve("good.ckpt");
        ModelFile.saveCheckpoint(withState(Precision.FLOAT), STATE, path);
        byte[] good = Files.readAllBytes(path);
        int at = ModelFileTest.indexOf(good, "momentum_buffer");
        byte[] renamed = good.clone();
        renamed[at] = 'n';
        ModelFileException e = assertThrows(ModelFileException.class,
                () -> ModelFile.read(write(ModelFileTest.reseal(renamed))));
        assertEquals(Problem.MALFORMED, e.problem());
        assertTrue(e.getMessage().contains("holds [nomentum_buffer] for MOMENTUM, which keeps [momentum_buffer]"),
                e.getMessage());

        byte[] wide = good.clone();
        ByteBuffer.wrap(wide).order(ByteOrder.LITTLE_ENDIAN).putLong(at + 19, Integer.MAX_VALUE);
        e = assertThrows(ModelFileException.class, () -> ModelFile.read(write(ModelFileTest.reseal(wide))));
        assertEquals(Problem.MALFORMED, e.problem());
        assertTrue(e.getMessage().contains("section OPTM claims 2147483647 values"), e.getMessage());
    }

    private Path write(byte[] bytes) throws IOException {
        Path p = Files.createTempFile(dir, "crafted", ".ckpt");
        Files.write(p, bytes);
        return p;
    }
}
