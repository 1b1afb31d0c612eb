package dev.chainrule.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Activation;
import dev.chainrule.Loss;
import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.data.Dataset;
import dev.chainrule.data.MinMaxScaler;
import dev.chainrule.data.Scaler;
import dev.chainrule.data.StandardScaler;
import dev.chainrule.io.ModelFileException.Problem;
import dev.chainrule.testing.LinearModel;
import dev.chainrule.testing.TinyMlp;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ModelFileTest {

    @TempDir
    Path dir;

    static final double[][] INPUTS = {{0.3, -0.7, 1.1}, {-2, 0.5, 0.9}, {1.3, 0.1, -0.4}, {0, 0, 0}};

    private static ModelFileException assertProblem(Problem expected, Executable call) {
        ModelFileException e = assertThrows(ModelFileException.class, call::run);
        assertEquals(expected, e.problem(), e.getMessage());
        return e;
    }

    interface Executable {
        void run() throws Throwable;
    }

    // ---------------------------------------------------------------- round trips

    @ParameterizedTest
    @EnumSource(Precision.class)
    void roundTripGivesIdenticalParametersAndPredictions(Precision precision) throws IOException {
        TinyMlp trained = TinyMlp.classifier(precision, 1L);
        Path path = dir.resolve("net.model");
        ModelFile.save(trained, path);
        TinyMlp fresh = TinyMlp.classifier(precision, 99L);
        assertFalse(Arrays.equals(trained.parameters(), fresh.parameters()));
        ModelFile file = ModelFile.loadInto(fresh, path);
        assertArrayEquals(trained.parameters(), fresh.parameters());
        for (double[] x : INPUTS) {
            assertArrayEquals(trained.predict(x), fresh.predict(x));
        }
        assertEquals(path, file.path());
        assertEquals(List.of("features", "hidden", "species"), file.fieldNames());
        assertEquals(TinyMlp.class.getName(), file.modelClassName());
        assertEquals("input 3 -> dense 5 tanh -> dense 2 softmax (" + precision + ", CATEGORICAL_CROSS_ENTROPY,"
                + " 32 parameters)", file.topology());
        assertTrue(file.scaler().isEmpty());
        assertTrue(file.trainingState().isEmpty());
        assertEquals(List.of(), file.skippedSections());

        LinearModel linear = new LinearModel(3, 2, precision, 5L);
        ModelFile.save(linear, path);
        LinearModel other = new LinearModel(3, 2, precision, 6L);
        ModelFile.loadInto(other, path);
        assertArrayEquals(linear.parameters(), other.parameters());
        assertEquals("3 inputs -> 2 outputs (" + precision + ", MEAN_SQUARED_ERROR, 8 parameters)",
                ModelFile.read(path).topology());
    }

    @Test
    void floatFilesStoreFourBytesPerParameter() throws IOException {
        Path f = dir.resolve("f.model");
        Path d = dir.resolve("d.model");
        ModelFile.save(TinyMlp.classifier(Precision.FLOAT, 1L), f);
        ModelFile.save(TinyMlp.classifier(Precision.DOUBLE, 1L), d);
        // 32 parameters × 4 more bytes each, and "DOUBLE" is one letter longer than "FLOAT" in the topology
        assertEquals(32 * 4 + 1, Files.size(d) - Files.size(f));
    }

    @Test
    void theScalerTravelsWithTheModel() throws IOException {
        Dataset data = Dataset.of(new double[][] {{1, 200, 3}, {2, 100, 5}, {4, 400, 4}},
                new double[][] {{1, 0}, {0, 1}, {1, 0}});
        TinyMlp net = TinyMlp.classifier(Precision.FLOAT, 2L);
        for (Scaler scaler : List.of(StandardScaler.fit(data), MinMaxScaler.fit(data, -1, 1))) {
            Path path = dir.resolve("scaled.model");
            ModelFile.save(net, scaler, path);
            TinyMlp fresh = TinyMlp.classifier(Precision.FLOAT, 3L);
            Scaler back = ModelFile.loadInto(fresh, path).scaler().orElseThrow();
            assertEquals(scaler.getClass(), back.getClass());
            for (double[] x : INPUTS) {
                assertArrayEquals(scaler.transform(x), back.transform(x));
                assertArrayEquals(net.predict(scaler.transform(x)), fresh.predict(back.transform(x)));
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFile.save(net,
                StandardScaler.of(new double[] {0, 0}, new double[] {1, 1}), dir.resolve("x.model")));
        assertEquals("the scaler was fitted on 2 features, but the network takes 3 inputs", e.getMessage());
        assertFalse(Files.exists(dir.resolve("x.model")));
    }

    @Test
    void checkpointsKeepTheTrainingState() throws IOException {
        TinyMlp net = TinyMlp.classifier(Precision.DOUBLE, 2L);
        TrainingState state = new TrainingState(3, -42L, 16, 2, 0.05, true, new double[] {0.9, 0.5, 0.25});
        Path path = dir.resolve("ckpt.model");
        ModelFile.saveCheckpoint(net, state, path);
        ModelFile file = ModelFile.read(path);
        assertEquals(state, file.trainingState().orElseThrow());
        assertArrayEquals(new double[] {0.9, 0.5, 0.25}, file.trainingState().orElseThrow().trainLoss());
        TinyMlp fresh = TinyMlp.classifier(Precision.DOUBLE, 5L);
        file.applyTo(fresh);
        assertArrayEquals(net.parameters(), fresh.parameters());
        assertThrows(IllegalArgumentException.class, () -> new TrainingState(2, 0, 1, 1, 0.1, true, new double[1]));
    }

    // ---------------------------------------------------------------- the wrong network

    @Test
    void theWrongNetworkSaysWhatTheFileHasAndWhatTheNetworkExpects() throws IOException {
        Path path = dir.resolve("net.model");
        ModelFile.save(TinyMlp.classifier(Precision.FLOAT, 1L), path);

        TinyMlp wider = new TinyMlp(Precision.FLOAT, Loss.CATEGORICAL_CROSS_ENTROPY, 1L,
                new String[] {"features", "hidden", "species"}, new int[] {3, 6, 2}, Activation.TANH, Activation.SOFTMAX);
        double[] before = wider.parameters();
        ModelFileException e = assertProblem(Problem.WRONG_NETWORK, () -> ModelFile.loadInto(wider, path));
        assertEquals(path + ": holds a different network: layer 1 ('hidden') has 5 units in the file, 6 in the"
                + " network. The file has input 3 -> dense 5 tanh -> dense 2 softmax (FLOAT, CATEGORICAL_CROSS_ENTROPY,"
                + " 32 parameters), saved from TinyMlp; the network is input 3 -> dense 6 tanh -> dense 2 softmax"
                + " (FLOAT, CATEGORICAL_CROSS_ENTROPY, 38 parameters), TinyMlp", e.getMessage());
        assertArrayEquals(before, wider.parameters(), "a failed load must not change the network");

        TinyMlp relu = new TinyMlp(Precision.FLOAT, Loss.CATEGORICAL_CROSS_ENTROPY, 1L,
                new String[] {"a", "b", "c"}, new int[] {3, 5, 2}, Activation.RELU, Activation.SOFTMAX);
        e = assertProblem(Problem.WRONG_NETWORK, () -> ModelFile.loadInto(relu, path));
        assertTrue(e.getMessage().contains("layer 1 ('b') has activation TANH in the file, RELU in the network"),
                e.getMessage());

        e = assertProblem(Problem.WRONG_NETWORK, () -> ModelFile.loadInto(TinyMlp.classifier(Precision.DOUBLE, 1L), path));
        assertTrue(e.getMessage().contains("the precision is FLOAT in the file, DOUBLE in the network"), e.getMessage());

        TinyMlp mse = new TinyMlp(Precision.FLOAT, Loss.MEAN_SQUARED_ERROR, 1L,
                new String[] {"features", "hidden", "species"}, new int[] {3, 5, 2}, Activation.TANH, Activation.LINEAR);
        e = assertProblem(Problem.WRONG_NETWORK, () -> ModelFile.loadInto(mse, path));
        assertTrue(e.getMessage().contains("the loss is CATEGORICAL_CROSS_ENTROPY in the file, MEAN_SQUARED_ERROR"),
                e.getMessage());

        e = assertProblem(Problem.WRONG_NETWORK,
                () -> ModelFile.loadInto(new LinearModel(3, 2, Precision.FLOAT, 0L), path));
        assertTrue(e.getMessage().contains("the loss is"), e.getMessage());

        // field names are stored, not checked
        TinyMlp renamed = new TinyMlp(Precision.FLOAT, Loss.CATEGORICAL_CROSS_ENTROPY, 7L,
                new String[] {"x", "h", "out"}, new int[] {3, 5, 2}, Activation.TANH, Activation.SOFTMAX);
        ModelFile.loadInto(renamed, path);
        assertArrayEquals(TinyMlp.classifier(Precision.FLOAT, 1L).parameters(), renamed.parameters());
    }

    // ---------------------------------------------------------------- bad files, each with its own message

    private byte[] saved() throws IOException {
        Path path = dir.resolve("good.model");
        ModelFile.save(TinyMlp.classifier(Precision.FLOAT, 1L), path);
        return Files.readAllBytes(path);
    }

    private Path write(byte[] bytes) throws IOException {
        Path p = dir.resolve("bad.model");
        Files.write(p, bytes);
        return p;
    }

    /** Recomputes both checksums, so that a test can craft a structurally bad file the checksums do not catch. */
    static byte[] reseal(byte[] bytes) {
        byte[] b = bytes.clone();
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        crc.update(b, 0, 28);
        buf.putInt(28, (int) crc.getValue());
        crc.reset();
        crc.update(b, 0, b.length - 4);
        buf.putInt(b.length - 4, (int) crc.getValue());
        return b;
    }

    @Test
    void notAModelFile() throws IOException {
        Path p = write("sepal_length,label\n5.1,0\n".getBytes(StandardCharsets.US_ASCII));
        ModelFileException e = assertProblem(Problem.NOT_A_MODEL_FILE, () -> ModelFile.read(p));
        assertEquals(p + ": is not a chainrule model file: it starts with 73 65 70 61 6c 5f 6c 65 6e 67 74 68, not"
                + " the signature 89 43 48 41 49 4e 52 55 4c 45 0d 0a.", e.getMessage());
        assertEquals(p, e.path());
        Path st = dir.resolve("net.safetensors");
        Safetensors.write(TinyMlp.classifier(Precision.FLOAT, 1L), st);
        e = assertProblem(Problem.NOT_A_MODEL_FILE, () -> ModelFile.read(st));
        assertTrue(e.getMessage().endsWith("It looks like a safetensors file: load it with Safetensors.readInto."),
                e.getMessage());
    }

    @Test
    void truncatedFiles() throws IOException {
        byte[] good = saved();
        assertTrue(assertProblem(Problem.TRUNCATED, () -> ModelFile.read(write(new byte[0]))).getMessage()
                .endsWith("is empty (0 bytes)"));
        assertProblem(Problem.TRUNCATED, () -> ModelFile.read(write(Arrays.copyOf(good, 5))));
        assertProblem(Problem.TRUNCATED, () -> ModelFile.read(write(Arrays.copyOf(good, 20))));
        ModelFileException e = assertProblem(Problem.TRUNCATED,
                () -> ModelFile.read(write(Arrays.copyOf(good, good.length - 1))));
        assertEquals(dir.resolve("bad.model") + ": is truncated: the header says " + good.length + " bytes, the file"
                + " has " + (good.length - 1), e.getMessage());
    }

    @Test
    void appendedBytes() throws IOException {
        byte[] good = saved();
        byte[] longer = Arrays.copyOf(good, good.length + 3);
        ModelFileException e = assertProblem(Problem.TRAILING_DATA, () -> ModelFile.read(write(longer)));
        assertTrue(e.getMessage().contains("has 3 unexpected bytes after the end of the model"), e.getMessage());
    }

    @Test
    void changedBytesFailTheChecksum() throws IOException {
        byte[] good = saved();
        byte[] body = good.clone();
        body[100] ^= 0x10;
        ModelFileException e = assertProblem(Problem.CHECKSUM_MISMATCH, () -> ModelFile.read(write(body)));
        assertTrue(e.getMessage().contains("checksum mismatch: bytes of the file were changed after it was written"),
                e.getMessage());
        byte[] header = good.clone();
        header[17] ^= 0x01; // the body length
        e = assertProblem(Problem.CHECKSUM_MISMATCH, () -> ModelFile.read(write(header)));
        assertTrue(e.getMessage().contains("header checksum mismatch"), e.getMessage());
        byte[] trailer = good.clone();
        trailer[trailer.length - 1] ^= (byte) 0x80;
        assertProblem(Problem.CHECKSUM_MISMATCH, () -> ModelFile.read(write(trailer)));
    }

    @Test
    void newerVersionsAreRefusedByName() throws IOException {
        byte[] v2 = saved();
        ByteBuffer.wrap(v2).order(ByteOrder.LITTLE_ENDIAN).putInt(12, 2);
        ModelFileException e = assertProblem(Problem.NEWER_VERSION, () -> ModelFile.read(write(reseal(v2))));
        assertEquals(dir.resolve("bad.model") + ": is format version 2, but this chainrule reads versions up to 1;"
                + " load it with a newer chainrule", e.getMessage());
    }

    @Test
    void craftedSizesAreRejectedBeforeAllocating() throws IOException {
        byte[] good = saved();
        // a body length of 2^62 with a valid header checksum: refused from the file length alone
        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(16, 1L << 62);
        assertProblem(Problem.TRUNCATED, () -> ModelFile.read(write(reseal(huge))));
        byte[] negative = good.clone();
        ByteBuffer.wrap(negative).order(ByteOrder.LITTLE_ENDIAN).putLong(16, -1L);
        assertProblem(Problem.TRUNCATED, () -> ModelFile.read(write(reseal(negative))));

        // a PARM section that claims 2^31 - 1 values, with valid checksums: malformed, nothing allocated
        int parm = indexOf(good, "PARM");
        byte[] count = good.clone();
        ByteBuffer.wrap(count).order(ByteOrder.LITTLE_ENDIAN).putLong(parm + 16 + 4, Integer.MAX_VALUE);
        ModelFileException e = assertProblem(Problem.MALFORMED, () -> ModelFile.read(write(reseal(count))));
        assertTrue(e.getMessage().contains("section PARM claims 2147483647 values of 4 bytes in 128 bytes"),
                e.getMessage());
        assertTrue(e.getMessage().contains("the checksum matches"), e.getMessage());

        // a section length beyond the body
        byte[] section = good.clone();
        ByteBuffer.wrap(section).order(ByteOrder.LITTLE_ENDIAN).putLong(parm + 8, 1L << 40);
        e = assertProblem(Problem.MALFORMED, () -> ModelFile.read(write(reseal(section))));
        assertTrue(e.getMessage().contains("section 'PARM' claims 1099511627776 bytes"), e.getMessage());

        // a string length beyond its section
        int topo = indexOf(good, "TOPO");
        byte[] string = good.clone();
        ByteBuffer.wrap(string).order(ByteOrder.LITTLE_ENDIAN).putInt(topo + 16, 0x7fffffff);
        e = assertProblem(Problem.MALFORMED, () -> ModelFile.read(write(reseal(string))));
        assertTrue(e.getMessage().contains("section TOPO ends early"), e.getMessage());
    }

    @Test
    void unknownSectionsAreSkippedUnlessCritical() throws IOException {
        byte[] good = saved();
        for (int flags : new int[] {0, 1}) {
            byte[] extra = withSection(good, "XTRA", flags, new byte[] {1, 2, 3});
            Path p = write(extra);
            if (flags == 0) {
                ModelFile file = ModelFile.read(p);
                assertEquals(List.of("XTRA"), file.skippedSections());
                TinyMlp net = TinyMlp.classifier(Precision.FLOAT, 9L);
                file.applyTo(net);
                assertArrayEquals(TinyMlp.classifier(Precision.FLOAT, 1L).parameters(), net.parameters());
            } else {
                ModelFileException e = assertProblem(Problem.UNSUPPORTED, () -> ModelFile.read(p));
                assertTrue(e.getMessage().contains("needs section 'XTRA' version 1"), e.getMessage());
            }
        }
        byte[] twice = withSection(good, "TOPO", 1, Arrays.copyOfRange(good, indexOf(good, "TOPO") + 16,
                indexOf(good, "PARM")));
        assertTrue(assertProblem(Problem.MALFORMED, () -> ModelFile.read(write(twice))).getMessage()
                .contains("section 'TOPO' appears twice"));
    }

    /** Appends a section to a valid file, fixing the body length and checksums. */
    static byte[] withSection(byte[] file, String tag, int flags, byte[] payload) {
        byte[] out = new byte[file.length + 16 + payload.length];
        int end = file.length - 4;
        System.arraycopy(file, 0, out, 0, end);
        System.arraycopy(ModelFile.sectionHeader(tag, flags, payload.length), 0, out, end, 16);
        System.arraycopy(payload, 0, out, end + 16, payload.length);
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(16, b.getLong(16) + 16 + payload.length);
        return reseal(out);
    }

    static int indexOf(byte[] bytes, String ascii) {
        byte[] needle = ascii.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError(ascii + " not found");
    }

    // ---------------------------------------------------------------- corruption

    @Test
    void noRandomCorruptionLoadsSilently() throws IOException {
        TinyMlp original = TinyMlp.classifier(Precision.FLOAT, 1L);
        Path good = dir.resolve("good.model");
        ModelFile.save(original, StandardScaler.of(new double[] {1, 2, 3}, new double[] {4, 5, 6}), good);
        byte[] bytes = Files.readAllBytes(good);
        SplittableRandom random = new SplittableRandom(2024L);
        int[] kinds = new int[3];
        int[] problems = new int[Problem.values().length];
        for (int trial = 0; trial < 1500; trial++) {
            byte[] bad;
            int kind = trial % 3;
            if (kind == 0) { // flip 1 to 8 bytes, each by a non-zero mask
                bad = bytes.clone();
                int flips = 1 + random.nextInt(8);
                for (int f = 0; f < flips; f++) {
                    bad[random.nextInt(bad.length)] ^= (byte) (1 + random.nextInt(255));
                }
                if (Arrays.equals(bad, bytes)) {
                    continue; // two flips of one byte cancelled out
                }
            } else if (kind == 1) { // truncate anywhere
                bad = Arrays.copyOf(bytes, random.nextInt(bytes.length));
            } else { // append 1 to 64 random bytes
                bad = Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(64));
                for (int i = bytes.length; i < bad.length; i++) {
                    bad[i] = (byte) random.nextInt(256);
                }
            }
            kinds[kind]++;
            Path p = write(bad);
            TinyMlp target = TinyMlp.classifier(Precision.FLOAT, 77L);
            double[] before = target.parameters();
            ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.loadInto(target, p),
                    "trial " + trial + " (kind " + kind + ") loaded a corrupt file");
            assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
            assertArrayEquals(before, target.parameters(), "trial " + trial + " changed the network");
            problems[e.problem().ordinal()]++;
        }
        assertTrue(kinds[0] > 450 && kinds[1] == 500 && kinds[2] == 500, Arrays.toString(kinds));
        assertEquals(500, problems[Problem.TRAILING_DATA.ordinal()], Arrays.toString(problems));
        assertTrue(problems[Problem.TRUNCATED.ordinal()] >= 500, Arrays.toString(problems));
        assertTrue(problems[Problem.CHECKSUM_MISMATCH.ordinal()] > 300, Arrays.toString(problems));
    }

    // ---------------------------------------------------------------- the byte layout

    @Test
    void layoutMatchesTheDocumentation() throws IOException {
        LinearModel model = new LinearModel(1, 1, Precision.DOUBLE, 0L);
        model.setParameters(new double[] {2.0, -0.5});
        Path path = dir.resolve("tiny.model");
        ModelFile.save(model, path);
        byte[] b = Files.readAllBytes(path);
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertArrayEquals(new byte[] {(byte) 0x89, 'C', 'H', 'A', 'I', 'N', 'R', 'U', 'L', 'E', '\r', '\n'},
                Arrays.copyOf(b, 12));
        assertEquals(1, buf.getInt(12));
        assertEquals(b.length - 36, buf.getLong(16));
        assertEquals(0, buf.getInt(24));
        CRC32C crc = new CRC32C();
        crc.update(b, 0, 28);
        assertEquals((int) crc.getValue(), buf.getInt(28));
        // TOPO: class name, "DOUBLE", "MEAN_SQUARED_ERROR", 1 input, 1 output, 2 parameters, 0 layers
        String className = LinearModel.class.getName();
        int topoLength = 4 + className.length() + 4 + 6 + 4 + 18 + 4 + 4 + 8 + 4;
        assertEquals("TOPO", new String(b, 32, 4, StandardCharsets.US_ASCII));
        assertEquals(1, buf.getShort(36));
        assertEquals(1, buf.getShort(38));
        assertEquals(topoLength, buf.getLong(40));
        assertEquals(className.length(), buf.getInt(48));
        int parm = 48 + topoLength;
        assertEquals("PARM", new String(b, parm, 4, StandardCharsets.US_ASCII));
        assertEquals(1, buf.getShort(parm + 4));
        assertEquals(1, buf.getShort(parm + 6));
        assertEquals(12 + 16, buf.getLong(parm + 8));
        assertEquals(8, buf.getInt(parm + 16));
        assertEquals(2, buf.getLong(parm + 20));
        assertEquals(2.0, buf.getDouble(parm + 28));
        assertEquals(-0.5, buf.getDouble(parm + 36));
        assertEquals(parm + 44 + 4, b.length);
        crc.reset();
        crc.update(b, 0, b.length - 4);
        assertEquals((int) crc.getValue(), buf.getInt(b.length - 4));
    }

    // ---------------------------------------------------------------- helpers for other tests

    static Model reload(Model fresh, Path path) throws IOException {
        ModelFile.loadInto(fresh, path);
        return fresh;
    }
}
