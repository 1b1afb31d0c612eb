package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chainrule.Activation;
import dev.chainrule.Loss;
import dev.chainrule.Precision;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * No generated method may exceed the JIT's HugeMethodLimit (8000 bytes of bytecode): a larger
 * method is never compiled and runs interpreted. Checked on the class files javac writes for
 * networks from MNIST size down to the tiny, and at the edge of full unrolling (a 64-weight and a
 * 63-weight layer), in both precisions. Also tests {@link ClassFileMethods}, the reader it uses.
 */
class MethodSizeTest {

    /** -XX:HugeMethodLimit: methods with this much bytecode or more are never JIT-compiled. */
    static final int HUGE_METHOD_LIMIT = 8000;

    /**
     * The largest Vector API kernel method C1 was seen to compile: until C2 has compiled a kernel,
     * C1 does, inlining every Vector API call, and it gave up ("out of virtual registers") on
     * kernels of 2244-2256 bytes while compiling those of 1659. A kernel C1 gives up on can stay
     * in the profiling tier for good while C2 is busy with other code, and the vector warm-up then
     * never ends (measured on a digits-sized network trained while it warmed up).
     */
    static final int C1_VECTOR_KERNEL_LIMIT = 2000;

    /** The nested class holding the Vector API kernels. */
    private static final String VECTOR_KERNELS = "$VectorKernels";

    private static final String PKG = "sizes";

    /** Networks whose name starts with this get {@code dropout = 0.5} on every hidden layer. */
    private static final String DROPOUT = "Dropout";

    /** Networks whose name starts with this are compiled with {@code optimizer = Optimizer.RPROP}. */
    private static final String RPROP = "Rprop";

    /** Networks whose name starts with this are compiled with the largest {@code unrollMaxWeights}. */
    private static final String MAX_UNROLLED = "MaxUnrolled";

    record Net(String name, Loss loss, int inputSize, int[] units, Activation[] activations) {

        String specName(Precision precision) {
            return name + (precision == Precision.FLOAT ? "Float" : "Double");
        }

        String topology() {
            StringBuilder s = new StringBuilder().append(inputSize);
            for (int l = 0; l < units.length; l++) {
                s.append('-').append(units[l]).append(' ').append(activations[l].toString().toLowerCase());
            }
            return s.append(", ").append(loss).toString();
        }
    }

    static final List<Net> NETWORKS = List.of(
            new Net("Mnist128", Loss.CATEGORICAL_CROSS_ENTROPY, 784, new int[] {128, 10},
                    new Activation[] {Activation.RELU, Activation.SOFTMAX}),
            new Net("Mnist256", Loss.CATEGORICAL_CROSS_ENTROPY, 784, new int[] {256, 128, 10},
                    new Activation[] {Activation.RELU, Activation.RELU, Activation.SOFTMAX}),
            new Net("Digits", Loss.CATEGORICAL_CROSS_ENTROPY, 64, new int[] {32, 10},
                    new Activation[] {Activation.TANH, Activation.SOFTMAX}),
            new Net("Iris", Loss.CATEGORICAL_CROSS_ENTROPY, 4, new int[] {16, 3},
                    new Activation[] {Activation.TANH, Activation.SOFTMAX}),
            new Net("Xor", Loss.MEAN_SQUARED_ERROR, 2, new int[] {4, 1},
                    new Activation[] {Activation.SIGMOID, Activation.SIGMOID}),
            // exactly 64 weights per layer: the largest fully unrolled layers
            new Net("EightRelu", Loss.MEAN_SQUARED_ERROR, 8, new int[] {8, 8},
                    new Activation[] {Activation.RELU, Activation.RELU}),
            // 63 weights, one layer
            // every layer at the largest unroll limit a spec may ask for (see MAX_UNROLLED)
            new Net(MAX_UNROLLED + "Sixteens", Loss.CATEGORICAL_CROSS_ENTROPY, 16, new int[] {8, 16, 8},
                    new Activation[] {Activation.TANH, Activation.LEAKY_RELU, Activation.SOFTMAX}),
            new Net("NineSeven", Loss.BINARY_CROSS_ENTROPY, 9, new int[] {7},
                    new Activation[] {Activation.SIGMOID}),
            // dropout on both hidden layers of MNIST's larger network (see DROPOUT)
            new Net(DROPOUT + "Mnist256", Loss.CATEGORICAL_CROSS_ENTROPY, 784, new int[] {256, 128, 10},
                    new Activation[] {Activation.RELU, Activation.RELU, Activation.SOFTMAX}),
            // the optimizer with the most state, on MNIST's size (see RPROP)
            new Net(RPROP + "Mnist", Loss.CATEGORICAL_CROSS_ENTROPY, 784, new int[] {128, 10},
                    new Activation[] {Activation.RELU, Activation.SOFTMAX}),
            // the newer activations at the largest unroll limit: helper calls for SILU's and GELU's f'(z)
            new Net(MAX_UNROLLED + "Newer", Loss.MEAN_SQUARED_ERROR, 16, new int[] {8, 16, 8},
                    new Activation[] {Activation.GELU, Activation.SILU, Activation.SELU}),
            // deep: the methods written out layer by layer (combining a slice, ~370 bytes per layer,
            // is split into a method per layer for this) grow with the depth
            new Net("Deep24", Loss.MEAN_SQUARED_ERROR, 16, deep(24, 16), deepActivations(24)));

