package dev.chainrule.processor;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.annotation.processing.Completion;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.FileObject;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;

/**
 * Runs a processor in an environment the test controls: every file it asks the {@link Filer}
 * for is recorded with its originating elements, and {@link #faults} may replace the
 * {@link Elements}, {@link Types} or {@link Filer} it sees (to make a stage fail where a real
 * compiler would not).
 */
final class RecordingProcessor implements Processor {

    /** One file the Filer created. */
    record Created(String kind, String name, List<Element> originatingElements) {}

    /** Replacements for the utilities the processor gets; each default returns the real one. */
    record Faults(UnaryOperator<Elements> elements, UnaryOperator<Types> types, UnaryOperator<Filer> filer) {
        static final Faults NONE = new Faults(e -> e, t -> t, f -> f);
    }

    private final Processor delegate;
    private final Faults faults;
    private final List<Created> created = new ArrayList<>();

    RecordingProcessor(Processor delegate) {
        this(delegate, Faults.NONE);
    }

    RecordingProcessor(Processor delegate, Faults faults) {
        this.delegate = delegate;
        this.faults = faults;
    }

    /** Every file the Filer created for the processor, in order. */
    List<Created> created() {
        return List.copyOf(created);
    }

    @Override
    public void init(ProcessingEnvironment real) {
        Elements elements = faults.elements().apply(real.getElementUtils());
        Types types = faults.types().apply(real.getTypeUtils());
        Filer filer = faults.filer().apply(new RecordingFiler(real.getFiler()));
        delegate.init(new ProcessingEnvironment() {
            @Override
            public Map<String, String> getOptions() {
                return real.getOptions();
            }

            @Override
            public Messager getMessager() {
                return real.getMessager();
            }

            @Override
            public Filer getFiler() {
                return filer;
            }

            @Override
            public Elements getElementUtils() {
                return elements;
            }

            @Override
            public Types getTypeUtils() {
                return types;
            }

            @Override
            public SourceVersion getSourceVersion() {
                return real.getSourceVersion();
            }

            @Override
            public java.util.Locale getLocale() {
                return real.getLocale();
            }
        });
    }

    @Override
    public Set<String> getSupportedOptions() {
        return delegate.getSupportedOptions();
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return delegate.getSupportedAnnotationTypes();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return delegate.getSupportedSourceVersion();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        return delegate.process(annotations, round);
    }

    @Override
    public Iterable<? extends Completion> getCompletions(Element element, AnnotationMirror annotation,
            ExecutableElement member, String userText) {
        return delegate.getCompletions(element, annotation, member, userText);
    }

    /** Runs before a call is passed on; may throw to make the call fail. */
    interface Before {
        void call(String method, Object[] arguments);
    }

    /** Sees the result of a call and returns what the caller gets instead. */
    interface After {
        Object call(String method, Object[] arguments, Object result);
    }

    /** A proxy of {@code type} whose {@code method} throws {@code failure}; every other call goes to {@code real}. */
    static <T> T failing(Class<T> type, T real, String method, RuntimeException failure) {
        return delegating(type, real, (called, arguments, result) -> result, (called, arguments) -> {
            if (called.equals(method)) {
                throw failure;
            }
        });
    }

    /** A proxy of {@code type} that passes every call to {@code real} and its result through {@code after}. */
    static <T> T delegating(Class<T> type, T real, After after) {
        return delegating(type, real, after, (called, arguments) -> {});
    }

    /** As {@link #delegating(Class, Object, After)}, calling {@code before} first. */
    static <T> T delegating(Class<T> type, T real, After after, Before before) {
        InvocationHandler handler = (proxy, called, arguments) -> {
            before.call(called.getName(), arguments);
            Object result;
            try {
                result = called.invoke(real, arguments);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            return after.call(called.getName(), arguments, result);
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private final class RecordingFiler implements Filer {

        private final Filer real;

        RecordingFiler(Filer real) {
            this.real = real;
        }

        @Override
        public JavaFileObject createSourceFile(CharSequence name, Element... originatingElements) throws IOException {
            JavaFileObject file = real.createSourceFile(name, originatingElements);
            created.add(new Created("source", name.toString(), List.of(originatingElements)));
            return file;
        }

        @Override
        public JavaFileObject createClassFile(CharSequence name, Element... originatingElements) throws IOException {
            JavaFileObject file = real.createClassFile(name, originatingElements);
            created.add(new Created("class", name.toString(), List.of(originatingElements)));
            return file;
        }

        @Override
        public FileObject createResource(JavaFileManager.Location location, CharSequence moduleAndPkg,
                CharSequence relativeName, Element... originatingElements) throws IOException {
            FileObject file = real.createResource(location, moduleAndPkg, relativeName, originatingElements);
            created.add(new Created("resource", moduleAndPkg + "/" + relativeName, List.of(originatingElements)));
            return file;
        }

        @Override
        public FileObject getResource(JavaFileManager.Location location, CharSequence moduleAndPkg,
                CharSequence relativeName) throws IOException {
            return real.getResource(location, moduleAndPkg, relativeName);
        }
    }
}
