package dev.chainrule.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Activation;
import dev.chainrule.Loss;
import dev.chainrule.Precision;
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
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SafetensorsTest {

    @TempDir
    Path dir;

    private static TinyMlp tiny(Precision precision) {
        return new TinyMlp(precision, Loss.BINARY_CROSS_ENTROPY, 1L, new String[] {"x", "hidden", "out"},
                new int[] {2, 3, 1}, Activation.TANH, Activation.SIGMOID);
    }

    private static final double[] TINY_PARAMETERS = {1, 2, 3, 4, 5, 6, 0.5, -0.5, 0.25, -1, -2, -3, 0.125};

    @Test
    void byteLayoutMatchesAHandComputedHeader() throws IOException {
        TinyMlp net = tiny(Precision.FLOAT);
        net.setParameters(TINY_PARAMETERS);
        Path path = dir.resolve("tiny.safetensors");
        Safetensors.write(net, path);
        byte[] bytes = Files.readAllBytes(path);

        // 505 bytes of JSON, padded with 7 spaces to 512, a multiple of 8
        String header = "{\"__metadata__\":{"
                + "\"chainrule.activations\":\"TANH,SIGMOID\","
                + "\"chainrule.fields\":\"x,hidden,out\","
                + "\"chainrule.loss\":\"BINARY_CROSS_ENTROPY\","
                + "\"chainrule.precision\":\"FLOAT\","
                + "\"chainrule.sequential\":\"nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1), nn.Sigmoid()\","
                + "\"format\":\"pt\"},"
                + "\"0.weight\":{\"dtype\":\"F32\",\"shape\":[3,2],\"data_offsets\":[0,24]},"
                + "\"0.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[24,36]},"
                + "\"2.weight\":{\"dtype\":\"F32\",\"shape\":[1,3],\"data_offsets\":[36,48]},"
                + "\"2.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[48,52]}}"
                + "       ";
        assertEquals(512, header.length());
        ByteBuffer expected = ByteBuffer.allocate(8 + 512 + 52).order(ByteOrder.LITTLE_ENDIAN);
        expected.putLong(512);
        expected.put(header.getBytes(StandardCharsets.US_ASCII));
        // 0.weight rows [1, 2], [3, 4], [5, 6]; 0.bias; 2.weight [-1, -2, -3]; 2.bias
        for (double p : TINY_PARAMETERS) {
            expected.putFloat((float) p);
        }
        assertEquals(new String(expected.array(), 8, 512, StandardCharsets.US_ASCII),
                new String(bytes, 8, 512, StandardCharsets.US_ASCII));
        assertArrayEquals(expected.array(), bytes);
        // 1.0f little-endian is 00 00 80 3f
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3f}, Arrays.copyOfRange(bytes, 520, 524));
    }

    @Test
    void doubleNetworksWriteF64() throws IOException {
        TinyMlp net = tiny(Precision.DOUBLE);
        net.setParameters(TINY_PARAMETERS);
        Path path = dir.resolve("tiny64.safetensors");
        Safetensors.write(net, path);
        byte[] bytes = Files.readAllBytes(path);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.contains("\"0.weight\":{\"dtype\":\"F64\",\"shape\":[3,2],\"data_offsets\":[0,48]}"), header);
        assertTrue(header.contains("\"2.bias\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[96,104]}"), header);
        assertEquals(0, n % 8);
        assertEquals(8 + n + 104, bytes.length);
        ByteBuffer data = ByteBuffer.wrap(bytes, 8 + (int) n, 104).order(ByteOrder.LITTLE_ENDIAN);
        for (double p : TINY_PARAMETERS) {
            assertEquals(p, data.getDouble());
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void roundTripGivesIdenticalParametersAndPredictions(Precision precision) throws IOException {
        TinyMlp trained = TinyMlp.classifier(precision, 4L);
        Path path = dir.resolve("net.safetensors");
        Safetensors.write(trained, path);
        TinyMlp fresh = TinyMlp.classifier(precision, 5L);
        Safetensors.readInto(fresh, path);
        assertArrayEquals(trained.parameters(), fresh.parameters());
        for (double[] x : ModelFileTest.INPUTS) {
            assertArrayEquals(trained.predict(x), fresh.predict(x));
        }
    }

    @Test
    void precisionsConvertOnLoad() throws IOException {
        TinyMlp f32 = TinyMlp.classifier(Precision.FLOAT, 4L);
        Path path = dir.resolve("f32.safetensors");
        Safetensors.write(f32, path);
        TinyMlp wide = TinyMlp.classifier(Precision.DOUBLE, 5L);
        Safetensors.readInto(wide, path);
        assertArrayEquals(f32.parameters(), wide.parameters(), "float to double is exact");

        TinyMlp f64 = TinyMlp.classifier(Precision.DOUBLE, 6L);
        Path path64 = dir.resolve("f64.safetensors");
        Safetensors.write(f64, path64);
        TinyMlp narrow = TinyMlp.classifier(Precision.FLOAT, 7L);
        Safetensors.readInto(narrow, path64);
        double[] rounded = Arrays.stream(f64.parameters()).map(v -> (float) v).toArray();
        assertArrayEquals(rounded, narrow.parameters(), "double to float rounds to nearest");
    }

    // ---------------------------------------------------------------- bad files

    /** Writes a safetensors file with the given header (unpadded) and {@code dataBytes} zero bytes of data. */
    private Path file(String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path p = dir.resolve("bad.safetensors");
        Files.write(p, b.array());
        return p;
    }

    private static String tensor(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
                + end + "]}";
    }

    /** The header of {@link #tiny} in F32, with one tensor's entry replaceable. */
    private static String tinyHeader(String firstWeight) {
        return "{" + firstWeight + "," + tensor("0.bias", "F32", "[3]", 24, 36) + ","
                + tensor("2.weight", "F32", "[1,3]", 36, 48) + "," + tensor("2.bias", "F32", "[1]", 48, 52) + "}";
    }

    private ModelFileException fails(Problem problem, Path path) {
        TinyMlp net = tiny(Precision.FLOAT);
        double[] before = net.parameters();
        ModelFileException e = assertThrows(ModelFileException.class, () -> Safetensors.readInto(net, path));
        assertEquals(problem, e.problem(), e.getMessage());
        assertArrayEquals(before, net.parameters(), "a failed load must not change the network");
        return e;
    }

    @Test
    void aValidForeignFileLoadsWhateverItsTensorOrder() throws IOException {
        // as PyTorch's save_file writes it: no chainrule metadata, tensors sorted by name
        String header = "{" + tensor("0.bias", "F32", "[3]", 0, 12) + "," + tensor("0.weight", "F32", "[3,2]", 12, 36)
                + "," + tensor("2.bias", "F32", "[1]", 36, 40) + "," + tensor("2.weight", "F32", "[1,3]", 40, 52) + "}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 52).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        float[] data = {0.5f, -0.5f, 0.25f, 1, 2, 3, 4, 5, 6, 0.125f, -1, -2, -3};
        for (float v : data) {
            b.putFloat(v);
        }
        Path p = dir.resolve("torch.safetensors");
        Files.write(p, b.array());
        TinyMlp net = tiny(Precision.FLOAT);
        Safetensors.readInto(net, p);
        assertArrayEquals(TINY_PARAMETERS, net.parameters());
    }

    @Test
    void theWrongNetworkNamesTheTensor() throws IOException {
        ModelFileException e = fails(Problem.WRONG_NETWORK,
                file(tinyHeader(tensor("0.weight", "F32", "[4,2]", 0, 32)).replace("[24,36]", "[32,44]")
                        .replace("[36,48]", "[44,56]").replace("[48,52]", "[56,60]"), 60));
        assertTrue(e.getMessage().contains("tensor \"0.weight\" has shape [4, 2] in the file, the network expects"
                + " [3, 2] (layer 'hidden': 2 inputs, 3 units)"), e.getMessage());
        assertTrue(e.getMessage().contains("expects 0.weight [3, 2], 0.bias [3], 2.weight [1, 3], 2.bias [1]"),
                e.getMessage());

        e = fails(Problem.WRONG_NETWORK, file("{" + tensor("0.weight", "F32", "[3,2]", 0, 24) + "}", 24));
        assertTrue(e.getMessage().contains("has no tensor \"0.bias\""), e.getMessage());
        assertTrue(e.getMessage().contains("the file has 0.weight [3, 2]"), e.getMessage());

        String extra = tinyHeader(tensor("0.weight", "F32", "[3,2]", 0, 24)).replace("}}", "},"
                + tensor("4.weight", "F32", "[1]", 52, 56) + "}");
        e = fails(Problem.WRONG_NETWORK, file(extra, 56));
        assertTrue(e.getMessage().contains("has tensor \"4.weight\", which the network does not have"), e.getMessage());

        Path relu = dir.resolve("relu.safetensors");
        Safetensors.write(new TinyMlp(Precision.FLOAT, Loss.BINARY_CROSS_ENTROPY, 1L, new String[] {"x", "h", "o"},
                new int[] {2, 3, 1}, Activation.RELU, Activation.SIGMOID), relu);
        e = fails(Problem.WRONG_NETWORK, relu);
        assertTrue(e.getMessage().contains("activations relu,sigmoid, but this network has tanh,sigmoid"),
                e.getMessage());

        assertThrows(IllegalArgumentException.class,
                () -> Safetensors.write(new LinearModel(2, 1, Precision.FLOAT, 0L), dir.resolve("x.safetensors")));
    }

    @Test
    void unsupportedDtypes() throws IOException {
        String f16 = "{" + tensor("0.weight", "F16", "[3,2]", 0, 12) + "," + tensor("0.bias", "F32", "[3]", 12, 24)
                + "," + tensor("2.weight", "F32", "[1,3]", 24, 36) + "," + tensor("2.bias", "F32", "[1]", 36, 40) + "}";
        ModelFileException e = fails(Problem.UNSUPPORTED, file(f16, 40));
        assertTrue(e.getMessage().contains("tensor \"0.weight\" has dtype F16; chainrule reads F32 and F64"),
                e.getMessage());
        e = fails(Problem.MALFORMED, file(tinyHeader(tensor("0.weight", "Q4", "[3,2]", 0, 24)), 52));
        assertTrue(e.getMessage().contains("unknown dtype \"Q4\""), e.getMessage());
    }

    @Test
    void offsetsMustTileTheData() throws IOException {
        ModelFileException e = fails(Problem.MALFORMED, file(tinyHeader(tensor("0.weight", "F32", "[3,2]", 0, 20)), 52));
        assertTrue(e.getMessage().contains("data_offsets [0, 20], but its dtype and shape need 24 bytes"), e.getMessage());
        e = fails(Problem.MALFORMED, file(tinyHeader(tensor("0.weight", "F32", "[3,2]", 4, 28)), 52));
        assertTrue(e.getMessage().contains("starts at byte 4 of the data, but the tensors before it end at 0"),
                e.getMessage());
        e = fails(Problem.TRAILING_DATA, file(tinyHeader(tensor("0.weight", "F32", "[3,2]", 0, 24)), 60));
        assertTrue(e.getMessage().contains("has 8 bytes after the last tensor's data"), e.getMessage());
        e = fails(Problem.TRUNCATED, file(tinyHeader(tensor("0.weight", "F32", "[3,2]", 0, 24)), 40));
        assertTrue(e.getMessage().contains("its tensors need 52 bytes of data, the file has 40"), e.getMessage());
        e = fails(Problem.MALFORMED, file(tinyHeader(tensor("0.weight", "F32",
                "[4294967296,4294967296]", 0, 24)), 52));
        assertTrue(e.getMessage().contains("too large to address"), e.getMessage());
        e = fails(Problem.MALFORMED, file(tinyHeader(tensor("0.weight", "F32", "[3,-2]", 0, 24)), 52));
        assertTrue(e.getMessage().contains("shape of tensor \"0.weight\" has -2 where a non-negative integer belongs"),
                e.getMessage());
        e = fails(Problem.MALFORMED, file(tinyHeader(tensor("0.weight", "F32", "[3,2.0]", 0, 24)), 52));
        assertTrue(e.getMessage().contains("has 2.0 where a non-negative integer belongs"), e.getMessage());
    }

    @Test
    void headerLengthIsCheckedAgainstTheFile() throws IOException {
        Path p = dir.resolve("bad.safetensors");
        Files.write(p, new byte[0]);
        fails(Problem.TRUNCATED, p);
        Files.write(p, new byte[] {1, 2, 3});
        fails(Problem.TRUNCATED, p);
        ByteBuffer huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE);
        Files.write(p, huge.array());
        ModelFileException e = fails(Problem.TRUNCATED, p);
        assertTrue(e.getMessage().contains("its header length says 9223372036854775807 bytes, but only 8 follow"),
                e.getMessage());
        ByteBuffer negative = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L);
        Files.write(p, negative.array());
        fails(Problem.TRUNCATED, p);
        Path model = dir.resolve("x.model");
        ModelFile.save(tiny(Precision.FLOAT), model);
        e = fails(Problem.NOT_A_MODEL_FILE, model);
        assertTrue(e.getMessage().contains("is a chainrule model file"), e.getMessage());
    }

    @Test
    void malformedJsonIsRejectedWithItsPosition() throws IOException {
        String good = tinyHeader(tensor("0.weight", "F32", "[3,2]", 0, 24));
        String[][] cases = {
            {good.substring(0, good.length() - 1), "unexpected end of the header, expected ',' or '}'"},
            {good.replace("\"dtype\":", "\"dtype\""), "expected ':'"},
            {good.replace("[3,2]", "[3 2]"), "expected ',' or ']'"},
            {good.replace("\"F32\"", "F32"), "expected a value"},
            {good + "x", "after the JSON value"},
            {"{\"0.weight\":1,\"0.weight\":2}", "duplicate key \"0.weight\""},
            {"{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}", "nesting deeper than 64 levels"},
            {"{\"a\":\"\u0001\"}", "control character U+0001"},
            {"{\"a\":\"\\q\"}", "bad escape \\q"},
            {"{\"a\":01}", "expected ',' or '}'"},
            {"{\"__metadata__\":{\"k\":1}}", "__metadata__ value of \"k\" is not a string"},
            {"{\"0.weight\":{\"shape\":[1],\"data_offsets\":[0,4]}}", "has no dtype string"},
            {"{\"0.weight\":[]}", "not described by an object"},
        };
        for (String[] c : cases) {
            ModelFileException e = fails(Problem.MALFORMED, file(c[0], 0));
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
        ModelFileException e = fails(Problem.MALFORMED, file("{\"a\":tru}", 0));
        assertTrue(e.getMessage().contains("malformed JSON header: unexpected 't', expected a value at character 5"),
                e.getMessage());
        fails(Problem.NOT_A_MODEL_FILE, file("[1,2]", 0));
        e = fails(Problem.WRONG_NETWORK, file("{}", 0));
        assertTrue(e.getMessage().contains("the file has no tensors"), e.getMessage());
    }

    @Test
    void randomDamageNeverEscapesAsAnythingButAModelFileException() throws IOException {
        TinyMlp net = tiny(Precision.FLOAT);
        Path good = dir.resolve("good.safetensors");
        Safetensors.write(net, good);
        byte[] bytes = Files.readAllBytes(good);
        int headerEnd = 8 + (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        SplittableRandom random = new SplittableRandom(7L);
        int failed = 0;
        for (int trial = 0; trial < 1000; trial++) {
            byte[] bad;
            switch (trial % 3) {
                case 0: // damage the length or the header (the data has no checksum to catch a flipped value)
                    bad = bytes.clone();
                    for (int f = 1 + random.nextInt(3); f > 0; f--) {
                        bad[random.nextInt(headerEnd)] ^= (byte) (1 + random.nextInt(255));
                    }
                    break;
                case 1:
                    bad = Arrays.copyOf(bytes, random.nextInt(bytes.length));
                    break;
                default:
                    bad = Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(16));
                    break;
            }
            Path p = dir.resolve("bad.safetensors");
            Files.write(p, bad);
            TinyMlp target = tiny(Precision.FLOAT);
            try {
                Safetensors.readInto(target, p);
            } catch (ModelFileException expected) {
                failed++;
            }
        }
        // truncations and appended bytes always fail; a damaged header almost always does
        assertTrue(failed > 900, "only " + failed + " of 1000 damaged files were rejected");
    }
}