    private static int[] deep(int layers, int units) {
        int[] sizes = new int[layers];
        java.util.Arrays.fill(sizes, units);
        return sizes;
    }

    private static Activation[] deepActivations(int layers) {
        Activation[] activations = new Activation[layers];
        java.util.Arrays.fill(activations, Activation.TANH);
        return activations;
    }

    private static final List<Precision> PRECISIONS = List.of(Precision.FLOAT, Precision.DOUBLE);

    private static CompiledNetworks compiled;

    @BeforeAll
    static void compileAll() {
        Map<String, String> sources = new LinkedHashMap<>();
        for (Net net : NETWORKS) {
            for (Precision precision : PRECISIONS) {
                String name = net.specName(precision);
                String source = Specs.source(PKG, name, net.loss(), precision, net.inputSize(), net.units(),
                        net.activations());
                if (name.startsWith(DROPOUT)) {
                    source = source.replace("activation = Activation.RELU)", "activation = Activation.RELU, dropout = 0.5)");
                }
                if (name.startsWith(RPROP)) {
                    source = source.replace("@Network(", "@Network(optimizer = Optimizer.RPROP, ");
                }
                if (name.startsWith(MAX_UNROLLED)) {
                    source = source.replace("@Network(", "@Network(unrollMaxWeights = " + dev.chainrule.Network.MAX_UNROLL_WEIGHTS + ", ");
                }
                sources.put(PKG + "." + name, source);
            }
        }
        // With the Vector API visible, so that the vector kernel classes are measured too.
        compiled = CompiledNetworks.compileWithVectorApi(sources);
    }

    @TestFactory
    Stream<DynamicTest> everyGeneratedMethodIsBelowHugeMethodLimit() {
        return NETWORKS.stream().flatMap(net -> PRECISIONS.stream().map(precision -> DynamicTest.dynamicTest(
                net.specName(precision) + " " + net.topology(), () -> checkNetwork(net, precision))));
    }

