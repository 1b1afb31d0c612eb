package dev.chainrule.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.palantir.javapoet.TypeSpec;
import dev.chainrule.processor.model.NetworkSpec;
import dev.chainrule.processor.plan.NetworkPlan;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.tools.ForwardingJavaFileObject;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * No exception escapes the processor: whatever a stage throws becomes one error on the spec
 * being generated, and the other specs of the compilation are still generated. The failures are
 * injected where a real compiler would never fail: through {@link RecordingProcessor}'s
 * environment (read, validate, check, write) and through the processor's {@code Stages} (plan,
 * emit).
 */
class NeverCrashTest {

    static final SpecSource BOOM = SpecSource.of("""
            /*>*/@Network(loss = Loss.MEAN_SQUARED_ERROR)
            abstract class Boom {
                @Input(2) Layer input;
                @Dense(units = 3, activation = Activation.TANH) Layer hidden;
                @Dense(units = 1) Layer output;
            }
            """);

    /** Compiled after Boom (javac hands the specs over in the order of the sources). */
    static final SpecSource FINE = SpecSource.of("""
            @Network(loss = Loss.MEAN_SQUARED_ERROR)
            abstract class Fine {
                @Input(2) Layer input;
                @Dense(units = 1) Layer output;
            }
            """);

    static final String PREFIX = "[chainrule/InternalError] internal error in chainrule while generating Boom: ";
    static final String SUFFIX = "; please report this with the spec that caused it";

    @Test
    void readingFails() {
        assertReportedOnBoom(new RecordingProcessor.Faults(
                elements -> failingOnce(Elements.class, elements, "getElementValuesWithDefaults"), t -> t, f -> f),
                NetworkProcessor.DEFAULT_STAGES, "java.lang.IllegalStateException: injected into getElementValuesWithDefaults");
    }

    @Test
    void validatingFails() {
        assertReportedOnBoom(new RecordingProcessor.Faults(
                elements -> failingOnce(Elements.class, elements, "getPackageElement"), t -> t, f -> f),
                NetworkProcessor.DEFAULT_STAGES, "java.lang.IllegalStateException: injected into getPackageElement");
    }

    @Test
    void checkingTheSpecsMembersFails() {
        assertReportedOnBoom(new RecordingProcessor.Faults(
                elements -> failingOnce(Elements.class, elements, "getAllMembers"), t -> t, f -> f),
                NetworkProcessor.DEFAULT_STAGES, "java.lang.IllegalStateException: injected into getAllMembers");
    }

    @Test
    void planningFails() {
        assertReportedOnBoom(RecordingProcessor.Faults.NONE, stages(spec -> {
            throw new IllegalArgumentException("injected into the planner");
        }, Function.identity()), "java.lang.IllegalArgumentException: injected into the planner");
    }

    @Test
    void emittingFails() {
        assertReportedOnBoom(RecordingProcessor.Faults.NONE, stages(Function.identity(), type -> {
            throw new NullPointerException("injected into the emitter");
        }), "java.lang.NullPointerException: injected into the emitter");
    }

    @Test
    void emittingFailsWithAnError() {
        // Errors too: an assertion in an emitter (tests run with -ea), a recursion gone wrong.
        assertReportedOnBoom(RecordingProcessor.Faults.NONE, stages(Function.identity(), type -> {
            throw new StackOverflowError("injected into the emitter");
        }), "java.lang.StackOverflowError: injected into the emitter");
        assertReportedOnBoom(RecordingProcessor.Faults.NONE, stages(Function.identity(), type -> {
            throw new AssertionError("injected into the emitter");
        }), "java.lang.AssertionError: injected into the emitter");
    }

    @Test
    void anEmitterThatDeclaresAMemberTwiceIsCaughtBeforeWriting() {
        // A bug of ours that javac would report in the generated code: reported on the spec instead.
        assertReportedOnBoom(RecordingProcessor.Faults.NONE, stages(Function.identity(),
                type -> type.toBuilder().addField(int.class, "counter").addField(int.class, "counter").build()),
                "the generated class BoomNetwork declares the field counter twice");
    }

    @Test
    void creatingTheFileFails() {
        assertReportedOnBoom(new RecordingProcessor.Faults(e -> e, t -> t,
                filer -> failingFor(filer, "BoomNetwork", new IllegalStateException("injected into createSourceFile"))),
                NetworkProcessor.DEFAULT_STAGES, "java.lang.IllegalStateException: injected into createSourceFile");
    }

