package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.chainrule.Loss;
import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.check.GradientCheck;
import dev.chainrule.processor.RandomSpecs.Mutant;
import dev.chainrule.processor.RandomSpecs.Spec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Random specs, all drawn from one seed: every valid one compiles without a warning and passes
 * the gradient check; every random breakage of one is reported as an error of ours, never as a
 * crash or as generated code that does not compile; and the output does not depend on the
 * compilation it is part of. The seed is {@value #DEFAULT_SEED} unless
 * {@code -Dchainrule.seed=...} says otherwise; every failure names it, so that
 * {@code mvn -pl processor -am test -Dtest=RandomSpecPropertyTest -Dchainrule.seed=<seed>}
 * replays it.
 *
 * <p>The specs are compiled in a few javac calls (a call per spec would take minutes).
 */
class RandomSpecPropertyTest {

    static final long DEFAULT_SEED = 20261128L;
    static final long SEED = Long.getLong("chainrule.seed", DEFAULT_SEED);

    static final int VALID = 220;
    static final int LARGER = 6;
    static final int BATCHES = 3;

    /** DOUBLE networks: the relative error of every gradient component (GradientCheckMatrixTest explains the bounds). */
    static final double DOUBLE_BOUND = 1e-6;
    /** FLOAT networks without kinks: the largest difference relative to the largest gradient. */
    static final double FLOAT_BOUND = 2e-2;
    /** Random points tried on a DOUBLE network with kinks before its gradient is called wrong. */
    static final int KINKED_DRAWS = 4;

    static List<Spec> specs;
    /** The generated source of every spec, by generated class name. */
    static Map<String, String> generated = new TreeMap<>();
    static Map<String, CompiledNetworks> compiledBySpec = new LinkedHashMap<>();

    @BeforeAll
    static void compileTheValidSpecs() throws Exception {
        specs = new RandomSpecs(SEED).valid(VALID, LARGER);
        List<List<Spec>> batches = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            List<Spec> batch = new ArrayList<>();
            for (int i = b; i < specs.size(); i += BATCHES) {
                batch.add(specs.get(i));
            }
            batches.add(batch);
        }
        // The javac calls are independent: run them side by side.
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(BATCHES, Runtime.getRuntime().availableProcessors()));
        try {
            List<Future<CompiledNetworks>> results = new ArrayList<>();
            for (List<Spec> batch : batches) {
                Map<String, String> sources = new LinkedHashMap<>();
                for (Spec spec : batch) {
                    sources.put(spec.fileName(), spec.source());
                }
                results.add(pool.submit(() -> CompiledNetworks.compile(sources)));
            }
            for (int b = 0; b < BATCHES; b++) {
                CompiledNetworks compiled;
                try {
                    compiled = results.get(b).get();
                } catch (ExecutionException e) {
                    throw new AssertionError(replay() + "a batch of valid specs did not compile cleanly: "
                            + e.getCause().getMessage(), e.getCause());
                }
                for (Spec spec : batches.get(b)) {
                    compiledBySpec.put(spec.generatedName(), compiled);
                    generated.put(spec.generatedName(), source(compiled.compilation(), spec.generatedName()));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @TestFactory
    List<DynamicTest> everyValidSpecPassesTheGradientCheck() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Spec spec : specs) {
            tests.add(DynamicTest.dynamicTest("#" + spec.index() + " " + spec.describe(), () -> checkGradient(spec)));
        }
        return tests;
    }

    private static void checkGradient(Spec spec) {
        String context = replay() + spec.describe() + "\n" + spec.source();
        Model net = compiledBySpec.get(spec.generatedName()).newNetwork(spec.generatedName(), spec.index());
        assertEquals(spec.inputSize(), net.inputSize(), context);
        assertEquals(spec.outputSize(), net.outputSize(), context);
        assertEquals(spec.parameterCount(), net.parameterCount(), context);
        SplittableRandom random = new SplittableRandom(SEED * 31 + spec.index());
        if (spec.precision() == Precision.FLOAT) {
            GradientCheck.Report report = check(net, spec, random);
            if (!spec.kinked()) {
                assertTrue(report.maxScaledError() < FLOAT_BOUND, context + "\n" + report);
            } else {
                // A float step of 1e-2 crosses ReLU kinks too often to bound the error; the check must still run.
                assertTrue(Double.isFinite(report.maxScaledError()), context + "\n" + report);
            }
            return;
        }
        // DOUBLE. Where a layer has a kink (ReLU, leaky ReLU), a random point may lie within a
        // step of it, where the loss is not differentiable and differences say nothing; such a
        // draw is replaced, up to KINKED_DRAWS times. A wrong backward pass fails every draw.
        List<GradientCheck.Report> reports = new ArrayList<>();
        int draws = spec.kinked() ? KINKED_DRAWS : 1;
        for (int draw = 0; draw < draws; draw++) {
            GradientCheck.Report report = check(net, spec, random);
            if (report.maxRelativeError() < DOUBLE_BOUND) {
                return;
            }
            reports.add(report);
        }
        fail(context + "\n" + reports.stream().map(Object::toString).collect(Collectors.joining("\n")));
    }

    /** The gradient check at random parameters in ±0.8 and a random batch of 1 to 5 samples. */
    private static GradientCheck.Report check(Model net, Spec spec, SplittableRandom random) {
        double[] theta = new double[net.parameterCount()];
        for (int k = 0; k < theta.length; k++) {
            theta[k] = random.nextDouble(-0.8, 0.8);
        }
        net.setParameters(theta);
        int batch = 1 + random.nextInt(5);
        double[][] x = new double[batch][spec.inputSize()];
        double[][] y = new double[batch][spec.outputSize()];
        for (int s = 0; s < batch; s++) {
            for (int i = 0; i < x[s].length; i++) {
                x[s][i] = random.nextDouble(-1.5, 1.5);
            }
            targets(y[s], spec.loss(), random);
        }
        return GradientCheck.check(net, x, y);
    }

    /**
     * Every spec broken in one random way: at least one error of ours on its file, no internal
     * error, no crash, no error in generated code, nothing generated from it; and the valid specs
     * compiled with them are still generated.
     */
    @Test
    void everyBrokenSpecIsReportedAndNoneStopsTheOthers() {
        RandomSpecs random = new RandomSpecs(SEED + 1);
        List<Mutant> mutants = new ArrayList<>();
        List<JavaFileObject> files = new ArrayList<>();
        for (Spec spec : specs) {
            Mutant mutant = random.mutate(spec);
            mutants.add(mutant);
            files.add(JavaFileObjects.forSourceString(mutant.fileName(), mutant.source()));
        }
        List<Spec> valid = specs.subList(0, 5);
        for (Spec spec : valid) {
            files.add(JavaFileObjects.forSourceString(spec.fileName(), spec.source()));
        }
        RecordingProcessor processor = new RecordingProcessor(new NetworkProcessor());
        Compilation compilation;
        try {
            // javac prints at most 100 errors unless told otherwise.
            compilation = CompiledNetworks.javac(processor)
                    .withOptions("-Xlint:all,-processing", "-Xmaxerrs", "100000", "-Xmaxwarns", "100000")
                    .compile(files);
        } catch (RuntimeException e) {
            throw new AssertionError(replay() + "the processor crashed on the broken specs", e);
        }
        Map<String, List<String>> errorsByFile = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> diagnostic : compilation.errors()) {
            String message = diagnostic.getMessage(null);
            String file = diagnostic.getSource() == null ? "<none>" : diagnostic.getSource().toUri().getPath();
            errorsByFile.computeIfAbsent(file, f -> new ArrayList<>()).add(message);
            if (message.contains("[chainrule/InternalError]")) {
                problems.add("internal error: " + message);
            }
            if (!message.startsWith("[chainrule/")) {
                problems.add("an error not of ours (in generated code?) in " + file + ": " + message);
            }
        }
        for (Mutant mutant : mutants) {
            String path = mutant.fileName().replace('.', '/') + ".java";
            boolean reported = errorsByFile.keySet().stream().anyMatch(f -> f.equals(path) || f.endsWith("/" + path));
            if (!reported) {
                problems.add("no error for the mutation '" + mutant.mutation() + "' of\n" + mutant.source());
            }
        }
        List<String> generatedNames = new ArrayList<>();
        for (RecordingProcessor.Created file : processor.created()) {
            for (Element origin : file.originatingElements()) {
                String name = ((TypeElement) origin).getQualifiedName().toString();
                if (name.contains("Bad")) {
                    problems.add("generated " + file.name() + " from the broken spec " + name);
                }
            }
            generatedNames.add(file.name());
        }
        for (Spec spec : valid) {
            if (!generatedNames.contains(spec.generatedName())) {
                problems.add("the valid spec " + spec.generatedName() + " was not generated beside the broken ones");
            }
        }
        if (!problems.isEmpty()) {
            fail(replay() + problems.size() + " problem(s):\n" + String.join("\n\n", problems));
        }
    }

    /**
     * The same spec gives byte-identical source whatever else is compiled with it and in which
     * order: a part of the specs is compiled again, in reverse order, in one call.
     */
    @Test
    void outputIsDeterministic() {
        Map<String, String> sources = new LinkedHashMap<>();
        List<Spec> again = new ArrayList<>(specs.subList(0, 40));
        java.util.Collections.reverse(again);
        for (Spec spec : again) {
            sources.put(spec.fileName(), spec.source());
        }
        CompiledNetworks compiled = CompiledNetworks.compile(sources);
        for (Spec spec : again) {
            assertEquals(generated.get(spec.generatedName()), source(compiled.compilation(), spec.generatedName()),
                    replay() + spec.describe());
        }
    }

    private static String source(Compilation compilation, String generatedName) {
        String path = "/" + generatedName.replace('.', '/') + ".java";
        for (JavaFileObject file : compilation.generatedSourceFiles()) {
            if (file.toUri().getPath().endsWith(path)) {
                try (InputStream in = file.openInputStream()) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new AssertionError(replay() + "no generated source " + generatedName);
    }

    private static void targets(double[] y, Loss loss, SplittableRandom random) {
        switch (loss) {
            case CATEGORICAL_CROSS_ENTROPY -> y[random.nextInt(y.length)] = 1.0;
            case BINARY_CROSS_ENTROPY -> {
                for (int j = 0; j < y.length; j++) {
                    y[j] = random.nextInt(2);
                }
            }
            case MEAN_SQUARED_ERROR -> {
                for (int j = 0; j < y.length; j++) {
                    y[j] = random.nextDouble(-1, 1);
                }
            }
        }
    }

    private static String replay() {
        return "[seed " + SEED + ": replay with -Dchainrule.seed=" + SEED + "] ";
    }
}