    private void checkNetwork(Net net, Precision precision) {
        String network = PKG + "." + net.specName(precision) + "Network";
        // the network and its training step must exist; any other class generated for it is checked too
        assertNotNull(compiled.classBytes(network), network + ".class was not generated");
        assertNotNull(compiled.classBytes(network + "$Step"), network + "$Step.class was not generated");
        Map<String, byte[]> classes = generatedClasses(network);

        List<String> tooLarge = new ArrayList<>();
        String largestWhere = null;
        int largest = -1;
        for (Map.Entry<String, byte[]> entry : classes.entrySet()) {
            ClassFileMethods file = ClassFileMethods.parse(entry.getValue());
            assertEquals(entry.getKey().replace('.', '/'), file.className());
            for (ClassFileMethods.Method method : file.methods()) {
                if (method.codeLength() > largest) {
                    largest = method.codeLength();
                    largestWhere = entry.getKey() + "." + method.name() + method.descriptor();
                }
                if (method.codeLength() >= HUGE_METHOD_LIMIT) {
                    tooLarge.add(entry.getKey() + "." + method.name() + method.descriptor() + ": "
                            + method.codeLength() + " bytes");
                }
                if (entry.getKey().endsWith(VECTOR_KERNELS) && isKernel(method.name())
                        && method.codeLength() > C1_VECTOR_KERNEL_LIMIT) {
                    tooLarge.add(entry.getKey() + "." + method.name() + method.descriptor() + ": "
                            + method.codeLength() + " bytes, more than C1 compiles in a Vector API kernel ("
                            + C1_VECTOR_KERNEL_LIMIT + ")");
                }
            }
        }
        System.out.printf("MethodSizeTest: %-22s %-40s largest method %5d bytes: %s (%d classes)%n",
                net.specName(precision), net.topology(), largest, largestWhere, classes.size());
        if (!tooLarge.isEmpty()) {
            fail(network + " (" + net.topology() + ", " + precision + ") has methods too large for the JIT"
                    + " (never compiled from " + HUGE_METHOD_LIMIT + " bytes; Vector API kernels from "
                    + C1_VECTOR_KERNEL_LIMIT + "):\n" + String.join("\n", tooLarge));
        }
        assertTrue(largest > 0, "no method with code found in " + classes.keySet());
    }

    /** A kernel method of the vector class, rather than its warm-up, which only allocates arrays. */
    private static boolean isKernel(String method) {
        return method.startsWith("forward") || method.startsWith("weightGradient") || method.startsWith("inputGradient");
    }

