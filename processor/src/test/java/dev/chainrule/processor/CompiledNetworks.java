package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.chainrule.Model;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * Compiles specs with the processor (under {@code -Xlint:all}) and loads the generated networks
 * into this JVM, so tests can run the code the processor wrote.
 */
final class CompiledNetworks {

    private final Compilation compilation;
    private final ClassLoader loader;

    private CompiledNetworks(Compilation compilation) {
        this.compilation = compilation;
        this.loader = new GeneratedClassLoader(compilation, CompiledNetworks.class.getClassLoader());
    }

    /** Compiles the sources (qualified class name to source text); fails on any error or warning. */
    static CompiledNetworks compile(Map<String, String> sources) {
        return compile(sources, javac());
    }

    /**
     * Compiles with {@code --add-modules jdk.incubator.vector}, so that networks get their Vector
     * API kernels; fails on any error or warning but javac's notice that an incubating module is
     * in use, which it always prints.
     */
    static CompiledNetworks compileWithVectorApi(Map<String, String> sources) {
        return compile(sources, Compiler.javac().withProcessors(new NetworkProcessor())
                .withOptions("-Xlint:all,-processing", "--add-modules", "jdk.incubator.vector"));
    }

    private static CompiledNetworks compile(Map<String, String> sources, Compiler compiler) {
        List<JavaFileObject> files = sources.entrySet().stream()
                .map(e -> JavaFileObjects.forSourceString(e.getKey(), e.getValue()))
                .collect(Collectors.toList());
        Compilation compilation = compiler.compile(files);
        List<Diagnostic<? extends JavaFileObject>> problems = compilation.diagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR || d.getKind() == Diagnostic.Kind.WARNING
                        || d.getKind() == Diagnostic.Kind.MANDATORY_WARNING)
                .filter(d -> !d.getMessage(java.util.Locale.ROOT).contains("incubating module"))
                .collect(Collectors.toList());
        if (!problems.isEmpty()) {
            fail("compilation reported " + problems.size() + " problem(s):\n" + problems.stream()
                    .map(Object::toString).collect(Collectors.joining("\n")));
        }
        assertEquals(Compilation.Status.SUCCESS, compilation.status());
        return new CompiledNetworks(compilation);
    }

    /** Loads the classes of a compilation the caller has checked itself (one with expected warnings). */
    static CompiledNetworks of(Compilation compilation) {
        assertEquals(Compilation.Status.SUCCESS, compilation.status(), compilation.diagnostics().toString());
        return new CompiledNetworks(compilation);
    }

    static CompiledNetworks compile(String qualifiedName, String source) {
        return compile(Map.of(qualifiedName, source));
    }

    /**
     * The compiler every test uses: javac with the processor and every lint warning on but
     * "processing", which warns that no processor claims the {@code @Generated} on the output.
     */
    static Compiler javac() {
        return javac(new NetworkProcessor());
    }

    /** As {@link #javac()}, with {@code processor} (a wrapped or specially made {@link NetworkProcessor}). */
    static Compiler javac(javax.annotation.processing.Processor processor) {
        return Compiler.javac().withProcessors(processor).withOptions("-Xlint:all,-processing");
    }

    Compilation compilation() {
        return compilation;
    }

    /** A new instance of a generated network, made with its {@code (long seed)} constructor. */
    Model newNetwork(String qualifiedName, long seed) {
        try {
            Class<?> type = loader.loadClass(qualifiedName);
            return (Model) type.getConstructor(long.class).newInstance(seed);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot instantiate " + qualifiedName, e);
        }
    }

    /** Writes every class file javac produced under {@code directory}, in package folders. */
    void writeClasses(java.nio.file.Path directory) throws IOException {
        for (JavaFileObject file : compilation.generatedFiles()) {
            if (file.getKind() == JavaFileObject.Kind.CLASS) {
                String path = file.toUri().getPath();
                int start = path.indexOf("/CLASS_OUTPUT/");
                String relative = start >= 0 ? path.substring(start + "/CLASS_OUTPUT/".length()) : path.substring(1);
                java.nio.file.Path target = directory.resolve(relative);
                java.nio.file.Files.createDirectories(target.getParent());
                try (InputStream in = file.openInputStream()) {
                    java.nio.file.Files.write(target, in.readAllBytes());
                }
            }
        }
    }

    /** The bytes of a generated class file, by binary name ({@code a.b.C$D}). */
    byte[] classBytes(String binaryName) {
        String path = "/" + binaryName.replace('.', '/') + ".class";
        for (JavaFileObject file : compilation.generatedFiles()) {
            if (file.getKind() == JavaFileObject.Kind.CLASS && file.toUri().getPath().endsWith(path)) {
                try (InputStream in = file.openInputStream()) {
                    return in.readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return null;
    }

    /** Defines the classes javac wrote in memory; everything else comes from the test class path. */
    private static final class GeneratedClassLoader extends ClassLoader {

        private final Map<String, JavaFileObject> classes = new HashMap<>();

        GeneratedClassLoader(Compilation compilation, ClassLoader parent) {
            super(parent);
            for (JavaFileObject file : compilation.generatedFiles()) {
                if (file.getKind() == JavaFileObject.Kind.CLASS) {
                    String path = file.toUri().getPath();
                    int start = path.indexOf("/CLASS_OUTPUT/");
                    String relative = start >= 0 ? path.substring(start + "/CLASS_OUTPUT/".length()) : path.substring(1);
                    classes.put(relative.substring(0, relative.length() - ".class".length()).replace('/', '.'), file);
                }
            }
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            JavaFileObject file = classes.get(name);
            if (file == null) {
                throw new ClassNotFoundException(name);
            }
            try (InputStream in = file.openInputStream()) {
                byte[] bytes = in.readAllBytes();
                return defineClass(name, bytes, 0, bytes.length);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }
}
