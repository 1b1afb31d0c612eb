package dev.chainrule.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import dev.chainrule.processor.emit.HeaderComment;
import dev.chainrule.processor.emit.NetworkEmitter;
import dev.chainrule.processor.plan.NetworkPlan;
import dev.chainrule.processor.plan.NetworkPlanner;
import java.io.IOException;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Generated;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/**
 * Generates {@code <Spec>Network} for every class annotated with {@code @Network}:
 * read, validate, plan, emit, write. Reports problems as diagnostics on the spec and never
 * throws to javac; a broken spec does not stop the others from generating.
 */
@AutoService(Processor.class)
public final class NetworkProcessor extends AbstractProcessor {

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        // @Input and @Dense are claimed too: they mean nothing to any other processor, and
        // -Xlint:processing would otherwise warn that no processor claimed them.
        return Set.of(SpecReader.NETWORK, SpecReader.INPUT, SpecReader.DENSE);
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        TypeElement network = processingEnv.getElementUtils().getTypeElement(SpecReader.NETWORK);
        if (network == null) {
            return false;
        }
        for (Element element : round.getElementsAnnotatedWith(network)) {
            generate(element);
        }
        return true;
    }

    private void generate(Element element) {
        Diagnostics diagnostics = new Diagnostics(processingEnv.getMessager());
        try {
            SpecReader.Result read = new SpecReader(
                    processingEnv.getElementUtils(), processingEnv.getTypeUtils(), diagnostics).read(element);
            if (read == null) {
                return;
            }
            if (!new SpecValidator(processingEnv.getElementUtils(), diagnostics).validate(read.spec(), read.locations())) {
                return;
            }
            boolean vector = switch (read.spec().simd()) {
                case PORTABLE -> false;
                case VECTOR -> true;
                case AUTO -> SpecValidator.vectorApiVisible(processingEnv.getElementUtils());
            };
            NetworkPlan plan = NetworkPlanner.plan(read.spec(), vector);
            write(plan, read.locations().type());
        } catch (RuntimeException | IOException | LinkageError e) {
            diagnostics.report(Message.INTERNAL_ERROR, element, element.getSimpleName(), e);
        }
    }

    private void write(NetworkPlan plan, TypeElement origin) throws IOException {
        TypeSpec type = new NetworkEmitter(plan).emit().toBuilder()
                .addAnnotation(AnnotationSpec.builder(Generated.class)
                        .addMember("value", "$S", NetworkProcessor.class.getName())
                        .build())
                .addOriginatingElement(origin)
                .build();
        JavaFile.Builder file = JavaFile.builder(plan.spec().packageName(), type)
                .addFileComment("$L", HeaderComment.of(plan));
        if (plan.vector()) {
            file.addStaticImport(NetworkEmitter.VECTOR_OPERATORS, "GT");
        }
        file
                .skipJavaLangImports(true)
                .indent("    ")
                .build()
                .writeTo(processingEnv.getFiler());
    }
}
