package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Init;
import dev.chainrule.Input;
import dev.chainrule.Loss;
import dev.chainrule.Network;
import dev.chainrule.Optimizer;
import dev.chainrule.Precision;
import dev.chainrule.Simd;
import dev.chainrule.processor.plan.NetworkPlanner;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/dsl.md a complete reference: every attribute of every annotation has its row with
 * its type and its real default, every enum constant is named, and every rule the processor
 * enforces is named by its key; and docs/math.md has a row for every activation, loss,
 * initialiser and update rule.
 */
class DslReferenceTest {

    static final Path DSL = Path.of("../docs/dsl.md");

    @Test
    void everyAttributeHasARowWithItsTypeAndDefault() throws IOException {
        String doc = Files.readString(DSL, StandardCharsets.UTF_8);
        List<Class<? extends Annotation>> annotations = List.of(Network.class, Input.class, Dense.class);
        for (Class<? extends Annotation> annotation : annotations) {
            List<String> rows = rows(section(doc, "## `@" + annotation.getSimpleName() + "`"));
            Method[] attributes = annotation.getDeclaredMethods();
            Arrays.sort(attributes, Comparator.comparing(Method::getName));
            List<String> documented = new ArrayList<>();
            for (String row : rows) {
                documented.add(cells(row).get(0));
            }
            List<String> declared = new ArrayList<>();
            for (Method attribute : attributes) {
                declared.add("`" + attribute.getName() + "`");
            }
            assertEquals(declared.stream().sorted().toList(), documented.stream().sorted().toList(),
                    "the attributes of @" + annotation.getSimpleName() + " against the rows of its table in docs/dsl.md");
            for (Method attribute : attributes) {
                List<String> cells = cells(row(rows, attribute.getName()));
                String where = "docs/dsl.md, @" + annotation.getSimpleName() + "." + attribute.getName();
                assertEquals("`" + attribute.getReturnType().getSimpleName() + "`", cells.get(1), where + ": type");
                Object value = attribute.getDefaultValue();
                String expected = value == null ? "— (required)" : "`" + render(value) + "`";
                assertTrue(cells.get(2).startsWith(expected), where + ": the default is " + expected + ", the page says "
                        + cells.get(2));
                assertTrue(!cells.get(4).isEmpty(), where + ": say what rejects a wrong value, or '—'");
            }
        }
    }

    /** The numbers the rows quote are the code's. */
    @Test
    void theLimitsAndDefaultsQuotedAreTheCodes() throws IOException {
        String doc = Files.readString(DSL, StandardCharsets.UTF_8);
        List<String> network = rows(section(doc, "## `@Network`"));
        String unroll = row(network, "unrollMaxWeights");
        assertTrue(unroll.contains("threshold, " + NetworkPlanner.UNROLL_MAX_WEIGHTS + ")"), unroll);
        assertTrue(unroll.contains("`-1.." + Network.MAX_UNROLL_WEIGHTS + "`"), unroll);
        String alpha = row(rows(section(doc, "## `@Dense`")), "alpha");
        assertTrue(alpha.contains("(default " + Dense.LEAKY_RELU_DEFAULT_ALPHA + ")"), alpha);
        assertTrue(alpha.contains("α (default " + Dense.ELU_DEFAULT_ALPHA + ")"), alpha);
    }

    @Test
    void everyEnumConstantIsNamed() throws IOException {
        String doc = Files.readString(DSL, StandardCharsets.UTF_8);
        List<String> missing = new ArrayList<>();
        List<Class<? extends Enum<?>>> enums = List.of(Loss.class, Activation.class, Init.class, Optimizer.class,
                Precision.class, Simd.class);
        for (Class<? extends Enum<?>> type : enums) {
            for (Enum<?> constant : type.getEnumConstants()) {
                if (!doc.contains("`" + constant.name() + "`")) {
                    missing.add(type.getSimpleName() + "." + constant.name());
                }
            }
        }
        assertEquals(List.of(), missing, "constants docs/dsl.md does not name (in backquotes)");
    }

    @Test
    void everyRuleIsNamedByItsKey() throws IOException {
        String doc = Files.readString(DSL, StandardCharsets.UTF_8);
        List<String> missing = new ArrayList<>();
        for (Message message : Message.values()) {
            if (!doc.contains("`" + message.key() + "`")) {
                missing.add(message.key());
            }
        }
        assertEquals(List.of(), missing, "rules docs/dsl.md does not name (in backquotes)");
    }

    /**
     * docs/math.md has a row for every activation (its derivative), loss (its output gradient),
     * initialiser and update rule the generator writes; ADAMW's and AUTO's rows name the rule
     * they stand on.
     */
    @Test
    void theMathHasARowForEveryActivationLossInitialiserAndUpdateRule() throws IOException {
        String math = Files.readString(Path.of("../docs/math.md"), StandardCharsets.UTF_8);
        List<String> missing = new ArrayList<>();
        List<Class<? extends Enum<?>>> enums = List.of(Activation.class, Loss.class, Init.class, Optimizer.class);
        for (Class<? extends Enum<?>> type : enums) {
            for (Enum<?> constant : type.getEnumConstants()) {
                if (constant != Init.AUTO && !math.contains("\n| `" + constant.name() + "`")) {
                    missing.add(type.getSimpleName() + "." + constant.name());
                }
            }
        }
        assertEquals(List.of(), missing, "rows docs/math.md lacks");
        assertTrue(math.contains("`AUTO` picks accordingly"), "docs/math.md explains Init.AUTO");
    }

    private static String render(Object value) {
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        return String.valueOf(value);   // 1.0, NaN, 0.0, -1
    }

    /** From the heading that starts with {@code heading} to the next heading of its level or above. */
    private static String section(String doc, String heading) {
        int start = doc.indexOf("\n" + heading);
        if (start < 0) {
            return fail("docs/dsl.md has no heading " + heading);
        }
        int end = doc.indexOf("\n## ", start + 1);
        return doc.substring(start, end < 0 ? doc.length() : end);
    }

    /** The body rows of the section's table: lines starting with a pipe and a backquote. */
    private static List<String> rows(String section) {
        return section.lines().filter(line -> line.startsWith("| `")).toList();
    }

    private static String row(List<String> rows, String attribute) {
        return rows.stream().filter(r -> r.startsWith("| `" + attribute + "` |")).findFirst()
                .orElseGet(() -> fail("no row for " + attribute));
    }

    private static List<String> cells(String row) {
        String[] parts = row.split(" \\| ");
        List<String> cells = new ArrayList<>();
        for (String part : parts) {
            cells.add(part.replaceFirst("^\\| ", "").replaceFirst(" \\|$", "").strip());
        }
        return cells;
    }
}
