package dev.chainrule.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.annotation.processing.Processor;
import javax.annotation.processing.SupportedOptions;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The processor as build tools see it: registered for discovery, declared an isolating
 * incremental processor for Gradle (which cannot run here, so the declaration and what it
 * promises are tested instead), no options it does not honour, the latest source version, and
 * {@code -proc:only}. The self-contained jar is tested after packaging, in {@code ProcessorJarIT}.
 */
class BuildCitizenTest {

    static final String INCREMENTAL = "META-INF/gradle/incremental.annotation.processors";
    static final String SERVICES = "META-INF/services/javax.annotation.processing.Processor";

    @Test
    void isDeclaredAnIsolatingIncrementalProcessor() throws Exception {
        assertThat(resource(INCREMENTAL)).isEqualTo("dev.chainrule.processor.NetworkProcessor,isolating\n");
        Class<?> declared = Class.forName("dev.chainrule.processor.NetworkProcessor");
        assertThat(Processor.class.isAssignableFrom(declared)).isTrue();
    }

    @Test
    void isRegisteredForServiceDiscovery() throws Exception {
        assertThat(resource(SERVICES).lines().toList()).containsExactly("dev.chainrule.processor.NetworkProcessor");
        // ServiceLoader needs a public constructor without arguments.
        assertThat(NetworkProcessor.class.getConstructor().newInstance()).isNotNull();
    }

    @Test
    void supportsTheLatestSourceVersionAndNoOptions() {
        NetworkProcessor processor = new NetworkProcessor();
        assertThat(processor.getSupportedSourceVersion()).isEqualTo(SourceVersion.latestSupported());
        assertThat(processor.getSupportedOptions()).isEmpty();
        assertThat(NetworkProcessor.class.isAnnotationPresent(SupportedOptions.class)).isFalse();
        assertThat(processor.getSupportedAnnotationTypes())
                .containsExactly("dev.chainrule.Network", "dev.chainrule.Input", "dev.chainrule.Dense");
    }

    /**
     * Gradle's isolating mode requires every generated file to have exactly one originating
     * element: here the spec itself, for specs in a named and the unnamed package, nested ones
     * and renamed ones; and nothing but one source file per spec.
     */
    @Test
    void everyGeneratedFileHasTheSpecAsItsOneOriginatingElement() {
        List<SpecSource> sources = List.of(
                SpecSource.of("""
                        @Network(loss = Loss.MEAN_SQUARED_ERROR)
                        abstract class Top {
                            @Input(2) Layer input;
                            @Dense(units = 1) Layer output;
                        }
                        """),
                SpecSource.of("", """
                        @Network(loss = Loss.BINARY_CROSS_ENTROPY, name = "Unnamed")
                        abstract class InUnnamedPackage {
                            @Input(2) Layer input;
                            @Dense(units = 1, activation = Activation.SIGMOID) Layer output;
                        }
                        """),
                SpecSource.of("""
                        class Outer {
                            static class Middle {
                                @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY, precision = Precision.DOUBLE)
                                abstract static class Inner {
                                    @Input(3) Layer input;
                                    @Dense(units = 2, activation = Activation.SOFTMAX) Layer output;
                                }
                            }
                        }
                        """));
        RecordingProcessor processor = new RecordingProcessor(new NetworkProcessor());
        Compilation compilation = CompiledNetworks.javac(processor)
                .compile(sources.stream().map(SpecSource::file).toList());
        assertThat(compilation).succeededWithoutWarnings();

        List<String> generated = new ArrayList<>();
        for (RecordingProcessor.Created file : processor.created()) {
            assertThat(file.kind()).isEqualTo("source");
            assertThat(file.originatingElements()).hasSize(1);
            Element origin = file.originatingElements().get(0);
            assertThat(origin).isInstanceOf(TypeElement.class);
            generated.add(file.name() + " <- " + ((TypeElement) origin).getQualifiedName());
        }
        assertThat(generated).containsExactly(
                "p.TopNetwork <- p.Top",
                "Unnamed <- InUnnamedPackage",
                "p.Outer_Middle_InnerNetwork <- p.Outer.Middle.Inner");
        assertThat(compilation.generatedSourceFiles()).hasSize(3);
    }

    @Test
    void worksWithProcOnly() {
        SpecSource xor = SpecSource.of("""
                @Network(loss = Loss.MEAN_SQUARED_ERROR)
                abstract class Xor {
                    @Input(2) Layer input;
                    @Dense(units = 4, activation = Activation.SIGMOID) Layer hidden;
                    @Dense(units = 1, activation = Activation.SIGMOID) Layer output;
                }
                """);
        Compilation compilation = Compiler.javac().withProcessors(new NetworkProcessor())
                .withOptions("-proc:only", "-Xlint:all,-processing").compile(xor.file());
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedSourceFile("p.XorNetwork");
        List<JavaFileObject> classes = new ArrayList<>();
        for (JavaFileObject file : compilation.generatedFiles()) {
            if (file.getKind() == JavaFileObject.Kind.CLASS) {
                classes.add(file);
            }
        }
        assertThat(classes).isEmpty();
    }

    /** The one resource of that name on the class path (the processor's own), as text. */
    private static String resource(String name) throws IOException {
        List<URL> found = Collections.list(NetworkProcessor.class.getClassLoader().getResources(name));
        assertThat(found).hasSize(1);
        try (InputStream in = found.get(0).openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
