package dev.chainrule.io;

import dev.chainrule.Activation;
import dev.chainrule.Layer;
import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.io.ModelFileException.Problem;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Export and import of a network's parameters in the safetensors format, so that models move
 * between chainrule and the Python ecosystem: what {@link #write} produces loads into a PyTorch
 * {@code nn.Sequential} of {@code nn.Linear} layers, each followed by its activation module, with
 * {@code model.load_state_dict(safetensors.torch.load_file(path))}, and such a model's
 * {@code save_file(model.state_dict(), path)} loads back with {@link #readInto}.
 *
 * <p>Tensor names follow that {@code nn.Sequential}: dense layer {@code k} (counting from 0) is
 * module {@code 2k}, its activation module {@code 2k + 1}, so the tensors are {@code 0.weight}
 * (shape {@code [out, in]}, PyTorch's orientation and chainrule's public order), {@code 0.bias}
 * ({@code [out]}), {@code 2.weight}, {@code 2.bias}, ... A FLOAT network writes {@code F32}, a
 * DOUBLE network {@code F64}; reading converts either to the network's precision. The header's
 * {@code __metadata__} holds the layer field names, the activations, the loss, the precision and
 * the PyTorch modules to build ({@code chainrule.sequential}). The byte layout is in
 * {@code docs/files.md}.
 *
 * <p>The format has no checksum: a changed data byte cannot be detected (use {@link ModelFile}
 * to store models for chainrule itself). The header is parsed defensively: its length is checked
 * against the file and capped at 100 MB (the limit of the reference implementation), malformed
 * JSON is rejected with the position of the error, offsets must tile the data exactly, and every
 * size is checked against the file's length before anything is allocated.
 */
public final class Safetensors {

    /** The reference implementation's limit on the header length, which readers enforce too. */
    static final long MAX_HEADER = 100_000_000L;

    private static final Map<String, Integer> DTYPE_SIZES = Map.ofEntries(
            Map.entry("BOOL", 1), Map.entry("U8", 1), Map.entry("I8", 1), Map.entry("F8_E5M2", 1),
            Map.entry("F8_E4M3", 1), Map.entry("I16", 2), Map.entry("U16", 2), Map.entry("F16", 2),
            Map.entry("BF16", 2), Map.entry("I32", 4), Map.entry("U32", 4), Map.entry("F32", 4),
            Map.entry("F64", 8), Map.entry("I64", 8), Map.entry("U64", 8));

    private Safetensors() {}

    /**
     * Writes the network's parameters to {@code path} in safetensors format, atomically (as
     * {@link ModelFile#save(Model, Path)} does).
     *
     * @throws IllegalArgumentException if the network does not describe its layers
     *     ({@link Model#layers()} is empty), since the tensor names come from them
     * @throws IOException if the file cannot be written; the previous file is then unchanged
     */
    public static void write(Model model, Path path) throws IOException {
        write(model, path, UnaryOperator.identity());
    }

    static void write(Model model, Path path, UnaryOperator<OutputStream> wrap) throws IOException {
        Objects.requireNonNull(model, "model is null");
        Objects.requireNonNull(path, "path is null");
        byte[] header = header(model);
        double[] parameters = model.parameters();
        boolean single = model.precision() == Precision.FLOAT;
        AtomicWrite.write(path, out -> {
            ByteBuffer chunk = ByteBuffer.allocate(1 << 15).order(ByteOrder.LITTLE_ENDIAN);
            chunk.putLong(header.length);
            out.write(chunk.array(), 0, 8);
            out.write(header);
            chunk.clear();
            for (double p : parameters) {
                if (chunk.remaining() < 8) {
                    out.write(chunk.array(), 0, chunk.position());
                    chunk.clear();
                }
                if (single) {
                    chunk.putFloat((float) p);
                } else {
                    chunk.putDouble(p);
                }
            }
            out.write(chunk.array(), 0, chunk.position());
        }, wrap);
    }

    /** The JSON header, padded with spaces to a multiple of 8 bytes as the reference writer does. */
    static byte[] header(Model model) {
        List<Tensor> tensors = expectedTensors(model);
        String dtype = model.precision() == Precision.FLOAT ? "F32" : "F64";
        int width = model.precision() == Precision.FLOAT ? 4 : 8;
        StringBuilder json = new StringBuilder("{\"__metadata__\":{");
        boolean first = true;
        for (Map.Entry<String, String> e : metadata(model).entrySet()) {
            json.append(first ? "" : ",").append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
            first = false;
        }
        json.append('}');
        long offset = 0;
        for (Tensor t : tensors) {
            long end = offset + t.elements() * width;
            json.append(',').append(Json.quote(t.name)).append(":{\"dtype\":\"").append(dtype).append("\",\"shape\":[");
            for (int k = 0; k < t.shape.length; k++) {
                json.append(k == 0 ? "" : ",").append(t.shape[k]);
            }
            json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        json.append('}');
        while (json.length() % 8 != 0) {
            json.append(' ');
        }
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The metadata, sorted by key so the header is deterministic. */
    static Map<String, String> metadata(Model model) {
        List<Layer> layers = model.layers();
        List<String> fields = new ArrayList<>();
        List<String> activations = new ArrayList<>();
        List<String> modules = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            fields.add(l.name());
            if (i > 0) {
                activations.add(l.activation().name());
                modules.add("nn.Linear(" + l.inputSize() + ", " + l.units() + ")");
                modules.add(torchModule(l.activation(), l.alpha()));
            }
        }
        Map<String, String> m = new TreeMap<>();
        m.put("chainrule.activations", String.join(",", activations));
        m.put("chainrule.fields", String.join(",", fields));
        m.put("chainrule.loss", model.loss().name());
        m.put("chainrule.precision", model.precision().name());
        m.put("chainrule.sequential", String.join(", ", modules));
        m.put("format", "pt");
        return m;
    }

    private static String torchModule(Activation a, double alpha) {
        switch (a) {
            case LINEAR:
                return "nn.Identity()";
            case SIGMOID:
                return "nn.Sigmoid()";
            case TANH:
                return "nn.Tanh()";
            case RELU:
                return "nn.ReLU()";
            case LEAKY_RELU:
                return "nn.LeakyReLU(" + (Double.isNaN(alpha) ? 0.01 : alpha) + ")";
            case ELU:
                return "nn.ELU(alpha=" + (Double.isNaN(alpha) ? 1.0 : alpha) + ")";
            case SELU:
                return "nn.SELU()";
            case SOFTPLUS:
                return "nn.Softplus()";
            case SILU:
                return "nn.SiLU()";
            case GELU:
                return "nn.GELU(approximate='tanh')";
            case SOFTMAX:
                return "nn.Softmax(dim=-1)";
            default:
                return a.name();
        }
    }

    /** A tensor the network has: its name and shape. */
    private static final class Tensor {
        final String name;
        final long[] shape;
        final String layer;

        Tensor(String name, long[] shape, String layer) {
            this.name = name;
            this.shape = shape;
            this.layer = layer;
        }

        long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        String shapeText() {
            StringBuilder s = new StringBuilder("[");
            for (int k = 0; k < shape.length; k++) {
                s.append(k == 0 ? "" : ", ").append(shape[k]);
            }
            return s.append(']').toString();
        }
    }

    private static List<Tensor> expectedTensors(Model model) {
        List<Layer> layers = model.layers();
        if (layers.size() < 2) {
            throw new IllegalArgumentException("safetensors names tensors after the network's layers, but "
                    + model.getClass().getName() + ".layers() lists " + (layers.isEmpty() ? "none" : "no dense layer"));
        }
        List<Tensor> tensors = new ArrayList<>();
        long total = 0;
        for (int i = 1; i < layers.size(); i++) {
            Layer l = layers.get(i);
            int module = 2 * (i - 1);
            String where = "layer '" + l.name() + "': " + l.inputSize() + " inputs, " + l.units() + " units";
            tensors.add(new Tensor(module + ".weight", new long[] {l.units(), l.inputSize()}, where));
            tensors.add(new Tensor(module + ".bias", new long[] {l.units()}, where));
            total += (long) l.units() * l.inputSize() + l.units();
        }
        if (total != model.parameterCount()) {
            throw new IllegalStateException(model.getClass().getName() + " has " + model.parameterCount()
                    + " parameters, but its layers account for " + total);
        }
        return tensors;
    }

    // ------------------------------------------------------------------ reading

    /** A tensor's entry in a file's header, validated. */
    private record Entry(String name, String dtype, long[] shape, long begin, long end) {}

    /**
     * Loads the parameters in the safetensors file {@code path} into {@code model}: every tensor
     * the network has ({@code 0.weight}, {@code 0.bias}, ...) must be present with its shape, as
     * {@code F32} or {@code F64} (converted to the network's precision), and the file must hold
     * no other tensor (as PyTorch's strict {@code load_state_dict}). If the header's metadata
     * names activations, they must be the network's. The network is unchanged if anything fails.
     *
     * @throws ModelFileException if the file is truncated or malformed, holds an unsupported data
     *     type, or does not fit the network (the message names the tensor, what the file has and
     *     what the network expects)
     * @throws IllegalArgumentException if the network does not describe its layers
     * @throws IOException if the file cannot be read
     */
    public static void readInto(Model model, Path path) throws IOException {
        Objects.requireNonNull(model, "model is null");
        Objects.requireNonNull(path, "path is null");
        List<Tensor> expected = expectedTensors(model);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new ModelFileException(Problem.TRUNCATED, path, size == 0 ? "is empty (0 bytes)"
                        : "is truncated: " + size + " bytes, shorter than the 8-byte header length of a safetensors file");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0, path);
            long n = lengthBytes.getLong(0);
            if (startsWithModelFileMagic(lengthBytes.array())) {
                throw new ModelFileException(Problem.NOT_A_MODEL_FILE, path, "is a chainrule model file, not a"
                        + " safetensors file: load it with ModelFile.loadInto");
            }
            if (n < 0 || n > size - 8) {
                throw new ModelFileException(Problem.TRUNCATED, path, "is truncated or not a safetensors file: its"
                        + " header length says " + Long.toUnsignedString(n) + " bytes, but only " + (size - 8)
                        + " follow");
            }
            if (n > MAX_HEADER) {
                throw new ModelFileException(Problem.MALFORMED, path, "has a header of " + n + " bytes, more than"
                        + " the " + MAX_HEADER + " safetensors allows");
            }
            if (n < 2) {
                throw new ModelFileException(Problem.MALFORMED, path, "has a header of " + n + " bytes; a"
                        + " safetensors header is a JSON object");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) n);
            readFully(channel, headerBytes, 8, path);
            headerBytes.flip();
            String header;
            try {
                header = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(headerBytes).toString();
            } catch (CharacterCodingException e) {
                throw new ModelFileException(Problem.MALFORMED, path, "has a header that is not valid UTF-8");
            }
            if (header.charAt(0) != '{') {
                throw new ModelFileException(Problem.NOT_A_MODEL_FILE, path, "is not a safetensors file: its header"
                        + " does not start with '{'");
            }
            Object parsed;
            try {
                parsed = Json.parse(header);
            } catch (Json.SyntaxException e) {
                throw new ModelFileException(Problem.MALFORMED, path, "has a malformed JSON header: " + e.getMessage());
            }
            if (!(parsed instanceof Map)) {
                throw new ModelFileException(Problem.MALFORMED, path, "has a header that is not a JSON object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> root = (Map<String, Object>) parsed;
            long dataLength = size - 8 - n;
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, Entry> entries = entries(root, metadata, dataLength, path);
            checkFits(model, expected, entries, metadata, path);
            double[] parameters = new double[model.parameterCount()];
            int at = 0;
            for (Tensor t : expected) {
                Entry e = entries.get(t.name);
                int width = DTYPE_SIZES.get(e.dtype);
                int count = (int) t.elements();
                ByteBuffer data = ByteBuffer.allocate(count * width).order(ByteOrder.LITTLE_ENDIAN);
                readFully(channel, data, 8 + n + e.begin, path);
                data.flip();
                for (int k = 0; k < count; k++) {
                    parameters[at++] = width == 4 ? data.getFloat() : data.getDouble();
                }
            }
            model.setParameters(parameters);
        }
    }

    private static boolean startsWithModelFileMagic(byte[] first8) {
        for (int i = 0; i < 8; i++) {
            if (first8[i] != ModelFile.MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Entry> entries(Map<String, Object> root, Map<String, String> metadata, long dataLength,
            Path path) throws ModelFileException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : root.entrySet()) {
            String name = e.getKey();
            if (name.equals("__metadata__")) {
                if (!(e.getValue() instanceof Map)) {
                    throw malformed(path, "__metadata__ is not an object");
                }
                for (Map.Entry<?, ?> m : ((Map<?, ?>) e.getValue()).entrySet()) {
                    if (!(m.getValue() instanceof String)) {
                        throw malformed(path, "__metadata__ value of \"" + m.getKey() + "\" is not a string");
                    }
                    metadata.put((String) m.getKey(), (String) m.getValue());
                }
                continue;
            }
            if (!(e.getValue() instanceof Map)) {
                throw malformed(path, "tensor \"" + name + "\" is not described by an object");
            }
            Map<?, ?> info = (Map<?, ?>) e.getValue();
            Object dtype = info.get("dtype");
            if (!(dtype instanceof String)) {
                throw malformed(path, "tensor \"" + name + "\" has no dtype string");
            }
            Integer width = DTYPE_SIZES.get(dtype);
            if (width == null) {
                throw malformed(path, "tensor \"" + name + "\" has unknown dtype \"" + dtype + "\"");
            }
            long[] shape = integers(info.get("shape"), -1, "shape of tensor \"" + name + "\"", path);
            long[] offsets = integers(info.get("data_offsets"), 2, "data_offsets of tensor \"" + name + "\"", path);
            long bytes = width;
            try {
                for (long d : shape) {
                    bytes = Math.multiplyExact(bytes, d);
                }
            } catch (ArithmeticException overflow) {
                throw malformed(path, "tensor \"" + name + "\" has a shape too large to address");
            }
            if (offsets[1] < offsets[0] || offsets[1] - offsets[0] != bytes) {
                throw malformed(path, "tensor \"" + name + "\" has data_offsets [" + offsets[0] + ", " + offsets[1]
                        + "], but its dtype and shape need " + bytes + " bytes");
            }
            entries.put(name, new Entry(name, (String) dtype, shape, offsets[0], offsets[1]));
        }
        List<Entry> byOffset = new ArrayList<>(entries.values());
        byOffset.sort((a, b) -> a.begin != b.begin ? Long.compare(a.begin, b.begin) : Long.compare(a.end, b.end));
        long next = 0;
        for (Entry e : byOffset) {
            if (e.begin != next) {
                throw malformed(path, "tensor \"" + e.name + "\" starts at byte " + e.begin + " of the data, but"
                        + " the tensors before it end at " + next + "; tensors must tile the data without gaps or"
                        + " overlaps");
            }
            next = e.end;
        }
        if (next < dataLength) {
            throw new ModelFileException(Problem.TRAILING_DATA, path, "has " + (dataLength - next) + " bytes after"
                    + " the last tensor's data (the tensors end at byte " + next + " of " + dataLength + ")");
        }
        if (next > dataLength) {
            throw new ModelFileException(Problem.TRUNCATED, path, "is truncated: its tensors need " + next
                    + " bytes of data, the file has " + dataLength);
        }
        return entries;
    }

    private static long[] integers(Object value, int length, String what, Path path) throws ModelFileException {
        if (!(value instanceof List)) {
            throw malformed(path, what + " is not an array");
        }
        List<?> list = (List<?>) value;
        if (length >= 0 && list.size() != length) {
            throw malformed(path, what + " has " + list.size() + " values, expected " + length);
        }
        long[] out = new long[list.size()];
        for (int k = 0; k < out.length; k++) {
            Long v = list.get(k) instanceof Json.Number num ? num.longValue() : null;
            if (v == null || v < 0) {
                throw malformed(path, what + " has " + list.get(k) + " where a non-negative integer belongs");
            }
            out[k] = v;
        }
        return out;
    }

    private static void checkFits(Model model, List<Tensor> expected, Map<String, Entry> entries,
            Map<String, String> metadata, Path path) throws ModelFileException {
        List<String> names = new ArrayList<>();
        for (Tensor t : expected) {
            names.add(t.name + " " + t.shapeText());
        }
        String wants = "the network (" + model.getClass().getSimpleName() + ") expects " + String.join(", ", names);
        for (Tensor t : expected) {
            Entry e = entries.get(t.name);
            if (e == null) {
                throw new ModelFileException(Problem.WRONG_NETWORK, path, "has no tensor \"" + t.name + "\" ("
                        + t.layer + "); the file has " + describe(entries) + "; " + wants);
            }
            if (!java.util.Arrays.equals(e.shape, t.shape)) {
                throw new ModelFileException(Problem.WRONG_NETWORK, path, "tensor \"" + t.name + "\" has shape "
                        + new Tensor(e.name, e.shape, "").shapeText() + " in the file, the network expects "
                        + t.shapeText() + " (" + t.layer + "); " + wants);
            }
            if (!e.dtype.equals("F32") && !e.dtype.equals("F64")) {
                throw new ModelFileException(Problem.UNSUPPORTED, path, "tensor \"" + t.name + "\" has dtype "
                        + e.dtype + "; chainrule reads F32 and F64 (convert it in PyTorch with .float())");
            }
        }
        for (String name : entries.keySet()) {
            if (expected.stream().noneMatch(t -> t.name.equals(name))) {
                throw new ModelFileException(Problem.WRONG_NETWORK, path, "has tensor \"" + name + "\", which the"
                        + " network does not have; " + wants);
            }
        }
        String activations = metadata.get("chainrule.activations");
        if (activations != null) {
            String ours = metadata(model).get("chainrule.activations");
            if (!activations.equals(ours)) {
                throw new ModelFileException(Problem.WRONG_NETWORK, path, "was saved from a network with activations "
                        + activations.toLowerCase(Locale.ROOT) + ", but this network has "
                        + ours.toLowerCase(Locale.ROOT));
            }
        }
    }

    private static String describe(Map<String, Entry> entries) {
        if (entries.isEmpty()) {
            return "no tensors";
        }
        List<String> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            out.add(e.name + " " + new Tensor(e.name, e.shape, "").shapeText());
            if (out.size() == 10 && entries.size() > 10) {
                out.add("... (" + entries.size() + " in all)");
                break;
            }
        }
        return String.join(", ", out);
    }

    private static ModelFileException malformed(Path path, String message) {
        return new ModelFileException(Problem.MALFORMED, path, "has a malformed header: " + message);
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long position, Path path) throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int r = channel.read(into, at);
            if (r < 0) {
                throw new ModelFileException(Problem.TRUNCATED, path, "ended while being read");
            }
            at += r;
        }
    }
}