    @Test
    void writingTheFileFails() {
        UnaryOperator<Filer> failingWrites = filer -> RecordingProcessor.delegating(Filer.class, filer,
                (method, arguments, result) -> {
                    if (method.equals("createSourceFile") && arguments[0].toString().endsWith("BoomNetwork")) {
                        return new ForwardingJavaFileObject<>((JavaFileObject) result) {
                            @Override
                            public Writer openWriter() throws IOException {
                                return new FilterWriter(super.openWriter()) {
                                    @Override
                                    public void write(String text, int offset, int length) throws IOException {
                                        throw new IOException("disk full");
                                    }

                                    @Override
                                    public void write(char[] text, int offset, int length) throws IOException {
                                        throw new IOException("disk full");
                                    }

                                    @Override
                                    public void write(int c) throws IOException {
                                        throw new IOException("disk full");
                                    }
                                };
                            }
                        };
                    }
                    return result;
                });
        assertReportedOnBoom(new RecordingProcessor.Faults(e -> e, t -> t, failingWrites),
                NetworkProcessor.DEFAULT_STAGES, "java.io.IOException: disk full");
    }

    @Test
    void aFailureOutsideAnySpecIsReportedToo() {
        // The round itself, before any spec is looked at: reported once, not once per round.
        RecordingProcessor processor = new RecordingProcessor(new NetworkProcessor(), new RecordingProcessor.Faults(
                elements -> RecordingProcessor.failing(Elements.class, elements, "getTypeElement",
                        new IllegalStateException("injected into getTypeElement")),
                t -> t, f -> f));
        Compilation compilation = CompiledNetworks.javac(processor).compile(BOOM.file(), FINE.file());
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadWarningCount(0);
        assertThat(compilation).hadErrorContaining("[chainrule/InternalError] internal error in chainrule while"
                + " generating this round: java.lang.IllegalStateException: injected into getTypeElement");
    }

    @Test
    void specsWaitForTypesThatAnotherProcessorGenerates() {
        // Base is generated by another processor in the first round; Iris extends it.
        SpecSource iris = SpecSource.of("""
                @Network(loss = Loss.MEAN_SQUARED_ERROR)
                abstract class Iris extends Base {
                    @Input(4) Layer features;
                    @Dense(units = 1) Layer output;
                }
                """);
        RecordingProcessor network = new RecordingProcessor(new NetworkProcessor());
        Compilation compilation = com.google.testing.compile.Compiler.javac()
                .withProcessors(new BaseGenerator(""), network)
                .withOptions("-Xlint:all,-processing")
                .compile(iris.file());
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedSourceFile("p.IrisNetwork");
        assertThat(network.created()).hasSize(1);
    }

    @Test
    void specsAreCheckedAgainstTypesThatAnotherProcessorGenerates() {
        // Had Iris been generated before Base existed, its network would not implement Base's
        // abstract method, and javac would report that in the generated code.
        SpecSource iris = SpecSource.of("""
                /*>*/@Network(loss = Loss.MEAN_SQUARED_ERROR)
                abstract class Iris extends Base {
                    @Input(4) Layer features;
                    @Dense(units = 1) Layer output;
                }
                """);
        RecordingProcessor network = new RecordingProcessor(new NetworkProcessor());
        Compilation compilation = com.google.testing.compile.Compiler.javac()
                .withProcessors(new BaseGenerator("abstract double accuracy();"), network)
                .withOptions("-Xlint:all,-processing")
                .compile(iris.file());
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("[chainrule/AbstractMethod] abstract method accuracy() (inherited"
                + " from p.Base) is not implemented by the generated network").inFile(iris.file())
                .onLine(iris.line()).atColumn(iris.column());
        assertThat(network.created()).isEmpty();
    }

    @Test
    void aTypeThatNeverAppearsIsLeftToJavac() {
        // javac reports the missing type; a message of ours would only repeat it.
        SpecSource iris = SpecSource.of("""
                @Network(loss = Loss.MEAN_SQUARED_ERROR)
                abstract class Iris extends Missing {
                    @Input(4) Layer features;
                    @Dense(units = 1) Layer output;
                }
                """);
        SpecSource.Compiled compiled = SpecSource.compile(iris);
        assertThat(compiled.compilation()).hadErrorCount(1);
        assertThat(compiled.compilation()).hadErrorContaining("cannot find symbol");
        assertThat(compiled.created()).isEmpty();
    }

