package dev.chainrule.io;

import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.data.MinMaxScaler;
import dev.chainrule.data.Scaler;
import dev.chainrule.data.StandardScaler;
import dev.chainrule.io.ModelFileException.Problem;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * chainrule's model file: a network's parameters, with the fingerprint of its topology, and
 * optionally the fitted input {@link Scaler} and, in a checkpoint, the {@link TrainingState}.
 *
 * <pre>{@code
 * ModelFile.save(net, scaler, Path.of("iris.model"));
 * ...
 * IrisNetwork fresh = new IrisNetwork();
 * Scaler s = ModelFile.loadInto(fresh, Path.of("iris.model")).scaler().orElseThrow();
 * int species = fresh.predictClass(s.transform(measurements));
 * }</pre>
 *
 * <p>The format (byte by byte in {@code docs/files.md}) is versioned (a reader refuses newer
 * versions by name instead of misreading them), checksummed with CRC32C (any change to the bytes
 * after writing is detected), and written atomically (see {@link #save(Model, Path)}). Loading
 * checks the file against the network: the sizes and activations of every layer, the loss and
 * the precision must match, and a mismatch says what the file has and what the network expects.
 * Reading is safe on untrusted files: nothing is deserialized as objects, and every size is
 * checked against the file's length before anything is allocated.
 *
 * <p>An instance is the verified content of one file, read by {@link #read(Path)} or
 * {@link #loadInto(Model, Path)}; it is immutable.
 */
public final class ModelFile {

    /** The format version this chainrule writes, and the newest it reads. */
    public static final int FORMAT_VERSION = 1;

    static final byte[] MAGIC = {(byte) 0x89, 'C', 'H', 'A', 'I', 'N', 'R', 'U', 'L', 'E', '\r', '\n'};
    static final int PREAMBLE = 32;
    static final int TRAILER = 4;
    static final int SECTION_HEADER = 16;
    static final int CRITICAL = 1;

    static final String TOPO = "TOPO";
    static final String PARM = "PARM";
    static final String SCAL = "SCAL";
    static final String TRAI = "TRAI";
    static final String OPTM = "OPTM";

    /**
     * The version of section {@code TRAI} this chainrule writes: 2 adds the learning rates,
     * validation and metric histories and the best parameters to version 1, which it still reads.
     */
    static final int TRAI_VERSION = 2;

    private final Path path;
    private final Topology topology;
    private final double[] parameters;
    private final Scaler scaler;
    private final TrainingState trainingState;
    private final OptimizerState optimizerState;
    private final List<String> skippedSections;

    private ModelFile(Path path, Topology topology, double[] parameters, Scaler scaler, TrainingState trainingState,
            OptimizerState optimizerState, List<String> skippedSections) {
        this.path = path;
        this.topology = topology;
        this.parameters = parameters;
        this.scaler = scaler;
        this.trainingState = trainingState;
        this.optimizerState = optimizerState;
        this.skippedSections = List.copyOf(skippedSections);
    }

    // ------------------------------------------------------------------ writing

    /**
     * Saves the network's parameters and topology to {@code path}, replacing the file if it
     * exists. The write is atomic: the bytes go to a temporary file beside the target, are forced
     * to the disk, and the temporary file is then renamed over the target, so a crash or a full
     * disk leaves either the old file or the new one, complete, never a mixture.
     *
     * @throws IOException if the file cannot be written; the previous file is then unchanged
     */
    public static void save(Model model, Path path) throws IOException {
        write(model, null, null, path, UnaryOperator.identity());
    }

    /**
     * Saves the network with the scaler its inputs were fitted with, so that whoever loads the
     * model scales inputs exactly as training did ({@link #scaler()}). Atomic, as
     * {@link #save(Model, Path)}.
     *
     * @throws IllegalArgumentException if the scaler's feature count differs from the network's
     *     input size
     * @throws IOException if the file cannot be written; the previous file is then unchanged
     */
    public static void save(Model model, Scaler scaler, Path path) throws IOException {
        write(model, Objects.requireNonNull(scaler, "scaler is null"), null, path, UnaryOperator.identity());
    }

    /**
     * Saves a checkpoint: the network, the state of its update rule ({@link Model#optimizerState()},
     * for optimizers that keep one) and where its training stood, which is what
     * {@code Trainer.resumeFrom} reads to continue the run exactly. The trainer writes these
     * itself ({@code Trainer.checkpointEvery}); the file is also an ordinary model file that
     * {@link #loadInto(Model, Path)} accepts. Atomic, as {@link #save(Model, Path)}.
     *
     * @throws IOException if the file cannot be written; the previous file is then unchanged
     */
    public static void saveCheckpoint(Model model, TrainingState state, Path path) throws IOException {
        write(model, null, Objects.requireNonNull(state, "state is null"), path, UnaryOperator.identity());
    }

    /** Every save goes through here; {@code wrap} is the tests' seam for a failing disk. */
    static void write(Model model, Scaler scaler, TrainingState state, Path path, UnaryOperator<OutputStream> wrap)
            throws IOException {
        Objects.requireNonNull(model, "model is null");
        Objects.requireNonNull(path, "path is null");
        Topology topology = Topology.of(model);
        double[] parameters = model.parameters();
        if (parameters.length != model.parameterCount()) {
            throw new IllegalStateException(model.getClass().getName() + ".parameters() has " + parameters.length
                    + " values but parameterCount() is " + model.parameterCount());
        }
        if (scaler != null && scaler.featureCount() != model.inputSize()) {
            throw new IllegalArgumentException("the scaler was fitted on " + scaler.featureCount()
                    + " features, but the network takes " + model.inputSize() + " inputs");
        }
        boolean single = model.precision() == Precision.FLOAT;
        int width = single ? 4 : 8;
        List<byte[]> small = new ArrayList<>();
        List<String> smallTags = new ArrayList<>();
        if (scaler != null) {
            small.add(encodeScaler(scaler));
            smallTags.add(SCAL);
        }
        if (state != null) {
            small.add(encodeState(state));
            smallTags.add(TRAI);
            double[] optimizer = model.optimizerState();
            if (optimizer.length > 0) {
                small.add(encodeOptimizer(model, optimizer, single));
                smallTags.add(OPTM);
            }
        }
        byte[] topo = topology.encode();
        long parmLength = 12L + (long) parameters.length * width;
        long body = SECTION_HEADER + topo.length + SECTION_HEADER + parmLength;
        for (byte[] s : small) {
            body += SECTION_HEADER + s.length;
        }
        long bodyLength = body;
        AtomicWrite.write(path, out -> {
            CRC32C crc = new CRC32C();
            CheckedOutputStream checked = new CheckedOutputStream(out, crc);
            checked.write(preamble(FORMAT_VERSION, bodyLength));
            writeSection(checked, TOPO, CRITICAL, topo);
            checked.write(sectionHeader(PARM, CRITICAL, parmLength));
            ByteBuffer chunk = ByteBuffer.allocate(1 << 15).order(ByteOrder.LITTLE_ENDIAN);
            chunk.putInt(width).putLong(parameters.length);
            for (double p : parameters) {
                if (chunk.remaining() < 8) {
                    checked.write(chunk.array(), 0, chunk.position());
                    chunk.clear();
                }
                if (single) {
                    chunk.putFloat((float) p);
                } else {
                    chunk.putDouble(p);
                }
            }
            checked.write(chunk.array(), 0, chunk.position());
            for (int i = 0; i < small.size(); i++) {
                writeSection(checked, smallTags.get(i), smallTags.get(i).equals(SCAL) ? CRITICAL : 0, small.get(i));
            }
            ByteBuffer trailer = ByteBuffer.allocate(TRAILER).order(ByteOrder.LITTLE_ENDIAN);
            trailer.putInt((int) crc.getValue());
            out.write(trailer.array());
        }, wrap);
    }

    static byte[] preamble(int version, long bodyLength) {
        ByteBuffer b = ByteBuffer.allocate(PREAMBLE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(version).putLong(bodyLength).putInt(0);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 28);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    static byte[] sectionHeader(String tag, int flags, long length) {
        return sectionHeader(tag, 1, flags, length);
    }

    static byte[] sectionHeader(String tag, int version, int flags, long length) {
        ByteBuffer b = ByteBuffer.allocate(SECTION_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        b.put(tag.getBytes(StandardCharsets.US_ASCII)).putShort((short) version).putShort((short) flags)
                .putLong(length);
        return b.array();
    }

    private static void writeSection(OutputStream out, String tag, int flags, byte[] payload) throws IOException {
        out.write(sectionHeader(tag, tag.equals(TRAI) ? TRAI_VERSION : 1, flags, payload.length));
        out.write(payload);
    }

    private static byte[] encodeScaler(Scaler scaler) {
        Binary.Out out = new Binary.Out();
        if (scaler instanceof StandardScaler s) {
            out.string("standard").u32(s.featureCount()).f64s(s.means()).f64s(s.standardDeviations());
        } else if (scaler instanceof MinMaxScaler s) {
            out.string("min-max").u32(s.featureCount()).f64(s.low()).f64(s.high()).f64s(s.minimums())
                    .f64s(s.maximums());
        } else {
            throw new AssertionError("unknown scaler " + scaler.getClass());
        }
        return out.toByteArray();
    }

    /** Section {@code TRAI} version {@value #TRAI_VERSION}: version 1's fields, then the rest of the history. */
    private static byte[] encodeState(TrainingState s) {
        Binary.Out out = new Binary.Out().u32(s.epoch()).i64(s.seed()).u32(s.batchSize()).u32(s.threads())
                .f64(s.learningRate()).u32(s.shuffle() ? 1 : 0).u32(s.epoch()).f64s(s.trainLoss());
        double[] rates = s.learningRates();
        out.u32(rates.length).f64s(rates);
        double[] validation = s.validationLoss();
        out.string(s.validation()).u32(validation.length).f64s(validation);
        out.string(s.task());
        List<String> names = s.metricNames();
        out.u32(names.size());
        for (String name : names) {
            double[] values = s.metric(name).orElseThrow();
            out.string(name).u32(values.length).f64s(values);
        }
        TrainingState.Best best = s.best().orElse(null);
        out.u32(best == null ? 0 : 1);
        if (best != null) {
            double[] p = best.parameters();
            out.string(best.monitor()).u32(best.epoch()).f64(best.value()).u32(p.length).f64s(p);
        }
        return out.toByteArray();
    }

    /** OPTM: the optimizer, the step count, then each state array, in the network's precision. */
    private static byte[] encodeOptimizer(Model model, double[] state, boolean single) {
        List<String> names = model.optimizer().stateNames();
        int count = model.parameterCount();
        if (state.length != model.optimizer().stateLength(count)) {
            throw new IllegalStateException(model.getClass().getName() + ".optimizerState() has " + state.length
                    + " values, but " + model.optimizer() + " keeps " + model.optimizer().stateLength(count));
        }
        Binary.Out out = new Binary.Out().string(model.optimizer().name()).i64((long) state[0]).u32(names.size());
        for (int a = 0; a < names.size(); a++) {
            out.string(names.get(a)).u32(single ? 4 : 8).i64(count);
            for (int k = 0; k < count; k++) {
                double v = state[1 + a * count + k];
                if (single) {
                    out.f32((float) v);
                } else {
                    out.f64(v);
                }
            }
        }
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ reading

    /**
     * Loads the parameters saved in {@code path} into {@code model}, after checking that the file
     * is intact and holds this network, and returns the file's content (for its
     * {@link #scaler()}). The network is unchanged if anything fails.
     *
     * @throws ModelFileException if the file is not a model file, is truncated or corrupt, is of
     *     a newer format version, or holds a different network (the message says what the file
     *     has and what the network expects)
     * @throws IOException if the file cannot be read
     */
    public static ModelFile loadInto(Model model, Path path) throws IOException {
        Objects.requireNonNull(model, "model is null");
        ModelFile file = read(path);
        file.applyTo(model);
        return file;
    }

    /**
     * Reads and verifies a model file without a network: to inspect it ({@link #topology()}),
     * to take its scaler, or to load it into several networks.
     *
     * @throws ModelFileException if the file is not a model file, is truncated or corrupt, or is
     *     of a newer format version
     * @throws IOException if the file cannot be read
     */
    public static ModelFile read(Path path) throws IOException {
        Objects.requireNonNull(path, "path is null");
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            byte[] head = new byte[(int) Math.min(size, PREAMBLE)];
            readFully(channel, ByteBuffer.wrap(head), 0, path);
            checkMagic(head, size, path);
            if (size < PREAMBLE) {
                throw new ModelFileException(Problem.TRUNCATED, path, "is truncated: " + size + " bytes, shorter"
                        + " than the " + PREAMBLE + "-byte header of a model file");
            }
            ByteBuffer pre = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
            CRC32C crc = new CRC32C();
            crc.update(head, 0, 28);
            if ((int) crc.getValue() != pre.getInt(28)) {
                throw new ModelFileException(Problem.CHECKSUM_MISMATCH, path, "header checksum mismatch: the"
                        + " first " + PREAMBLE + " bytes were changed after the file was written (stored CRC32C "
                        + hex(pre.getInt(28)) + ", computed " + hex((int) crc.getValue()) + ")");
            }
            int version = pre.getInt(12);
            if (version > FORMAT_VERSION || version < 0) {
                throw new ModelFileException(Problem.NEWER_VERSION, path, "is format version "
                        + Integer.toUnsignedString(version) + ", but this chainrule reads versions up to "
                        + FORMAT_VERSION + "; load it with a newer chainrule");
            }
            if (version == 0 || pre.getInt(24) != 0) {
                throw new ModelFileException(Problem.MALFORMED, path, "has format version " + version
                        + " and reserved header field " + pre.getInt(24) + "; version 1 needs 1 and 0");
            }
            long body = pre.getLong(16);
            long expected = body < 0 || body > Long.MAX_VALUE - PREAMBLE - TRAILER ? -1 : PREAMBLE + body + TRAILER;
            if (expected < 0 || size < expected) {
                throw new ModelFileException(Problem.TRUNCATED, path, "is truncated: the header says "
                        + (expected < 0 ? "more than 2^63" : Long.toString(expected)) + " bytes, the file has "
                        + size);
            }
            if (size > expected) {
                throw new ModelFileException(Problem.TRAILING_DATA, path, "has " + (size - expected) + " unexpected"
                        + " bytes after the end of the model (" + expected + " bytes, as its header says): something"
                        + " was appended to it");
            }
            if (expected > Integer.MAX_VALUE - 8) {
                throw new ModelFileException(Problem.UNSUPPORTED, path, "is " + expected + " bytes; this version"
                        + " of chainrule loads model files of up to 2 GiB");
            }
            byte[] all = new byte[(int) expected];
            System.arraycopy(head, 0, all, 0, PREAMBLE);
            readFully(channel, ByteBuffer.wrap(all, PREAMBLE, all.length - PREAMBLE), PREAMBLE, path);
            crc.reset();
            crc.update(all, 0, all.length - TRAILER);
            int stored = ByteBuffer.wrap(all, all.length - TRAILER, TRAILER).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if ((int) crc.getValue() != stored) {
                throw new ModelFileException(Problem.CHECKSUM_MISMATCH, path, "checksum mismatch: bytes of the file"
                        + " were changed after it was written (stored CRC32C " + hex(stored) + ", computed "
                        + hex((int) crc.getValue()) + ")");
            }
            return parseBody(ByteBuffer.wrap(all, PREAMBLE, (int) body).slice().order(ByteOrder.LITTLE_ENDIAN), path);
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long position, Path path) throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int n = channel.read(into, at);
            if (n < 0) {
                throw new ModelFileException(Problem.TRUNCATED, path, "ended while being read (it is being"
                        + " changed by another program?)");
            }
            at += n;
        }
    }

    private static void checkMagic(byte[] head, long size, Path path) throws ModelFileException {
        int n = Math.min(head.length, MAGIC.length);
        for (int i = 0; i < n; i++) {
            if (head[i] != MAGIC[i]) {
                String hint = looksLikeSafetensors(head) ? " It looks like a safetensors file: load it with"
                        + " Safetensors.readInto." : "";
                throw new ModelFileException(Problem.NOT_A_MODEL_FILE, path, "is not a chainrule model file: it"
                        + " starts with " + hexBytes(head, Math.min(head.length, 12)) + ", not the signature "
                        + hexBytes(MAGIC, MAGIC.length) + "." + hint);
            }
        }
        if (size < MAGIC.length) {
            throw new ModelFileException(Problem.TRUNCATED, path, size == 0 ? "is empty (0 bytes)"
                    : "is truncated: " + size + " bytes, shorter than the signature of a model file");
        }
    }

    private static boolean looksLikeSafetensors(byte[] head) {
        if (head.length < 9) {
            return false;
        }
        long n = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return n > 0 && n < 100_000_000 && head[8] == '{';
    }

    private static ModelFile parseBody(ByteBuffer body, Path path) throws ModelFileException {
        Topology topology = null;
        Params parameters = null;
        Scaler scaler = null;
        TrainingState state = null;
        Optimizing optimizing = null;
        List<String> skipped = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        Binary.In sections = new Binary.In(body, path, "the body");
        while (sections.remaining() > 0) {
            if (sections.remaining() < SECTION_HEADER) {
                throw sections.malformed("the body ends with " + sections.remaining() + " bytes, too few for a"
                        + " section header");
            }
            byte[] tagBytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                tagBytes[i] = (byte) sections.u8();
            }
            String tag = new String(tagBytes, StandardCharsets.ISO_8859_1);
            int versionAndFlags = sections.u32();
            int version = versionAndFlags & 0xFFFF;
            int flags = versionAndFlags >>> 16;
            long length = sections.i64();
            if (length < 0 || length > sections.remaining()) {
                throw sections.malformed("section '" + printable(tag) + "' claims " + Long.toUnsignedString(length)
                        + " bytes, but only " + sections.remaining() + " remain");
            }
            ByteBuffer payload = sections.take((int) length);
            boolean known = version == 1 && List.of(TOPO, PARM, SCAL, TRAI, OPTM).contains(tag)
                    || version == TRAI_VERSION && tag.equals(TRAI);
            if (!known) {
                if ((flags & CRITICAL) != 0) {
                    throw new ModelFileException(Problem.UNSUPPORTED, path, "needs section '" + printable(tag)
                            + "' version " + version + ", which this version of chainrule does not know; load it"
                            + " with a newer chainrule");
                }
                skipped.add(printable(tag));
                continue;
            }
            if (seen.contains(tag)) {
                throw sections.malformed("section '" + tag + "' appears twice");
            }
            seen.add(tag);
            Binary.In in = new Binary.In(payload, path, "section " + tag);
            switch (tag) {
                case TOPO:
                    topology = Topology.decode(in);
                    break;
                case PARM:
                    parameters = decodeParameters(in);
                    break;
                case SCAL:
                    scaler = decodeScaler(in);
                    break;
                case OPTM:
                    optimizing = decodeOptimizer(in);
                    break;
                default:
                    state = decodeState(in, version);
                    break;
            }
        }
        if (topology == null || parameters == null) {
            throw sections.malformed("the file has no " + (topology == null ? TOPO : PARM) + " section");
        }
        int width = topology.precision().equals(Precision.FLOAT.name()) ? 4 : 8;
        if (parameters.values.length != topology.parameterCount()) {
            throw sections.malformed("the topology has " + topology.parameterCount() + " parameters but the"
                    + " PARM section holds " + parameters.values.length);
        }
        if (parameters.width != width) {
            throw sections.malformed("parameters are stored with " + parameters.width + " bytes each, but precision "
                    + topology.precision() + " needs " + width);
        }
        if (scaler != null && scaler.featureCount() != topology.inputSize()) {
            throw sections.malformed("the scaler has " + scaler.featureCount() + " features, the network "
                    + topology.inputSize() + " inputs");
        }
        OptimizerState optimizer = null;
        if (optimizing != null) {
            for (double[] values : optimizing.arrays) {
                if (values.length != topology.parameterCount()) {
                    throw sections.malformed("section OPTM holds arrays of " + values.length + " values, the topology "
                            + topology.parameterCount() + " parameters");
                }
            }
            if (!optimizing.arrays.isEmpty() && optimizing.width != width) {
                throw sections.malformed("the optimizer state is stored with " + optimizing.width + " bytes per"
                        + " value, but precision " + topology.precision() + " needs " + width);
            }
            optimizer = optimizing.state((int) topology.parameterCount());
        }
        return new ModelFile(path, topology, parameters.values, scaler, state, optimizer, skipped);
    }

    /** The OPTM section as read. */
    private record Optimizing(String optimizer, long steps, List<double[]> arrays, int width) {

        OptimizerState state(int parameters) {
            double[] flat = new double[1 + arrays.size() * parameters];
            flat[0] = steps;
            for (int a = 0; a < arrays.size(); a++) {
                System.arraycopy(arrays.get(a), 0, flat, 1 + a * parameters, parameters);
            }
            return new OptimizerState(optimizer, flat);
        }
    }

    /**
     * Reads OPTM. For an optimizer this version knows, the arrays must be its
     * {@link dev.chainrule.Optimizer#stateNames()} in order; an unknown one is kept as it is, and
     * restoring it into a network refuses (no network has it).
     */
    private static Optimizing decodeOptimizer(Binary.In in) throws ModelFileException {
        String optimizer = in.string("optimizer");
        long steps = in.i64();
        if (steps < 0 || steps > (1L << 53)) {
            throw in.malformed("section OPTM has step count " + Long.toUnsignedString(steps));
        }
        int count = in.count("optimizer array count");
        if (count > in.remaining() / 16) {
            throw in.malformed("section OPTM claims " + count + " arrays in " + in.remaining() + " bytes");
        }
        List<String> names = new ArrayList<>();
        List<double[]> arrays = new ArrayList<>();
        int width = 0;
        for (int a = 0; a < count; a++) {
            names.add(in.string("optimizer array name"));
            int w = in.u32();
            long n = in.i64();
            if ((w != 4 && w != 8) || (width != 0 && w != width)) {
                throw in.malformed("section OPTM stores " + w + " bytes per value; version 1 uses 4 or 8, the same"
                        + " for every array");
            }
            width = w;
            if (n < 0 || n > Integer.MAX_VALUE || n * w > in.remaining()) {
                throw in.malformed("section OPTM claims " + Long.toUnsignedString(n) + " values of " + w + " bytes in "
                        + in.remaining() + " bytes");
            }
            double[] values = new double[(int) n];
            for (int k = 0; k < values.length; k++) {
                values[k] = w == 4 ? in.f32() : in.f64();
            }
            arrays.add(values);
        }
        in.requireEnd();
        for (dev.chainrule.Optimizer known : dev.chainrule.Optimizer.values()) {
            if (known.name().equals(optimizer) && !known.stateNames().equals(names)) {
                throw in.malformed("section OPTM holds " + names + " for " + optimizer + ", which keeps "
                        + known.stateNames());
            }
        }
        return new Optimizing(optimizer, steps, arrays, width);
    }

    /** The PARM section: the values and how many bytes each took in the file. */
    private record Params(int width, double[] values) {}

    private static Params decodeParameters(Binary.In in) throws ModelFileException {
        int width = in.u32();
        long count = in.i64();
        if (width != 4 && width != 8) {
            throw in.malformed("section PARM stores " + width + " bytes per value; version 1 uses 4 or 8");
        }
        if (count < 0 || count > Integer.MAX_VALUE || count * width != in.remaining()) {
            throw in.malformed("section PARM claims " + Long.toUnsignedString(count) + " values of " + width
                    + " bytes in " + in.remaining() + " bytes");
        }
        double[] values = new double[(int) count];
        for (int i = 0; i < values.length; i++) {
            values[i] = width == 4 ? in.f32() : in.f64();
        }
        in.requireEnd();
        return new Params(width, values);
    }

    private static Scaler decodeScaler(Binary.In in) throws ModelFileException {
        String kind = in.string("scaler kind");
        int n = in.count("scaler feature count");
        try {
            Scaler scaler;
            if (kind.equals("standard")) {
                scaler = StandardScaler.of(in.f64s(n, "means"), in.f64s(n, "standard deviations"));
            } else if (kind.equals("min-max")) {
                double low = in.f64();
                double high = in.f64();
                scaler = MinMaxScaler.of(in.f64s(n, "minimums"), in.f64s(n, "maximums"), low, high);
            } else {
                throw in.malformed("section SCAL has scaler kind '" + kind + "'; version 1 knows 'standard' and"
                        + " 'min-max'");
            }
            in.requireEnd();
            return scaler;
        } catch (IllegalArgumentException e) {
            throw in.malformed("section SCAL holds an invalid scaler: " + e.getMessage());
        }
    }

    private static TrainingState decodeState(Binary.In in, int version) throws ModelFileException {
        int epoch = in.count("epoch");
        long seed = in.i64();
        int batchSize = in.count("batch size");
        int threads = in.count("threads");
        double learningRate = in.f64();
        int shuffle = in.u32();
        int losses = in.count("loss count");
        double[] trainLoss = in.f64s(losses, "training losses");
        if (shuffle != 0 && shuffle != 1) {
            throw in.malformed("section TRAI has shuffle flag " + shuffle + "; expected 0 or 1");
        }
        try {
            TrainingState.Builder state = TrainingState.builder(epoch, seed, batchSize, threads, learningRate,
                    shuffle == 1, trainLoss);
            if (version >= 2) {
                state.learningRates(in.f64s(in.count("learning rate count"), "learning rates"));
                String validation = in.string("validation setting");
                state.validation(validation, in.f64s(in.count("validation loss count"), "validation losses"));
                state.task(in.string("task"));
                int series = in.count("metric count");
                for (int i = 0; i < series; i++) {
                    String name = in.string("metric name");
                    state.metric(name, in.f64s(in.count("metric value count"), "metric " + name));
                }
                int hasBest = in.u32();
                if (hasBest != 0 && hasBest != 1) {
                    throw in.malformed("section TRAI has best-parameters flag " + hasBest + "; expected 0 or 1");
                }
                if (hasBest == 1) {
                    String monitor = in.string("best monitor");
                    int bestEpoch = in.count("best epoch");
                    double value = in.f64();
                    state.best(new TrainingState.Best(monitor, bestEpoch, value,
                            in.f64s(in.count("best parameter count"), "best parameters")));
                }
            }
            in.requireEnd();
            return state.build();
        } catch (IllegalArgumentException e) {
            throw in.malformed("section TRAI holds an invalid training state: " + e.getMessage());
        }
    }

    private static String printable(String tag) {
        StringBuilder s = new StringBuilder();
        for (char c : tag.toCharArray()) {
            s.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return s.toString();
    }

    private static String hex(int v) {
        return String.format("%08x", v);
    }

    private static String hexBytes(byte[] b, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : " ").append(String.format("%02x", b[i] & 0xFF));
        }
        return s.length() == 0 ? "nothing" : s.toString();
    }

    // ------------------------------------------------------------------ content

    /**
     * Loads this file's parameters into {@code model}, after checking that the network has the
     * file's topology.
     *
     * @throws ModelFileException with {@link Problem#WRONG_NETWORK} if it does not; the network is
     *     then unchanged
     */
    public void applyTo(Model model) throws ModelFileException {
        Objects.requireNonNull(model, "model is null");
        topology.requireFits(Topology.of(model), path);
        model.setParameters(parameters);
    }

    /** The file this content was read from. */
    public Path path() {
        return path;
    }

    /**
     * The network the file holds, for messages and inspection:
     * {@code input 4 -> dense 16 tanh -> dense 3 softmax (FLOAT, CATEGORICAL_CROSS_ENTROPY, 131 parameters)}.
     */
    public String topology() {
        return topology.describe();
    }

    /** The class name of the network that saved the file (stored, not checked on load). */
    public String modelClassName() {
        return topology.className();
    }

    /** The layer field names of the network that saved the file, input first (stored, not checked on load). */
    public List<String> fieldNames() {
        return topology.fieldNames();
    }

    /** A copy of the saved parameters, in the public order of {@link Model#parameters()}. */
    public double[] parameters() {
        return parameters.clone();
    }

    /** The input scaler saved with the model, if it was saved with {@link #save(Model, Scaler, Path)}. */
    public Optional<Scaler> scaler() {
        return Optional.ofNullable(scaler);
    }

    /**
     * The state of the update rule saved in a checkpoint ({@link #saveCheckpoint}) of a network
     * whose optimizer keeps one; empty for a plain saved model and for plain SGD.
     */
    public Optional<OptimizerState> optimizerState() {
        return Optional.ofNullable(optimizerState);
    }

    /**
     * Restores the update rule's state saved in this checkpoint into {@code model}
     * ({@link Model#setOptimizerState}), as a resumed run needs it; a file without one (plain SGD)
     * resets the network's state. The parameters are {@link #applyTo}'s.
     *
     * @throws ModelFileException with {@link Problem#WRONG_NETWORK} if the file's update rule is not
     *     the network's, or the network's rule keeps a state the file does not have; the network is
     *     then unchanged
     */
    public void restoreOptimizerState(Model model) throws ModelFileException {
        Objects.requireNonNull(model, "model is null");
        topology.requireFits(Topology.of(model), path);
        String expected = model.optimizer().name();
        if (optimizerState == null) {
            if (!model.optimizer().stateNames().isEmpty()) {
                throw new ModelFileException(Problem.WRONG_NETWORK, path, "holds no optimizer state, but the"
                        + " network's update rule " + expected + " keeps one (" + String.join(", ",
                        model.optimizer().stateNames()) + "): it was saved by a network with another optimizer, or not"
                        + " as a checkpoint");
            }
            model.resetOptimizerState();
            return;
        }
        if (!optimizerState.optimizer().equals(expected)) {
            throw new ModelFileException(Problem.WRONG_NETWORK, path, "holds the state of optimizer "
                    + optimizerState.optimizer() + ", but the network is trained with " + expected);
        }
        model.setOptimizerState(optimizerState.state());
    }

    /** The training state of a checkpoint ({@link #saveCheckpoint}), empty for a plain saved model. */
    public Optional<TrainingState> trainingState() {
        return Optional.ofNullable(trainingState);
    }

    /**
     * The tags of optional sections in the file that this version of chainrule does not know and
     * skipped (written by a newer version). The
     * parameters load without them; a resumed training run refuses them, as it could not repeat
     * the original run.
     */
    public List<String> skippedSections() {
        return skippedSections;
    }

    /** The path and topology, for logs. */
    @Override
    public String toString() {
        return "ModelFile(" + path + ": " + topology.describe() + (scaler != null ? ", " + scaler : "")
                + (trainingState != null ? ", " + trainingState : "")
                + (optimizerState != null ? ", " + optimizerState : "") + ")";
    }
}
