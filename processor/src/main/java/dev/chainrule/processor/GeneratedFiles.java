package dev.chainrule.processor;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import dev.chainrule.processor.emit.HeaderComment;
import dev.chainrule.processor.emit.NetworkEmitter;
import dev.chainrule.processor.plan.NetworkPlan;
import java.io.IOException;
import java.io.Writer;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.processing.FilerException;
import javax.annotation.processing.Generated;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;

/**
 * The one place that decorates and writes every generated file: {@code @Generated}, the header
 * comment, the spec as the file's one originating element (what Gradle's isolating mode and IDEs
 * need), names that must be written qualified, and no {@code java.lang} imports.
 */
final class GeneratedFiles {

    private final ProcessingEnvironment environment;
    private final Diagnostics diagnostics;

    GeneratedFiles(ProcessingEnvironment environment, Diagnostics diagnostics) {
        this.environment = environment;
        this.diagnostics = diagnostics;
    }

    /**
     * Writes the generated class of {@code plan}, or reports why it cannot be written.
     *
     * @return whether the file was written
     */
    boolean write(NetworkPlan plan, TypeSpec emitted, SpecLocations where) throws IOException {
        TypeElement origin = where.type();
        TypeSpec.Builder type = emitted.toBuilder()
                .addAnnotation(AnnotationSpec.builder(Generated.class)
                        .addMember("value", "$S", NetworkProcessor.class.getName())
                        .build());
        if (usesDeprecated(origin)) {
            type.addAnnotation(AnnotationSpec.builder(SuppressWarnings.class)
                    .addMember("value", "{$S, $S}", "deprecation", "removal")
                    .build());
        }
        // Inside the generated class the spec's member classes and fields are in scope, and in
        // its package so are the package's classes: a type the generated code names that shares a
        // simple name with one of them must be written qualified.
        type.alwaysQualify(hidingNames(origin).toArray(new String[0]));
        JavaFile.Builder builder = JavaFile.builder(plan.spec().packageName(), type.build())
                .addFileComment("$L", HeaderComment.of(plan));
        if (plan.vector()) {
            builder.addStaticImport(NetworkEmitter.VECTOR_OPERATORS, "GT");
        }
        JavaFile file = builder
                .skipJavaLangImports(true)
                .indent("    ")
                .build();
        String name = plan.spec().packageName().isEmpty()
                ? plan.spec().generatedName()
                : plan.spec().packageName() + "." + plan.spec().generatedName();
        JavaFileObject source;
        try {
            // Exactly one originating element, the spec, whatever the TypeSpec carries.
            source = environment.getFiler().createSourceFile(name, origin);
        } catch (FilerException e) {
            diagnostics.report(Message.CANNOT_WRITE, origin, where.network(), name, e.getMessage());
            return false;
        }
        try (Writer writer = source.openWriter()) {
            file.writeTo(writer);
        }
        return true;
    }

    /** Simple names of the spec's visible member classes and fields, and of the classes in its package, sorted. */
    private Set<String> hidingNames(TypeElement origin) {
        Set<String> names = new TreeSet<>();
        for (Element member : environment.getElementUtils().getAllMembers(origin)) {
            if (!member.getModifiers().contains(Modifier.PRIVATE)
                    && (member.getKind().isField() || member.getKind().isClass() || member.getKind().isInterface())) {
                names.add(member.getSimpleName().toString());
            }
        }
        PackageElement pkg = environment.getElementUtils().getPackageOf(origin);
        for (Element sibling : pkg.getEnclosedElements()) {
            names.add(sibling.getSimpleName().toString());
        }
        return names;
    }

    /**
     * Whether the generated class would use something deprecated: the spec (or a class enclosing
     * it), or a member it inherits (its constructor, layer fields, methods it overrides). Such a
     * spec gets its warnings from javac where it is declared, not from the generated code.
     */
    private boolean usesDeprecated(TypeElement origin) {
        var elements = environment.getElementUtils();
        for (Element e = origin; e instanceof TypeElement; e = e.getEnclosingElement()) {
            if (elements.isDeprecated(e)) {
                return true;
            }
        }
        for (Element member : elements.getAllMembers(origin)) {
            Element owner = member.getEnclosingElement();
            boolean fromObject = owner instanceof TypeElement t && t.getQualifiedName().contentEquals("java.lang.Object");
            if (!fromObject && elements.isDeprecated(member)) {
                return true;
            }
        }
        return false;
    }
}
