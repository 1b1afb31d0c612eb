package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.data.Dataset;
import dev.chainrule.testing.TinyMlp;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps docs/training.md honest: every {@code java} code block on the page compiles against the
 * runtime and runs, with {@code net} a small classifier and {@code data}, {@code train},
 * {@code validation} and {@code test} parts of a two-class dataset.
 */
class TrainingDocTest {

    /** Surefire runs in the module's folder; the docs are part of this repository. */
    private static final Path PAGE = Path.of("..", "docs", "training.md");

    private static final String IMPORTS = "import dev.chainrule.*;\nimport dev.chainrule.data.*;\n"
            + "import dev.chainrule.metrics.*;\nimport dev.chainrule.train.*;\nimport java.nio.file.*;\n"
            + "import java.time.*;\nimport java.util.*;\n";

    @TempDir
    Path dir;

    static List<String> javaBlocks(List<String> lines) {
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        for (String line : lines) {
            if (block == null && line.equals("```java")) {
                block = new StringBuilder();
            } else if (block != null && line.equals("```")) {
                blocks.add(block.toString());
                block = null;
            } else if (block != null) {
                block.append("        ").append(line).append('\n');
            }
        }
        return blocks;
    }

    @Test
    void everyCodeBlockCompilesAndRuns() throws Exception {
        List<String> blocks = javaBlocks(Files.readAllLines(PAGE, StandardCharsets.UTF_8));
        assertTrue(blocks.size() >= 8, "code blocks found in " + PAGE + ": " + blocks.size());
        List<File> sources = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            String source = IMPORTS + "public class Snippet" + i + " {\n"
                    + "    public static void run(Model net, Dataset data, Dataset train, Dataset validation,"
                    + " Dataset test) throws Exception {\n" + blocks.get(i) + "    }\n}\n";
            Path file = dir.resolve("Snippet" + i + ".java");
            Files.writeString(file, source, StandardCharsets.UTF_8);
            sources.add(file.toFile());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the tests need a JDK");
        String classpath = Path.of(Trainer.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        StringWriter errors = new StringWriter();
        boolean ok = javac.getTask(errors, null, null, List.of("-d", dir.toString(), "-classpath", classpath,
                "-Xlint:all", "-Werror"), null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)
                .getJavaFileObjectsFromFiles(sources)).call();
        assertTrue(ok, "docs/training.md has a code block that does not compile:\n" + errors);

        Dataset data = CheckpointTest.twoClasses();
        Dataset.ThreeWaySplit parts = data.stratifiedSplit(0.6, 0.2, 1L);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                TrainingDocTest.class.getClassLoader())) {
            for (int i = 0; i < blocks.size(); i++) {
                Model net = TinyMlp.classifier(Precision.DOUBLE, i);
                Method run = loader.loadClass("Snippet" + i).getMethod("run", Model.class, Dataset.class,
                        Dataset.class, Dataset.class, Dataset.class);
                run.invoke(null, net, data, parts.train(), parts.validation(), parts.test());
            }
        }
        assertEquals(blocks.size(), sources.size());
    }

    /**
     * The settings of the update rule without a trainer shortcut (RMSprop's alpha, Rprop's factors
     * and bounds) are documented with their defaults in docs/optimizers.md, which the options
     * table links: every {@code UpdateSettings} field has a row of its table there, and the
     * defaults in that row are the record's.
     */
    @Test
    void everyUpdateSettingIsInTheOptimizersTable() throws IOException {
        List<String> rows = Files.readAllLines(Path.of("..", "docs", "optimizers.md"), StandardCharsets.UTF_8)
                .stream().filter(line -> line.startsWith("| ")).toList();
        dev.chainrule.UpdateSettings defaults = dev.chainrule.UpdateSettings.defaults(dev.chainrule.Optimizer.SGD);
        for (java.lang.reflect.RecordComponent c : dev.chainrule.UpdateSettings.class.getRecordComponents()) {
            String row = rows.stream().filter(r -> r.contains("`" + c.getName() + "`")).findFirst().orElse(null);
            assertNotNull(row, "docs/optimizers.md has no table row for UpdateSettings." + c.getName());
            double value;
            try {
                value = (Double) c.getAccessor().invoke(defaults);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
            String shown = value == Math.rint(value) && Math.abs(value) < 1e6 ? Long.toString((long) value)
                    : value < 1e-4 ? String.format(java.util.Locale.ROOT, "%.0e", value).replace("e-0", "e-")
                    : Double.toString(value);
            assertTrue(row.contains(" " + shown), "the row of UpdateSettings." + c.getName() + " should show its"
                    + " default " + shown + ": " + row);
        }
        assertTrue(Files.readString(PAGE, StandardCharsets.UTF_8).contains("optimizers.md"),
                "docs/training.md links the optimizer settings");
    }

    @Test
    void everyTrainerOptionIsInTheTable() throws IOException {
        String page = Files.readString(PAGE, StandardCharsets.UTF_8);
        for (Method m : Trainer.class.getDeclaredMethods()) {
            if (java.lang.reflect.Modifier.isPublic(m.getModifiers()) && m.getReturnType() == Trainer.class
                    && !java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                assertTrue(page.contains("| `" + m.getName() + "("), "docs/training.md does not document Trainer."
                        + m.getName() + " in its table of options");
            }
        }
    }
}
