package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Activation;
import dev.chainrule.Loss;
import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.Simd;
import dev.chainrule.TrainingStep;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Vector API kernels against the portable ones: the same spec compiled both ways must give
 * bit-identical outputs, losses, gradients and trained parameters, on shapes that reach every
 * branch of the vector kernels (full 4x4 blocks, single vectors, scalar columns, leftover rows).
 * And a network compiled with vector kernels still runs, on its portable kernels, in a JVM
 * without the module.
 */
class VectorPathTest {

    /** {@code alphas}: each layer's {@code @Dense(alpha)}, NaN where not given; null for none. */
    record Topology(String name, Loss loss, int input, int[] units, Activation[] activations, double[] alphas,
            double[] dropout) {

        Topology(String name, Loss loss, int input, int[] units, Activation[] activations) {
            this(name, loss, input, units, activations, null, null);
        }

        Topology(String name, Loss loss, int input, int[] units, Activation[] activations, double[] alphas) {
            this(name, loss, input, units, activations, alphas, null);
        }

        String source(String name, Precision precision, Simd simd) {
            List<String> layers = Specs.dense(units, activations);
            for (int l = 0; alphas != null && l < layers.size(); l++) {
                if (!Double.isNaN(alphas[l])) {
                    layers.set(l, layers.get(l) + ", alpha = " + alphas[l]);
                }
            }
            for (int l = 0; dropout != null && l < layers.size(); l++) {
                if (dropout[l] > 0) {
                    layers.set(l, layers.get(l) + ", dropout = " + dropout[l]);
                }
            }
            return Specs.source("vectors", name, "loss = Loss." + loss + ", precision = Precision." + precision
                    + ", simd = Simd." + simd, input, layers);
        }
    }

    static final List<Topology> TOPOLOGIES = List.of(
            // relu first layer (fused), tanh (not fused) with relu derivative, sigmoid 17 wide, narrow softmax output
            new Topology("Deep", Loss.CATEGORICAL_CROSS_ENTROPY, 20, new int[] {100, 70, 17, 5},
                    new Activation[] {Activation.RELU, Activation.TANH, Activation.SIGMOID, Activation.SOFTMAX}),
            new Topology("Leaky", Loss.MEAN_SQUARED_ERROR, 33, new int[] {40, 3},
                    new Activation[] {Activation.LEAKY_RELU, Activation.LINEAR}),
            // the output stores its logits, so its vector forward kernel cannot fuse the sigmoid
            new Topology("Logits", Loss.BINARY_CROSS_ENTROPY, 16, new int[] {48, 20},
                    new Activation[] {Activation.LINEAR, Activation.SIGMOID}),
            new Topology("WideSoftmax", Loss.CATEGORICAL_CROSS_ENTROPY, 18, new int[] {66, 36},
                    new Activation[] {Activation.LEAKY_RELU, Activation.SOFTMAX}),
            // the newer activations: none fused in the forward kernel; ELU's and SELU's derivatives
            // are lane-wise (vector input gradients of the 2nd and 3rd layers), SILU's, GELU's and
            // SOFTPLUS's are not (portable input gradients of the 4th to 6th layers)
            new Topology("Newer", Loss.CATEGORICAL_CROSS_ENTROPY, 20, new int[] {48, 40, 36, 24, 18, 5},
                    new Activation[] {Activation.ELU, Activation.SELU, Activation.SILU, Activation.GELU,
                        Activation.SOFTPLUS, Activation.SOFTMAX}),
            // alphas away from their defaults: a fused leaky slope, ELU's derivative with its alpha
            new Topology("Alphas", Loss.MEAN_SQUARED_ERROR, 33, new int[] {40, 20, 3},
                    new Activation[] {Activation.LEAKY_RELU, Activation.ELU, Activation.LINEAR},
                    new double[] {0.3, 0.6, Double.NaN}),
            // dropout: the vector kernels read the dropped rows, the masks multiply the same deltas
            new Topology("Dropout", Loss.CATEGORICAL_CROSS_ENTROPY, 24, new int[] {48, 36, 17},
                    new Activation[] {Activation.RELU, Activation.TANH, Activation.SOFTMAX}, null,
                    new double[] {0.3, 0.5, 0}));

    static CompiledNetworks compiled;

    @BeforeAll
    static void compileBothWays() {
        Map<String, String> sources = new LinkedHashMap<>();
        for (Topology t : TOPOLOGIES) {
            for (Precision precision : Precision.values()) {
                for (Simd simd : new Simd[] {Simd.VECTOR, Simd.PORTABLE}) {
                    String name = name(t, precision, simd);
                    sources.put("vectors." + name, t.source(name, precision, simd));
                }
            }
        }
        compiled = CompiledNetworks.compileWithVectorApi(sources);
    }

    static String name(Topology t, Precision precision, Simd simd) {
        return t.name() + precision.name().charAt(0) + (simd == Simd.VECTOR ? "Vector" : "Portable");
    }

    @Test
    void vectorKernelsAreInUseInThisJvm() throws ReflectiveOperationException {
        Model net = compiled.newNetwork("vectors.DeepFVectorNetwork", 1L);
        Field flag = net.getClass().getDeclaredField("VECTOR_KERNELS");
        flag.setAccessible(true);
        assertTrue(flag.getBoolean(null), "the test JVM runs with --add-modules jdk.incubator.vector");
        Field ready = net.getClass().getDeclaredField("vectorKernelsReady");
        ready.setAccessible(true);
        assertTrue(ready.getBoolean(null), "the tests run with -Dchainrule.vectorWarmUp=false: vector kernels from the start");
        assertTrue(net.vectorKernels());
    }

