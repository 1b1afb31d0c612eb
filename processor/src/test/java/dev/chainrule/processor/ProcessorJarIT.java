package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Model;
import dev.chainrule.data.Dataset;
import dev.chainrule.train.Trainer;
import dev.chainrule.train.TrainingResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged processor as a user gets it: {@code javac -processorpath
 * chainrule-processor-<version>.jar}, that one jar and nothing else on the processor path (it
 * bundles the runtime's enums and a relocated JavaPoet), driven through the {@code javax.tools}
 * API exactly as from the command line. Runs after {@code package} (maven-failsafe-plugin), which
 * passes the jar's path as {@code chainrule.processorJar}.
 */
class ProcessorJarIT {

    static final String IRIS = """
            package demo;

            import dev.chainrule.*;

            @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY, precision = Precision.DOUBLE)
            abstract class Iris {
                @Input(4) Layer features;
                @Dense(units = 8, activation = Activation.TANH) Layer hidden;
                @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
            }
            """;

    static Path processorJar;
    /** Where the runtime's classes are: the user's compile class path. */
    static Path runtime;

    @BeforeAll
    static void findTheJars() throws URISyntaxException {
        String jar = System.getProperty("chainrule.processorJar");
        assertNotNull(jar, "run through maven-failsafe-plugin, which sets chainrule.processorJar");
        processorJar = Path.of(jar);
        assertTrue(Files.isRegularFile(processorJar), "no processor jar at " + processorJar);
        runtime = Path.of(Model.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void compilesASpecThatThenTrains(@TempDir Path dir) throws Exception {
        Path spec = write(dir.resolve("src/demo/Iris.java"), IRIS);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Path generated = Files.createDirectories(dir.resolve("generated"));
        Result result = javac(spec, "-processorpath", processorJar.toString(), "-classpath", runtime.toString(),
                "-d", classes.toString(), "-s", generated.toString(), "-Xlint:all,-processing");
        assertTrue(result.success(), result.toString());
        assertEquals(List.of(), result.problems(), "errors and warnings");

        Path source = generated.resolve("demo/IrisNetwork.java");
        assertTrue(Files.isRegularFile(source), "no generated source " + source);
        assertTrue(Files.readString(source).contains("public final class IrisNetwork extends Iris implements Model"));
        assertTrue(Files.isRegularFile(classes.resolve("demo/IrisNetwork.class")));

        // The runtime classes come from this test's class path, the generated ones from the output.
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                ProcessorJarIT.class.getClassLoader())) {
            Model net = (Model) loader.loadClass("demo.IrisNetwork").getConstructor(long.class).newInstance(42L);
            double[] p = net.predict(new double[] {5.1, 3.5, 1.4, 0.2});
            assertEquals(3, p.length);
            assertEquals(1.0, p[0] + p[1] + p[2], 1e-12);
            double[][] x = {{5.1, 3.5, 1.4, 0.2}, {7.0, 3.2, 4.7, 1.4}, {6.3, 3.3, 6.0, 2.5}};
            double[][] y = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
            TrainingResult trained = Trainer.of(net).learningRate(0.1).batchSize(3).epochs(200).seed(7L)
                    .fit(Dataset.of(x, y));
            assertTrue(trained.finalLoss() < trained.trainLoss()[0] / 2,
                    "loss " + trained.trainLoss()[0] + " -> " + trained.finalLoss());
        }
    }

    @Test
    void procOnlyGeneratesTheSourceAndNoClass(@TempDir Path dir) throws Exception {
        Path spec = write(dir.resolve("src/demo/Iris.java"), IRIS);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Path generated = Files.createDirectories(dir.resolve("generated"));
        Result result = javac(spec, "-proc:only", "-processorpath", processorJar.toString(), "-classpath",
                runtime.toString(), "-d", classes.toString(), "-s", generated.toString(), "-Xlint:all,-processing");
        assertTrue(result.success(), result.toString());
        assertEquals(List.of(), result.problems(), "errors and warnings");
        assertTrue(Files.isRegularFile(generated.resolve("demo/IrisNetwork.java")));
        try (Stream<Path> written = Files.walk(classes)) {
            assertEquals(List.of(), written.filter(Files::isRegularFile).collect(Collectors.toList()));
        }
    }

    @Test
    void aBrokenSpecGetsItsMessageNotAStackTrace(@TempDir Path dir) throws Exception {
        Path spec = write(dir.resolve("src/demo/Iris.java"), IRIS.replace("units = 8", "units = 0"));
        Result result = javac(spec, "-processorpath", processorJar.toString(), "-classpath", runtime.toString(),
                "-d", Files.createDirectories(dir.resolve("classes")).toString(),
                "-s", Files.createDirectories(dir.resolve("generated")).toString());
        assertFalse(result.success());
        assertEquals(List.of("ERROR Iris.java:8: [chainrule/SizeNotPositive] units of layer 'hidden' is 0; it must be at"
                + " least 1"), result.problems());
    }

    @Test
    void theJarIsSelfContained() throws IOException {
        try (JarFile jar = new JarFile(processorJar.toFile())) {
            assertEquals("dev.chainrule.processor.NetworkProcessor\n",
                    text(jar, "META-INF/services/javax.annotation.processing.Processor"));
            assertEquals("dev.chainrule.processor.NetworkProcessor,isolating\n",
                    text(jar, "META-INF/gradle/incremental.annotation.processors"));
            Manifest manifest = jar.getManifest();
            assertNotNull(manifest, "no manifest");
            assertEquals("dev.chainrule.processor", manifest.getMainAttributes().getValue("Automatic-Module-Name"));
            List<String> names = jar.stream().map(ZipEntry::getName).collect(Collectors.toList());
            assertTrue(names.contains("dev/chainrule/processor/shaded/javapoet/TypeSpec.class"), "relocated JavaPoet");
            assertTrue(names.contains("dev/chainrule/Activation.class"), "the runtime's enums");
            assertEquals(List.of(), names.stream().filter(n -> n.startsWith("com/")).collect(Collectors.toList()),
                    "classes outside the relocated packages");
        }
    }

    // ---- helpers

    record Result(boolean success, List<String> problems, String output) {}

    /** Runs javac through javax.tools on one source file. */
    private static Result javac(Path source, String... options) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        java.io.StringWriter output = new java.io.StringWriter();
        boolean success;
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            success = compiler.getTask(output, files, diagnostics, List.of(options), null,
                    files.getJavaFileObjects(source)).call();
        }
        List<String> problems = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.NOTE && d.getKind() != Diagnostic.Kind.OTHER) {
                String file = d.getSource() == null ? "" : Path.of(d.getSource().toUri()).getFileName() + ":" + d.getLineNumber() + ": ";
                problems.add(d.getKind() + " " + file + d.getMessage(null));
            }
        }
        return new Result(success, problems, output.toString());
    }

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private static String text(JarFile jar, String name) throws IOException {
        ZipEntry entry = jar.getEntry(name);
        assertNotNull(entry, "no " + name + " in the jar");
        try (InputStream in = jar.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
