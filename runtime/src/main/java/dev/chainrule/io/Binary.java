package dev.chainrule.io;

import dev.chainrule.io.ModelFileException.Problem;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Little-endian encoding of the model file's fields, and bounds-checked decoding of untrusted bytes. */
final class Binary {

    private Binary() {}

    /** Builds a small section's payload in memory. */
    static final class Out {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        Out u8(int v) {
            bytes.write(v);
            return this;
        }

        Out u32(int v) {
            scratch.clear();
            scratch.putInt(v);
            bytes.write(scratch.array(), 0, 4);
            return this;
        }

        Out i64(long v) {
            scratch.clear();
            scratch.putLong(v);
            bytes.write(scratch.array(), 0, 8);
            return this;
        }

        Out f64(double v) {
            return i64(Double.doubleToRawLongBits(v));
        }

        Out f32(float v) {
            return u32(Float.floatToRawIntBits(v));
        }

        Out f64s(double[] values) {
            for (double v : values) {
                f64(v);
            }
            return this;
        }

        /** A string: its UTF-8 byte length as u32, then the bytes. */
        Out string(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            u32(utf8.length);
            bytes.write(utf8, 0, utf8.length);
            return this;
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }

    /** Reads one section's payload, failing with {@link Problem#MALFORMED} on any inconsistency. */
    static final class In {
        private final ByteBuffer buffer;
        private final Path path;
        private final String what;

        In(ByteBuffer buffer, Path path, String what) {
            this.buffer = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
            this.path = path;
            this.what = what;
        }

        private void need(long n) throws ModelFileException {
            if (n > buffer.remaining()) {
                throw malformed(what + " ends early: needs " + n + " more bytes, has " + buffer.remaining());
            }
        }

        int u8() throws ModelFileException {
            need(1);
            return buffer.get() & 0xFF;
        }

        /** An unsigned 32-bit count or size; must fit a Java {@code int}. */
        int count(String field) throws ModelFileException {
            need(4);
            int v = buffer.getInt();
            if (v < 0) {
                throw malformed(what + ": " + field + " is " + Integer.toUnsignedString(v) + ", too large");
            }
            return v;
        }

        int u32() throws ModelFileException {
            need(4);
            return buffer.getInt();
        }

        long i64() throws ModelFileException {
            need(8);
            return buffer.getLong();
        }

        double f64() throws ModelFileException {
            return Double.longBitsToDouble(i64());
        }

        /** {@code n} doubles, after checking that the payload holds them, so a crafted count allocates nothing. */
        double[] f64s(int n, String field) throws ModelFileException {
            need(8L * n);
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = buffer.getDouble();
            }
            return out;
        }

        float f32() throws ModelFileException {
            need(4);
            return buffer.getFloat();
        }

        String string(String field) throws ModelFileException {
            int n = count(field + " length");
            need(n);
            ByteBuffer utf8 = buffer.slice();
            utf8.limit(n);
            buffer.position(buffer.position() + n);
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(utf8)
                        .toString();
            } catch (CharacterCodingException e) {
                throw malformed(what + ": " + field + " is not valid UTF-8");
            }
        }

        /** The next {@code n} bytes as their own buffer, skipping them here. */
        ByteBuffer take(int n) throws ModelFileException {
            need(n);
            ByteBuffer slice = buffer.slice();
            slice.limit(n);
            buffer.position(buffer.position() + n);
            return slice.order(ByteOrder.LITTLE_ENDIAN);
        }

        long remaining() {
            return buffer.remaining();
        }

        void requireEnd() throws ModelFileException {
            if (buffer.hasRemaining()) {
                throw malformed(what + " has " + buffer.remaining() + " unexpected bytes at its end");
            }
        }

        ModelFileException malformed(String message) {
            return new ModelFileException(Problem.MALFORMED, path, message
                    + " (the checksum matches, so the file was written this way: a bug in its writer, or a crafted file)");
        }
    }
}