    /**
     * The vector input-gradient kernel's relu slope, {@code min(a * 2^149, 1)} lane by lane (2^1074
     * in DOUBLE), is 1 for the smallest positive activation: a 1-16-16 network whose first hidden
     * unit is active with that value and whose others are off, the second layer tiled with Vector API
     * kernels (16 inputs).
     */
    @Test
    void vectorReluSlopeIsOneForTheSmallestPositiveActivation() {
        for (Precision precision : Precision.values()) {
            String name = "Subnormal" + precision.name().charAt(0);
            Model net = CompiledNetworks.compileWithVectorApi(Map.of("vectors." + name, Specs.source("vectors", name,
                            "loss = Loss.MEAN_SQUARED_ERROR, precision = Precision." + precision + ", simd = Simd.VECTOR", 1,
                            List.of("units = 16, activation = Activation.RELU", "units = 16"))))
                    .newNetwork("vectors." + name + "Network", 1L);
            assertTrue(net.vectorKernels(), "vector kernels in use");
            double tiny = precision == Precision.FLOAT ? Float.MIN_VALUE : Double.MIN_VALUE;
            // public order: hidden weights [unit][input] (16), hidden biases (16), output weights [unit][input]
            // (256), output biases (16)
            double[] theta = new double[net.parameterCount()];
            theta[0] = tiny; // hidden unit 0: a = 1 * tiny; the others 0
            for (int k = 32; k < 32 + 256; k++) {
                theta[k] = 1;
            }
            net.setParameters(theta);
            TrainingStep step = net.newTrainingStep(1);
            double[] y = new double[16];
            java.util.Arrays.fill(y, 2);
            step.load(0, new double[] {1}, 0, y, 0);
            step.computeGradients(1);
            double[] gradient = gradients(net, step);
            // every output is tiny, dL/doutput_k = 2 (tiny - 2) / 16, dL/da_0 = 2 (tiny - 2), times slope 1
            assertEquals(2 * (tiny - 2), gradient[0], 1e-6, precision + ": weight of the active unit");
            assertEquals(0.0, gradient[1], precision + ": weight of an inactive unit");
        }
    }

    @TestFactory
    List<DynamicTest> vectorAndPortableKernelsAgreeBitForBit() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Topology t : TOPOLOGIES) {
            for (Precision precision : Precision.values()) {
                for (int batch : new int[] {1, 5, 9}) {
                    tests.add(DynamicTest.dynamicTest(t.name() + " " + precision + " batch " + batch, () -> {
                        Model vector = compiled.newNetwork("vectors." + name(t, precision, Simd.VECTOR) + "Network", 3L);
                        Model portable = compiled.newNetwork("vectors." + name(t, precision, Simd.PORTABLE) + "Network", 3L);
                        assertArrayEquals(portable.parameters(), vector.parameters(), "same initial parameters");
                        SplittableRandom random = new SplittableRandom(batch * 31L + t.name().hashCode());
                        double[][] x = new double[batch][t.input()];
                        double[][] y = new double[batch][vector.outputSize()];
                        for (int s = 0; s < batch; s++) {
                            for (int i = 0; i < x[s].length; i++) {
                                x[s][i] = random.nextDouble(-1, 1);
                            }
                            y[s][random.nextInt(y[s].length)] = 1;
                        }
                        TrainingStep v = load(vector, x, y);
                        TrainingStep p = load(portable, x, y);
                        for (int step = 0; step < 3; step++) {
                            // with the same masks on both (a no-op for networks without dropout)
                            p.setDropout(true, 40L + step);
                            v.setDropout(true, 40L + step);
                            assertEquals(p.computeGradients(batch), v.computeGradients(batch), "loss of step " + step);
                            assertArrayEquals(gradients(portable, p), gradients(vector, v), "gradients of step " + step);
                            p.applyGradients(0.1);
                            v.applyGradients(0.1);
                        }
                        assertArrayEquals(portable.parameters(), vector.parameters(), "parameters after 3 steps");
                        for (int s = 0; s < batch; s++) {
                            assertArrayEquals(portable.predict(x[s]), vector.predict(x[s]), "prediction " + s);
                        }
                    }));
                }
            }
        }
        return tests;
    }

    @Test
    void vectorNetworkFallsBackToPortableKernelsWithoutTheModule(@TempDir Path classes)
            throws IOException, InterruptedException {
        compiled.writeClasses(classes);
        String network = "vectors.DeepFVectorNetwork";
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String classPath = classes + File.pathSeparator + System.getProperty("java.class.path");
        Process process = new ProcessBuilder(java.toString(), "-cp", classPath,
                VectorFallbackProbe.class.getName(), network)
                .redirectErrorStream(false)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "probe finished");
        assertEquals(0, process.exitValue(), "probe failed:\n" + out + err);
        String[] lines = out.strip().split("\n");
        assertEquals("vector kernels: false", lines[0], out);
        assertTrue(err.contains("portable kernels") && err.contains("--add-modules jdk.incubator.vector"),
                "one log line says why and how to get the fast path:\n" + err);
        assertEquals(VectorFallbackProbe.trainAndDescribe(compiled.newNetwork(network, 5L)), lines[1],
                "the fallback computes what the vector kernels compute here");
    }

    private static TrainingStep load(Model net, double[][] x, double[][] y) {
        TrainingStep step = net.newTrainingStep(x.length);
        for (int s = 0; s < x.length; s++) {
            step.load(s, x[s], 0, y[s], 0);
        }
        return step;
    }

    private static double[] gradients(Model net, TrainingStep step) {
        double[] g = new double[net.parameterCount()];
        step.gradients(g);
        return g;
    }
}
