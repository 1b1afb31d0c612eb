package dev.chainrule.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Precision;
import dev.chainrule.testing.TinyMlp;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Section TRAI version 2: the whole history and the best parameters; version 1 still reads. */
class TrainingStateFileTest {

    @TempDir
    Path dir;

    static TrainingState full(int parameterCount) {
        double[] best = new double[parameterCount];
        for (int i = 0; i < best.length; i++) {
            best[i] = i * 0.25 - 1;
        }
        return TrainingState.builder(3, -42L, 16, 2, 0.025, true, new double[] {0.9, 0.5, 0.25})
                .learningRates(new double[] {0.1, 0.05, 0.025})
                .validation("split 0.2 with seed 7, stratified", new double[] {1.0, 0.6, Double.NaN})
                .task("CLASSIFICATION")
                .metric("accuracy", new double[] {0.5, 0.75, 0.875})
                .metric("val_accuracy", new double[] {0.4, 0.7, 0.8})
                .best(new TrainingState.Best("VALIDATION_LOSS", 2, 0.6, best))
                .build();
    }

    @Test
    void aVersionTwoStateRoundTrips() throws IOException {
        TinyMlp net = TinyMlp.classifier(Precision.FLOAT, 2L);
        TrainingState state = full(net.parameterCount());
        Path path = dir.resolve("full.ckpt");
        ModelFile.saveCheckpoint(net, state, path);
        TrainingState read = ModelFile.read(path).trainingState().orElseThrow();
        assertEquals(state, read);
        assertArrayEquals(new double[] {0.1, 0.05, 0.025}, read.learningRates());
        assertEquals(List.of("accuracy", "val_accuracy"), read.metricNames());
        assertArrayEquals(new double[] {0.4, 0.7, 0.8}, read.metric("val_accuracy").orElseThrow());
        assertEquals(2, read.best().orElseThrow().epoch());
        assertArrayEquals(state.best().orElseThrow().parameters(), read.best().orElseThrow().parameters(),
                "best parameters are stored as f64 whatever the precision");
        byte[] bytes = Files.readAllBytes(path);
        int at = indexOf(bytes, "TRAI");
        assertEquals(2, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getShort(at + 4), "section version");
        assertEquals(0, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getShort(at + 6), "not critical");
        assertTrue(read.toString().contains("best epoch 2"), read.toString());
    }

    @Test
    void theSevenArgumentStateHasEmptyHistories() {
        TrainingState plain = new TrainingState(2, 1L, 8, 1, 0.1, false, new double[] {1, 0.5});
        assertEquals(0, plain.learningRates().length);
        assertEquals("", plain.validation());
        assertEquals(List.of(), plain.metricNames());
        assertTrue(plain.best().isEmpty());
        assertNotEquals(full(3), plain);
        assertEquals(full(3), full(3));
        assertEquals(full(3).hashCode(), full(3).hashCode());
    }

    @Test
    void historiesMustHaveOneValuePerEpoch() {
        assertThrows(IllegalArgumentException.class, () -> TrainingState.builder(2, 0, 1, 1, 0.1, true,
                new double[2]).learningRates(new double[1]).build());
        assertThrows(IllegalArgumentException.class, () -> TrainingState.builder(2, 0, 1, 1, 0.1, true,
                new double[2]).validation("x", new double[3]).build());
        assertThrows(IllegalArgumentException.class, () -> TrainingState.builder(2, 0, 1, 1, 0.1, true,
                new double[2]).metric("accuracy", new double[0]).build());
        assertThrows(IllegalArgumentException.class, () -> TrainingState.builder(2, 0, 1, 1, 0.1, true,
                new double[2]).best(new TrainingState.Best("TRAINING_LOSS", 3, 0.1, new double[1])).build());
        assertThrows(IllegalArgumentException.class, () -> new TrainingState.Best("", 1, 0.1, new double[1]));
        assertThrows(IllegalArgumentException.class, () -> new TrainingState(1, 0, 1, 1, -0.1, true, new double[1]));
        new TrainingState(1, 0, 1, 1, 0.0, true, new double[1]); // a zero rate (end of a schedule) is a state
    }

    /** A version 1 checkpoint, as the previous chainrule wrote it: its TRAI payload stops after the losses. */
    @Test
    void aVersionOneCheckpointStillReads() throws IOException {
        TinyMlp net = TinyMlp.classifier(Precision.DOUBLE, 2L);
        Path path = dir.resolve("v1.ckpt");
        ModelFile.saveCheckpoint(net, new TrainingState(2, 5L, 8, 1, 0.1, true, new double[] {0.7, 0.6}), path);
        byte[] v1payload = new Binary.Out().u32(2).i64(5L).u32(8).u32(1).f64(0.1).u32(1).u32(2)
                .f64s(new double[] {0.7, 0.6}).toByteArray();
        Files.write(path, replaceTrai(Files.readAllBytes(path), 1, v1payload));
        TrainingState read = ModelFile.read(path).trainingState().orElseThrow();
        assertEquals(new TrainingState(2, 5L, 8, 1, 0.1, true, new double[] {0.7, 0.6}), read);
        assertEquals(List.of(), ModelFile.read(path).skippedSections());

        Files.write(path, replaceTrai(Files.readAllBytes(path), 3, v1payload));
        ModelFile unknown = ModelFile.read(path);
        assertTrue(unknown.trainingState().isEmpty());
        assertEquals(List.of("TRAI"), unknown.skippedSections(), "a newer TRAI is skipped, not misread");
    }

    @Test
    void aTruncatedVersionTwoPayloadIsMalformed() throws IOException {
        TinyMlp net = TinyMlp.classifier(Precision.DOUBLE, 2L);
        Path path = dir.resolve("cut.ckpt");
        ModelFile.saveCheckpoint(net, full(net.parameterCount()), path);
        byte[] payload = new Binary.Out().u32(2).i64(5L).u32(8).u32(1).f64(0.1).u32(1).u32(2)
                .f64s(new double[] {0.7, 0.6}).u32(2).toByteArray();
        Files.write(path, replaceTrai(Files.readAllBytes(path), 2, payload));
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.read(path));
        assertEquals(ModelFileException.Problem.MALFORMED, e.problem());
    }

    private static int indexOf(byte[] bytes, String tag) {
        byte[] t = tag.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        outer:
        for (int i = ModelFile.PREAMBLE; i + t.length <= bytes.length; i++) {
            for (int j = 0; j < t.length; j++) {
                if (bytes[i + j] != t[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError(tag + " not found");
    }

    /** The file with its TRAI section (the last) replaced, and the lengths and checksums redone. */
    static byte[] replaceTrai(byte[] file, int version, byte[] payload) {
        int at = indexOf(file, "TRAI");
        ByteBuffer out = ByteBuffer.allocate(at + ModelFile.SECTION_HEADER + payload.length + ModelFile.TRAILER)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(file, 0, at).put(ModelFile.sectionHeader("TRAI", version, 0, payload.length)).put(payload);
        byte[] b = out.array();
        long body = b.length - ModelFile.PREAMBLE - ModelFile.TRAILER;
        byte[] pre = ModelFile.preamble(1, body);
        System.arraycopy(pre, 0, b, 0, pre.length);
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - ModelFile.TRAILER);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length - ModelFile.TRAILER, (int) crc.getValue());
        return b;
    }
}