    /**
     * Every generated class file whose binary name is the network's or starts with it followed by
     * {@code $} (nested classes), or a companion class named after it (for example a separate
     * vector-kernel class).
     */
    private static Map<String, byte[]> generatedClasses(String network) {
        Map<String, byte[]> classes = new TreeMap<>();
        String prefix = "/" + network.replace('.', '/');
        for (JavaFileObject file : compiled.compilation().generatedFiles()) {
            if (file.getKind() != JavaFileObject.Kind.CLASS) {
                continue;
            }
            String path = file.toUri().getPath();
            int at = path.lastIndexOf(prefix);
            if (at < 0) {
                continue;
            }
            String rest = path.substring(at + prefix.length());
            // ".class", "$Step.class", "Vector.class", ... but not another network with a longer name
            if (rest.equals(".class") || rest.startsWith("$") || rest.startsWith("Vector")) {
                String binary = path.substring(at + 1, path.length() - ".class".length()).replace('/', '.');
                try (InputStream in = file.openInputStream()) {
                    classes.put(binary, in.readAllBytes());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return classes;
    }

    // ---------------------------------------------------------------------------------------
    // The class-file reader itself.

    @Test
    void readerFindsItsOwnMethodsAsReflectionSeesThem() {
        ClassFileMethods file = ClassFileMethods.parse(bytesOf(ClassFileMethods.class));
        assertEquals("dev/chainrule/processor/ClassFileMethods", file.className());
        assertTrue(file.majorVersion() >= 61, "Java 17 class files are version 61, got " + file.majorVersion());
        assertEquals(declaredMethodNames(ClassFileMethods.class), parsedMethodNames(file));
        assertTrue(parsedMethodNames(file).containsAll(Set.of("parse", "read", "utf8", "skipAttributes", "skip",
                "largest", "methods", "className")));
        assertTrue(file.methods().stream().anyMatch(m -> m.name().equals("<init>")));
        // read() is the longest method written here: a few hundred bytes
        ClassFileMethods.Method read = method(file, "read");
        assertTrue(read.codeLength() > 200 && read.codeLength() < 2000, "read: " + read.codeLength());
        assertEquals("read", file.largest().orElseThrow().name());
        ClassFileMethods.Method majorVersion = method(file, "majorVersion");
        assertEquals(5, majorVersion.codeLength(), "aload_0; getfield; ireturn"); // 1 + 3 + 1 bytes
        assertTrue(file.fieldNames().containsAll(List.of("majorVersion", "className", "fieldNames", "methods",
                "CONSTANT_UTF8")));
    }

    /** Constants of every kind javac emits: long, double, float and int constants, lambdas, indy strings. */
    static final class ConstantsFixture {
        static final long BIG = 1234567890123L;
        static final double E = 2.718281828459045;

        static long mixed(long a, double b, float c) {
            IntSupplier supplier = () -> 100_000;
            String text = "a=" + a + ", b=" + b;
            return a * BIG + (long) (b * E) + (long) (c * 3.5f) + supplier.getAsInt() + text.length()
                    + 9_876_543_210L + Double.doubleToLongBits(0.1);
        }

        static int tiny() {
            return 1;
        }

        double instance() {
            return E;
        }
    }

    @Test
    void readerHandlesWideConstantsLambdasAndStringConcatenation() {
        ClassFileMethods file = ClassFileMethods.parse(bytesOf(ConstantsFixture.class));
        assertEquals("dev/chainrule/processor/MethodSizeTest$ConstantsFixture", file.className());
        assertEquals(declaredMethodNames(ConstantsFixture.class), parsedMethodNames(file));
        assertTrue(parsedMethodNames(file).stream().anyMatch(name -> name.startsWith("lambda$")));
        assertEquals(2, method(file, "tiny").codeLength(), "iconst_1; ireturn");
        assertEquals(4, method(file, "instance").codeLength(), "ldc2_w; dreturn");
        int mixed = method(file, "mixed").codeLength();
        assertTrue(mixed > 40 && mixed < 200, "mixed: " + mixed);
        assertEquals(List.of("BIG", "E"), file.fieldNames());
    }

    /**
     * A hand-made class file holding one constant of every tag of Java 17 class files (including
     * Dynamic, Module and Package, which javac does not put in ordinary classes), a field with an
     * attribute, a method with a three-byte Code attribute and one without code.
     */
    @Test
    void readerHandlesEveryConstantTag() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0xCAFEBABE);
        out.writeShort(0);
        out.writeShort(61);
        out.writeShort(28); // constant_pool_count: entries 1..27
        utf8(out, "Synthetic"); // 1
        out.writeByte(ClassFileMethods.CONSTANT_CLASS); // 2
        out.writeShort(1);
        utf8(out, "java/lang/Object"); // 3
        out.writeByte(ClassFileMethods.CONSTANT_CLASS); // 4
        out.writeShort(3);
        out.writeByte(ClassFileMethods.CONSTANT_INTEGER); // 5
        out.writeInt(42);
        out.writeByte(ClassFileMethods.CONSTANT_FLOAT); // 6
        out.writeFloat(1.5f);
        out.writeByte(ClassFileMethods.CONSTANT_LONG); // 7 and 8
        out.writeLong(1L);
        out.writeByte(ClassFileMethods.CONSTANT_DOUBLE); // 9 and 10
        out.writeDouble(2.0);
        out.writeByte(ClassFileMethods.CONSTANT_STRING); // 11
        out.writeShort(1);
        utf8(out, "run"); // 12
        utf8(out, "()V"); // 13
        out.writeByte(ClassFileMethods.CONSTANT_NAME_AND_TYPE); // 14
        out.writeShort(12);
        out.writeShort(13);
        out.writeByte(ClassFileMethods.CONSTANT_FIELDREF); // 15
        out.writeShort(2);
        out.writeShort(14);
        out.writeByte(ClassFileMethods.CONSTANT_METHODREF); // 16
        out.writeShort(4);
        out.writeShort(14);
        out.writeByte(ClassFileMethods.CONSTANT_INTERFACE_METHODREF); // 17
        out.writeShort(4);
        out.writeShort(14);
        out.writeByte(ClassFileMethods.CONSTANT_METHOD_HANDLE); // 18
        out.writeByte(6); // REF_invokeStatic
        out.writeShort(16);
        out.writeByte(ClassFileMethods.CONSTANT_METHOD_TYPE); // 19
        out.writeShort(13);
        out.writeByte(ClassFileMethods.CONSTANT_DYNAMIC); // 20
        out.writeShort(0);
        out.writeShort(14);
        out.writeByte(ClassFileMethods.CONSTANT_INVOKE_DYNAMIC); // 21
        out.writeShort(0);
        out.writeShort(14);
        out.writeByte(ClassFileMethods.CONSTANT_MODULE); // 22
        out.writeShort(1);
        out.writeByte(ClassFileMethods.CONSTANT_PACKAGE); // 23
        out.writeShort(1);
        utf8(out, "Code"); // 24
        utf8(out, "count"); // 25
        utf8(out, "I"); // 26
        utf8(out, "ConstantValue"); // 27

        out.writeShort(0x0021); // ACC_PUBLIC | ACC_SUPER
        out.writeShort(2); // this_class
        out.writeShort(4); // super_class
        out.writeShort(0); // interfaces

        out.writeShort(1); // fields
        out.writeShort(0x0019);
        out.writeShort(25);
        out.writeShort(26);
        out.writeShort(1);
        out.writeShort(27); // ConstantValue
        out.writeInt(2);
        out.writeShort(5);

        out.writeShort(2); // methods
        out.writeShort(0x0009); // public static void run()
        out.writeShort(12);
        out.writeShort(13);
        out.writeShort(1);
        out.writeShort(24); // Code
        out.writeInt(2 + 2 + 4 + 3 + 2 + 2);
        out.writeShort(1); // max_stack
        out.writeShort(0); // max_locals
        out.writeInt(3); // code_length
        out.write(new byte[] {0x00, 0x00, (byte) 0xB1}); // nop; nop; return
        out.writeShort(0); // exception_table_length
        out.writeShort(0); // attributes
        out.writeShort(0x0401); // public abstract void Synthetic()
        out.writeShort(1);
        out.writeShort(13);
        out.writeShort(0);

        out.writeShort(0); // class attributes
        out.flush();
        byte[] classFile = bytes.toByteArray();

        ClassFileMethods file = ClassFileMethods.parse(classFile);
        assertEquals("Synthetic", file.className());
        assertEquals(61, file.majorVersion());
        assertEquals(List.of("count"), file.fieldNames());
        assertEquals(List.of(new ClassFileMethods.Method("run", "()V", 3),
                new ClassFileMethods.Method("Synthetic", "()V", -1)), file.methods());

        // a truncated file and an unknown tag are errors, not silently wrong sizes
        assertThrows(UncheckedIOException.class,
                () -> ClassFileMethods.parse(Arrays.copyOf(classFile, classFile.length - 1)));
        byte[] badTag = classFile.clone();
        badTag[10] = 2; // the tag of entry 1: 2 is not a constant-pool tag
        assertThrows(IllegalArgumentException.class, () -> ClassFileMethods.parse(badTag));
        byte[] trailing = Arrays.copyOf(classFile, classFile.length + 1);
        assertThrows(IllegalArgumentException.class, () -> ClassFileMethods.parse(trailing));
    }

    private static void utf8(DataOutputStream out, String text) throws IOException {
        out.writeByte(ClassFileMethods.CONSTANT_UTF8);
        out.writeUTF(text);
    }

    private static ClassFileMethods.Method method(ClassFileMethods file, String name) {
        List<ClassFileMethods.Method> found = file.methods().stream().filter(m -> m.name().equals(name))
                .collect(Collectors.toList());
        assertEquals(1, found.size(), "methods named " + name + ": " + found);
        return found.get(0);
    }

    private static Set<String> parsedMethodNames(ClassFileMethods file) {
        return file.methods().stream().map(ClassFileMethods.Method::name)
                .filter(name -> !name.equals("<init>") && !name.equals("<clinit>"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> declaredMethodNames(Class<?> type) {
        return Arrays.stream(type.getDeclaredMethods()).map(Method::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static byte[] bytesOf(Class<?> type) {
        String resource = type.getName().substring(type.getPackageName().length() + 1) + ".class";
        try (InputStream in = type.getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