    @Test
    void aLayerTypeThatNeverAppearsIsLeftToJavac() {
        SpecSource iris = SpecSource.of("""
                @Network(loss = Loss.MEAN_SQUARED_ERROR)
                abstract class Iris {
                    @Input(4) Layr features;
                    @Dense(units = 1) Layer output;
                }
                """);
        SpecSource.Compiled compiled = SpecSource.compile(iris);
        assertThat(compiled.compilation()).hadErrorCount(1);
        assertThat(compiled.compilation()).hadErrorContaining("cannot find symbol");
        assertThat(compiled.created()).isEmpty();
    }

    @Test
    void anUnresolvedFieldTypeIsNoUnannotatedLayer() {
        // javac treats an unresolved type as the same as any other: no warning of ours beside its error.
        SpecSource iris = SpecSource.of("""
                @Network(loss = Loss.MEAN_SQUARED_ERROR)
                abstract class Iris {
                    @Input(4) Layer features;
                    @Dense(units = 1) Layer output;
                    Lay notes;
                }
                """);
        SpecSource.Compiled compiled = SpecSource.compile(iris);
        assertThat(compiled.compilation()).hadErrorCount(1);
        assertThat(compiled.compilation()).hadErrorContaining("cannot find symbol");
        assertThat(compiled.compilation()).hadWarningCount(0);
    }

    // ---- helpers

    /**
     * Compiles Boom and Fine with the faults, and asserts exactly one error, the internal error
     * on Boom's {@code @Network} naming {@code cause}, and that Fine was generated anyway.
     */
    private static void assertReportedOnBoom(RecordingProcessor.Faults faults, NetworkProcessor.Stages stages,
            String cause) {
        RecordingProcessor processor = new RecordingProcessor(new NetworkProcessor(stages), faults);
        Compilation compilation = CompiledNetworks.javac(processor).compile(BOOM.file(), FINE.file());
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadWarningCount(0);
        assertThat(compilation).hadErrorContaining(PREFIX + cause).inFile(BOOM.file()).onLine(BOOM.line())
                .atColumn(BOOM.column());
        assertThat(compilation).hadErrorContaining(SUFFIX);
        assertThat(processor.created().stream().map(RecordingProcessor.Created::name).toList())
                .contains("p.FineNetwork");
    }

    /** Plan and emit through the real stages, passed through {@code plan} and {@code emit}. */
    private static NetworkProcessor.Stages stages(Function<NetworkSpec, NetworkSpec> plan,
            Function<TypeSpec, TypeSpec> emit) {
        return new NetworkProcessor.Stages() {
            @Override
            public NetworkPlan plan(NetworkSpec spec, boolean vector) {
                NetworkSpec seen = spec.specNames().contains("Boom") ? plan.apply(spec) : spec;
                return NetworkProcessor.DEFAULT_STAGES.plan(seen, vector);
            }

            @Override
            public TypeSpec emit(NetworkPlan plan) {
                TypeSpec type = NetworkProcessor.DEFAULT_STAGES.emit(plan);
                return plan.spec().specNames().contains("Boom") ? emit.apply(type) : type;
            }
        };
    }

    /** {@code real}, except that the first call of {@code method} throws. */
    private static <T> T failingOnce(Class<T> type, T real, String method) {
        AtomicBoolean failed = new AtomicBoolean();
        return RecordingProcessor.delegating(type, real, (called, arguments, result) -> result, (called, arguments) -> {
            if (called.equals(method) && failed.compareAndSet(false, true)) {
                throw new IllegalStateException("injected into " + method);
            }
        });
    }

    private static Filer failingFor(Filer real, String nameSuffix, RuntimeException failure) {
        return RecordingProcessor.delegating(Filer.class, real, (called, arguments, result) -> result,
                (called, arguments) -> {
                    if (called.equals("createSourceFile") && arguments[0].toString().endsWith(nameSuffix)) {
                        throw failure;
                    }
                });
    }

    /** Another processor: generates {@code p.Base} with {@code members} in the first round. */
    static final class BaseGenerator extends AbstractProcessor {
        private final String members;
        private boolean done;

        BaseGenerator(String members) {
            this.members = members;
        }

        @Override
        public Set<String> getSupportedAnnotationTypes() {
            return Set.of("*");
        }

        @Override
        public SourceVersion getSupportedSourceVersion() {
            return SourceVersion.latestSupported();
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
            if (!done) {
                done = true;
                try (Writer writer = processingEnv.getFiler().createSourceFile("p.Base").openWriter()) {
                    writer.write("package p;\n\nabstract class Base {\n" + members + "\n}\n");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return false;
        }
    }
}
