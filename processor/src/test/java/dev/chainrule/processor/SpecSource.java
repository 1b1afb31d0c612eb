package dev.chainrule.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * One source file of a diagnostic test: the body of a compilation unit in package {@code p}
 * (after {@code import dev.chainrule.*;}), in which {@code /*>*}{@code /} marks where the
 * diagnostic must point: the element's name, the {@code @} of the annotation, or the annotation
 * value. Its line and column are asserted, so a diagnostic reported on the wrong element, or
 * without its annotation or value, fails.
 */
record SpecSource(String qualifiedName, String text) {

    static final String MARKER = "/*>*/";
    private static final Pattern TYPE = Pattern.compile("(?:class|interface|enum|record)\\s+(\\w+)");

    /** A file in package {@code p}, named after the first type it declares. */
    static SpecSource of(String body) {
        return of("p", body);
    }

    /** A file in {@code pkg} (empty for the unnamed package), named after the first type it declares. */
    static SpecSource of(String pkg, String body) {
        Matcher type = TYPE.matcher(body);
        if (!type.find()) {
            throw new IllegalArgumentException("no type declared in\n" + body);
        }
        String header = (pkg.isEmpty() ? "" : "package " + pkg + ";\n\n") + "import dev.chainrule.*;\n\n";
        String name = pkg.isEmpty() ? type.group(1) : pkg + "." + type.group(1);
        return new SpecSource(name, header + body);
    }

    JavaFileObject file() {
        return JavaFileObjects.forSourceString(qualifiedName, text);
    }

    String path() {
        return qualifiedName.replace('.', '/') + ".java";
    }

    /** The 1-based line of the marker. */
    long line() {
        int at = markerEnd();
        return text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    }

    /** The 1-based column just after the marker, where javac's caret must be. */
    long column() {
        int at = markerEnd();
        return at - text.lastIndexOf('\n', at - 1);
    }

    private int markerEnd() {
        int at = text.indexOf(MARKER);
        if (at < 0 || text.indexOf(MARKER, at + 1) >= 0) {
            throw new IllegalStateException("mark exactly one place with " + MARKER + " in\n" + text);
        }
        return at + MARKER.length();
    }

    boolean marked() {
        return text.contains(MARKER);
    }

    // ---- assertions

    /** A compilation, and the files the processor asked the Filer for. */
    record Compiled(Compilation compilation, List<RecordingProcessor.Created> created) {}

    /** Compiles the sources with the processor (every lint warning on), recording the files it creates. */
    static Compiled compile(SpecSource... sources) {
        List<JavaFileObject> files = new ArrayList<>();
        for (SpecSource source : sources) {
            files.add(source.file());
        }
        RecordingProcessor processor = new RecordingProcessor(new NetworkProcessor());
        Compilation compilation = CompiledNetworks.javac(processor).compile(files);
        return new Compiled(compilation, processor.created());
    }

    /**
     * Compiles the sources, of which exactly one is marked, and asserts that the compilation
     * reported exactly one error and no warning (no cascade), the error {@code text} (all of it)
     * at the marker, and generated nothing from the marked source (other sources may be valid
     * specs, which are generated).
     */
    static Compilation assertOnlyError(String text, SpecSource... sources) {
        Compiled compiled = compile(sources);
        Compilation compilation = compiled.compilation();
        SpecSource marked = marked(sources);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadWarningCount(0);
        assertThat(compilation).hadErrorContaining(text).inFile(marked.file()).onLine(marked.line())
                .atColumn(marked.column());
        assertExactText(compilation, Diagnostic.Kind.ERROR, text);
        List<String> generatedFromMarked = new ArrayList<>();
        for (RecordingProcessor.Created file : compiled.created()) {
            for (Element origin : file.originatingElements()) {
                String name = ((TypeElement) origin).getQualifiedName().toString();
                if (name.equals(marked.qualifiedName()) || name.startsWith(marked.qualifiedName() + ".")) {
                    generatedFromMarked.add(file.name());
                }
            }
        }
        assertWithMessage("files generated from " + marked.qualifiedName()).that(generatedFromMarked).isEmpty();
        return compilation;
    }

    /** As {@link #assertOnlyError}, with the spec as the only source. */
    static Compilation assertOnlyError(String text, String body) {
        return assertOnlyError(text, of(body));
    }

    /**
     * Asserts that the compilation succeeded with exactly one warning, {@code text}, at the
     * marker, and generated the network.
     */
    static Compilation assertOnlyWarning(String text, SpecSource... sources) {
        Compiled compiled = compile(sources);
        Compilation compilation = compiled.compilation();
        SpecSource marked = marked(sources);
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation).hadWarningContaining(text).inFile(marked.file()).onLine(marked.line())
                .atColumn(marked.column());
        assertExactText(compilation, Diagnostic.Kind.WARNING, text);
        assertWithMessage("files the processor created").that(compiled.created()).hasSize(1);
        return compilation;
    }

    /** The message is the whole text of the diagnostic, not only part of it. */
    private static void assertExactText(Compilation compilation, Diagnostic.Kind kind, String text) {
        List<String> messages = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> diagnostic : compilation.diagnostics()) {
            if (diagnostic.getKind() == kind) {
                messages.add(diagnostic.getMessage(null));
            }
        }
        assertWithMessage("the " + kind + " messages").that(messages).containsExactly(text);
    }

    private static SpecSource marked(SpecSource... sources) {
        SpecSource found = null;
        for (SpecSource source : sources) {
            if (source.marked()) {
                if (found != null) {
                    throw new IllegalArgumentException("more than one source is marked");
                }
                found = source;
            }
        }
        if (found == null) {
            throw new IllegalArgumentException("no source is marked with " + MARKER);
        }
        return found;
    }
}
