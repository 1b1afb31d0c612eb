package dev.chainrule.processor;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A minimal class-file reader (JVMS chapter 4) for tests: the class name, the field names, and
 * every method with the {@code code_length} of its {@code Code} attribute. It walks the whole
 * file, every constant-pool tag of Java 17 class files included, and checks that nothing is left
 * over, so a misread entry shows as an error rather than as wrong sizes.
 */
final class ClassFileMethods {

    /** A method; {@code codeLength} is -1 for a method without a {@code Code} attribute (abstract, native). */
    record Method(String name, String descriptor, int codeLength) {}

    static final int CONSTANT_UTF8 = 1;
    static final int CONSTANT_INTEGER = 3;
    static final int CONSTANT_FLOAT = 4;
    static final int CONSTANT_LONG = 5;
    static final int CONSTANT_DOUBLE = 6;
    static final int CONSTANT_CLASS = 7;
    static final int CONSTANT_STRING = 8;
    static final int CONSTANT_FIELDREF = 9;
    static final int CONSTANT_METHODREF = 10;
    static final int CONSTANT_INTERFACE_METHODREF = 11;
    static final int CONSTANT_NAME_AND_TYPE = 12;
    static final int CONSTANT_METHOD_HANDLE = 15;
    static final int CONSTANT_METHOD_TYPE = 16;
    static final int CONSTANT_DYNAMIC = 17;
    static final int CONSTANT_INVOKE_DYNAMIC = 18;
    static final int CONSTANT_MODULE = 19;
    static final int CONSTANT_PACKAGE = 20;

    private final int majorVersion;
    private final String className;
    private final List<String> fieldNames;
    private final List<Method> methods;

    private ClassFileMethods(int majorVersion, String className, List<String> fieldNames, List<Method> methods) {
        this.majorVersion = majorVersion;
        this.className = className;
        this.fieldNames = List.copyOf(fieldNames);
        this.methods = List.copyOf(methods);
    }

    int majorVersion() {
        return majorVersion;
    }

    /** The internal name of the class ({@code a/b/C$D}). */
    String className() {
        return className;
    }

    List<String> fieldNames() {
        return fieldNames;
    }

    List<Method> methods() {
        return methods;
    }

    /** The method with the longest code, if any method has code. */
    Optional<Method> largest() {
        return methods.stream().filter(m -> m.codeLength() >= 0).max(Comparator.comparingInt(Method::codeLength));
    }

    /** Reads a class file. */
    static ClassFileMethods parse(byte[] bytes) {
        try {
            return read(new DataInputStream(new ByteArrayInputStream(bytes)));
        } catch (IOException e) {
            // a truncated file ends as EOFException
            throw new UncheckedIOException("malformed class file", e);
        }
    }

    private static ClassFileMethods read(DataInputStream in) throws IOException {
        if (in.readInt() != 0xCAFEBABE) {
            throw new IllegalArgumentException("not a class file: bad magic number");
        }
        in.readUnsignedShort(); // minor_version
        int major = in.readUnsignedShort();

        int count = in.readUnsignedShort();
        // utf8[i] is the text of entry i when it is a Utf8 entry; classIndex[i] the name index of a Class entry
        String[] utf8 = new String[count];
        int[] classNameIndex = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case CONSTANT_UTF8 -> utf8[i] = in.readUTF(); // u2 length + modified UTF-8, as DataInput reads it
                case CONSTANT_INTEGER, CONSTANT_FLOAT -> in.readInt();
                case CONSTANT_LONG, CONSTANT_DOUBLE -> {
                    in.readLong();
                    i++; // eight-byte constants take two entries of the pool
                }
                case CONSTANT_CLASS -> classNameIndex[i] = in.readUnsignedShort();
                case CONSTANT_STRING, CONSTANT_METHOD_TYPE, CONSTANT_MODULE, CONSTANT_PACKAGE ->
                        in.readUnsignedShort();
                case CONSTANT_FIELDREF, CONSTANT_METHODREF, CONSTANT_INTERFACE_METHODREF, CONSTANT_NAME_AND_TYPE,
                        CONSTANT_DYNAMIC, CONSTANT_INVOKE_DYNAMIC -> {
                    in.readUnsignedShort();
                    in.readUnsignedShort();
                }
                case CONSTANT_METHOD_HANDLE -> {
                    in.readUnsignedByte(); // reference_kind
                    in.readUnsignedShort(); // reference_index
                }
                default -> throw new IllegalArgumentException("unknown constant-pool tag " + tag + " at entry " + i);
            }
        }

        in.readUnsignedShort(); // access_flags
        int thisClass = in.readUnsignedShort();
        String className = utf8(utf8, classNameIndex[thisClass], "this_class");
        in.readUnsignedShort(); // super_class
        int interfaces = in.readUnsignedShort();
        for (int i = 0; i < interfaces; i++) {
            in.readUnsignedShort();
        }

        List<String> fields = new ArrayList<>();
        int fieldCount = in.readUnsignedShort();
        for (int f = 0; f < fieldCount; f++) {
            in.readUnsignedShort(); // access_flags
            fields.add(utf8(utf8, in.readUnsignedShort(), "field name"));
            in.readUnsignedShort(); // descriptor_index
            skipAttributes(in);
        }

        List<Method> methods = new ArrayList<>();
        int methodCount = in.readUnsignedShort();
        for (int m = 0; m < methodCount; m++) {
            in.readUnsignedShort(); // access_flags
            String name = utf8(utf8, in.readUnsignedShort(), "method name");
            String descriptor = utf8(utf8, in.readUnsignedShort(), "method descriptor");
            int codeLength = -1;
            int attributes = in.readUnsignedShort();
            for (int a = 0; a < attributes; a++) {
                String attribute = utf8(utf8, in.readUnsignedShort(), "attribute name");
                long length = Integer.toUnsignedLong(in.readInt());
                if (attribute.equals("Code")) {
                    in.readUnsignedShort(); // max_stack
                    in.readUnsignedShort(); // max_locals
                    codeLength = in.readInt();
                    skip(in, length - 8);
                } else {
                    skip(in, length);
                }
            }
            methods.add(new Method(name, descriptor, codeLength));
        }

        skipAttributes(in); // the class's own attributes
        if (in.read() != -1) {
            throw new IllegalArgumentException("bytes left after the class file's last attribute");
        }
        return new ClassFileMethods(major, className, fields, methods);
    }

    private static String utf8(String[] utf8, int index, String what) {
        if (index <= 0 || index >= utf8.length || utf8[index] == null) {
            throw new IllegalArgumentException(what + ": constant-pool entry " + index + " is not Utf8");
        }
        return utf8[index];
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int attributes = in.readUnsignedShort();
        for (int a = 0; a < attributes; a++) {
            in.readUnsignedShort(); // attribute_name_index
            skip(in, Integer.toUnsignedLong(in.readInt()));
        }
    }

    private static void skip(DataInputStream in, long length) throws IOException {
        if (length < 0) {
            throw new IllegalArgumentException("negative attribute length");
        }
        byte[] buffer = new byte[(int) Math.min(length, 8192)];
        long left = length;
        while (left > 0) {
            in.readFully(buffer, 0, (int) Math.min(left, buffer.length));
            left -= Math.min(left, buffer.length);
        }
    }
}
