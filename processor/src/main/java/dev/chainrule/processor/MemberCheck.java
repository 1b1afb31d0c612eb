package dev.chainrule.processor;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.chainrule.processor.model.NetworkSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * The rules that compare the spec's members with the class about to be generated, so that a
 * spec which would make the generated code fail to compile gets a precise message instead:
 * abstract methods the generated class leaves unimplemented, methods it would clash with, names
 * that would hide what the generated code refers to, and (a bug of ours, not the user's) a
 * generated class that declares a member twice. Runs on the emitted {@link TypeSpec}, so it
 * follows whatever the emitters write.
 */
final class MemberCheck {

    /**
     * The types the generated code names by their simple name in code written as text, where
     * JavaPoet cannot qualify them (anything written with {@code $T} is qualified when hidden,
     * see {@link GeneratedFiles}); a type, field or member class of the same name would hide
     * them. Drop an entry once the emitters write it with {@code $T}.
     */
    static final Map<String, String> NAMES_WRITTEN_AS_TEXT = Map.of("Math", "java.lang.Math", "System", "java.lang.System");

    private static final String MODEL = "dev.chainrule.Model";

    private final Elements elements;
    private final Types types;
    private final Diagnostics diagnostics;

    MemberCheck(Elements elements, Types types, Diagnostics diagnostics) {
        this.elements = elements;
        this.types = types;
        this.diagnostics = diagnostics;
    }

    /**
     * The rules that need only the spec: names that would be hidden, abstract methods no
     * generated class implements, and inherited implementations of {@code Model}'s methods that
     * cannot serve. {@code generatedName} is null when the spec could not be read in full.
     */
    void checkSpec(SpecLocations where, String generatedName) {
        TypeElement type = where.type();
        List<Element> members = visibleMembers(type);
        checkHiddenNames(type, where, members, generatedName);
        checkInheritedMethods(type, where, members);
    }

    /**
     * The rules that compare the spec with the emitted class: methods the generated class
     * declares that the spec's methods would clash with, a nested class with the generated
     * class's own name, and members the generated class declares twice.
     */
    void checkGenerated(NetworkSpec spec, SpecLocations where, TypeSpec generated) {
        checkGeneratedClass(generated, where, spec.generatedName());
        TypeElement type = where.type();
        checkOverrides(type, where, visibleMembers(type), generated, spec);
    }

    /** Members of the spec that the generated class inherits: not private, and accessible from its package. */
    private List<Element> visibleMembers(TypeElement type) {
        PackageElement pkg = elements.getPackageOf(type);
        List<Element> visible = new ArrayList<>();
        for (Element member : elements.getAllMembers(type)) {
            Set<Modifier> modifiers = member.getModifiers();
            if (modifiers.contains(Modifier.PRIVATE)) {
                continue;
            }
            boolean packagePrivate = !modifiers.contains(Modifier.PUBLIC) && !modifiers.contains(Modifier.PROTECTED);
            if (packagePrivate && !elements.getPackageOf(member).equals(pkg)) {
                continue;
            }
            visible.add(member);
        }
        return visible;
    }

    // ---- the generated class against itself

    private void checkGeneratedClass(TypeSpec generated, SpecLocations where, String generatedName) {
        for (TypeSpec nested : generated.typeSpecs()) {
            if (nested.name().equals(generatedName)) {
                diagnostics.report(Message.NESTED_NAME_CLASH, where.type(), where.network(),
                        where.networkValues().get("name"), generatedName);
                return;
            }
        }
        String duplicate = duplicateMember(generated, generatedName);
        if (duplicate != null) {
            diagnostics.report(Message.INTERNAL_ERROR, where.type(), where.network(),
                    where.type().getSimpleName(), duplicate);
        }
    }

    /** A description of a member the generated class (or a class in it) declares twice, or null. */
    private static String duplicateMember(TypeSpec type, String path) {
        Set<String> fields = new HashSet<>();
        for (FieldSpec field : type.fieldSpecs()) {
            if (!fields.add(field.name())) {
                return "the generated class " + path + " declares the field " + field.name() + " twice";
            }
        }
        Set<String> methods = new HashSet<>();
        for (MethodSpec method : type.methodSpecs()) {
            String signature = (method.isConstructor() ? "<init>" : method.name()) + parameterTypes(method);
            if (!methods.add(signature)) {
                return "the generated class " + path + " declares the method " + signature + " twice";
            }
        }
        Set<String> nested = new HashSet<>();
        for (TypeSpec inner : type.typeSpecs()) {
            if (!nested.add(inner.name())) {
                return "the generated class " + path + " declares the class " + inner.name() + " twice";
            }
            String found = duplicateMember(inner, path + "." + inner.name());
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    // ---- names

    private void checkHiddenNames(TypeElement type, SpecLocations where, List<Element> members, String generatedName) {
        Map<String, String> hidden = new LinkedHashMap<>();
        NAMES_WRITTEN_AS_TEXT.keySet().stream().sorted()
                .forEach(name -> hidden.put(name, "the class " + NAMES_WRITTEN_AS_TEXT.get(name)));
        for (Element member : members) {
            String name = member.getSimpleName().toString();
            boolean memberType = member.getKind().isClass() || member.getKind().isInterface();
            boolean field = member.getKind() == ElementKind.FIELD;
            String what;
            if (memberType && name.equals(generatedName)) {
                what = "the generated class itself";
            } else if ((memberType || field) && hidden.containsKey(name)) {
                what = hidden.get(name);
            } else {
                continue;
            }
            String kind = memberType ? "a member class" : "a field";
            report(Message.HIDDEN_NAME, member, type, where, describe(type), kind, name, what);
            return;
        }
        PackageElement pkg = elements.getPackageOf(type);
        for (Element sibling : pkg.getEnclosedElements()) {
            String name = sibling.getSimpleName().toString();
            if (hidden.containsKey(name)) {
                diagnostics.report(Message.HIDDEN_NAME, type, where.network(),
                        pkg.isUnnamed() ? "the unnamed package" : "package " + pkg.getQualifiedName(), "a class", name,
                        hidden.get(name));
                return;
            }
        }
    }

    // ---- methods

    /**
     * Abstract methods that no generated class implements (it implements {@code Model}'s
     * abstract methods, nothing else), and concrete methods the generated class would inherit
     * as its implementation of one of {@code Model}'s default methods.
     */
    private void checkInheritedMethods(TypeElement type, SpecLocations where, List<Element> members) {
        TypeElement model = elements.getTypeElement(MODEL);
        Map<String, ExecutableElement> modelMethods = new LinkedHashMap<>();
        if (model != null) {
            for (ExecutableElement method : ElementFilter.methodsIn(model.getEnclosedElements())) {
                if (!method.getModifiers().contains(Modifier.STATIC)) {
                    modelMethods.put(signature(method), method);
                }
            }
        }
        List<ExecutableElement> methods = ElementFilter.methodsIn(members);
        for (ExecutableElement method : methods) {
            if (method.getEnclosingElement().equals(model)) {
                continue; // the spec implements Model itself, as the generated class does
            }
            ExecutableElement fromModel = modelMethods.get(signature(method));
            boolean generatedImplements = fromModel != null && fromModel.getModifiers().contains(Modifier.ABSTRACT);
            if (method.getModifiers().contains(Modifier.ABSTRACT)) {
                if (!generatedImplements && !implemented(method, methods, type)) {
                    report(Message.ABSTRACT_METHOD, method, type, where, describe(method), inherited(method, type));
                }
            } else if (fromModel != null && !generatedImplements) {
                String problem = implementationProblem(method, fromModel);
                if (problem != null) {
                    report(Message.METHOD_CONFLICT, method, type, where, describe(method), inherited(method, type),
                            problem);
                }
            }
        }
    }

    /** The spec's methods that a method the generated class declares would override, and cannot. */
    private void checkOverrides(TypeElement type, SpecLocations where, List<Element> members, TypeSpec generated,
            NetworkSpec spec) {
        Map<String, MethodSpec> declared = new LinkedHashMap<>();
        for (MethodSpec method : generated.methodSpecs()) {
            if (!method.isConstructor()) {
                declared.put(method.name() + parameterTypes(method), method);
            }
        }
        TypeElement model = elements.getTypeElement(MODEL);
        for (ExecutableElement method : ElementFilter.methodsIn(members)) {
            if (method.getEnclosingElement().equals(model)) {
                continue;
            }
            MethodSpec generatedMethod = declared.get(signature(method));
            if (generatedMethod != null) {
                String problem = overrideProblem(method, generatedMethod, spec, type, generated);
                if (problem != null) {
                    report(Message.METHOD_CONFLICT, method, type, where, describe(method), inherited(method, type),
                            problem);
                }
            }
        }
    }

    /** Whether a concrete method the spec inherits implements {@code method}. */
    private boolean implemented(ExecutableElement method, List<ExecutableElement> methods, TypeElement type) {
        for (ExecutableElement other : methods) {
            if (other != method && !other.getModifiers().contains(Modifier.ABSTRACT)
                    && elements.overrides(other, method, type)) {
                return true;
            }
        }
        return false;
    }

    /** Why the generated {@code overrider} cannot override the spec's {@code method}, or null. */
    private String overrideProblem(ExecutableElement method, MethodSpec overrider, NetworkSpec spec, TypeElement type,
            TypeSpec generated) {
        Set<Modifier> modifiers = method.getModifiers();
        if (modifiers.contains(Modifier.FINAL)) {
            return "it is final, so the generated network cannot override it";
        }
        if (modifiers.contains(Modifier.STATIC) != overrider.modifiers().contains(Modifier.STATIC)) {
            return modifiers.contains(Modifier.STATIC)
                    ? "it is static, and the generated method is not"
                    : "the generated method is static, and it is not";
        }
        if (access(overrider.modifiers()) < access(modifiers)) {
            return "the generated method is " + accessName(overrider.modifiers()) + ", and cannot override a "
                    + accessName(modifiers) + " method";
        }
        TypeMirror expected = method.getReturnType();
        if (expected.getKind() == TypeKind.ERROR) {
            return null;
        }
        if (!returnsCompatible(overrider.returnType(), expected, spec, type, generated)) {
            return "it returns " + expected + ", but the generated method returns " + overrider.returnType();
        }
        return null;
    }

    /** Why the spec's concrete {@code method} cannot implement {@code fromModel} in the generated class, or null. */
    private String implementationProblem(ExecutableElement method, ExecutableElement fromModel) {
        if (method.getModifiers().contains(Modifier.STATIC)) {
            return "it is static, but has the signature of " + MODEL + "." + fromModel.getSimpleName()
                    + ", which the generated network implements";
        }
        if (!method.getModifiers().contains(Modifier.PUBLIC)) {
            return "it is not public, but the generated network inherits it as its implementation of the public "
                    + MODEL + "." + fromModel.getSimpleName();
        }
        TypeMirror returned = method.getReturnType();
        if (returned.getKind() != TypeKind.ERROR && !compatible(returned, fromModel.getReturnType())) {
            return "it returns " + returned + ", but " + MODEL + "." + fromModel.getSimpleName() + " returns "
                    + fromModel.getReturnType();
        }
        return null;
    }

    /** Whether a method returning {@code actual} may override one returning {@code expected}. */
    private boolean compatible(TypeMirror actual, TypeMirror expected) {
        if (actual.getKind().isPrimitive() || expected.getKind().isPrimitive()
                || actual.getKind() == TypeKind.VOID || expected.getKind() == TypeKind.VOID) {
            return types.isSameType(actual, expected) || actual.getKind() == expected.getKind() && actual.getKind() == TypeKind.VOID;
        }
        return types.isAssignable(actual, expected);
    }

    private boolean returnsCompatible(TypeName returned, TypeMirror expected, NetworkSpec spec, TypeElement type,
            TypeSpec generated) {
        ClassName generatedName = ClassName.get(spec.packageName(), spec.generatedName());
        TypeName raw = returned instanceof ParameterizedTypeName p ? p.rawType() : returned;
        if (raw.equals(generatedName)) {
            // The generated class extends the spec and implements Model.
            TypeElement model = elements.getTypeElement(MODEL);
            return compatible(type.asType(), expected) || model != null && compatible(model.asType(), expected);
        }
        if (raw instanceof ClassName className && generatedName.equals(className.enclosingClassName())) {
            for (TypeSpec nested : generated.typeSpecs()) {
                if (nested.name().equals(className.simpleName())) {
                    List<TypeName> supertypes = new ArrayList<>(nested.superinterfaces());
                    supertypes.add(nested.superclass());
                    for (TypeName supertype : supertypes) {
                        TypeMirror mirror = mirror(supertype);
                        if (mirror != null && compatible(mirror, expected)) {
                            return true;
                        }
                    }
                    return false;
                }
            }
        }
        TypeMirror mirror = mirror(returned);
        return mirror == null || compatible(mirror, expected);
    }

    /** The type {@code name} stands for, or null where it cannot be told (then nothing is reported). */
    private TypeMirror mirror(TypeName name) {
        if (name.isPrimitive()) {
            return types.getPrimitiveType(TypeKind.valueOf(name.toString().toUpperCase(java.util.Locale.ROOT)));
        }
        if (TypeName.VOID.equals(name)) {
            return types.getNoType(TypeKind.VOID);
        }
        if (name instanceof ArrayTypeName array) {
            TypeMirror component = mirror(array.componentType());
            return component == null ? null : types.getArrayType(component);
        }
        if (name instanceof ClassName className) {
            TypeElement element = elements.getTypeElement(className.canonicalName());
            return element == null ? null : types.erasure(element.asType());
        }
        if (name instanceof ParameterizedTypeName parameterized) {
            TypeElement element = elements.getTypeElement(parameterized.rawType().canonicalName());
            if (element == null || element.getTypeParameters().size() != parameterized.typeArguments().size()) {
                return null;
            }
            TypeMirror[] arguments = new TypeMirror[parameterized.typeArguments().size()];
            for (int i = 0; i < arguments.length; i++) {
                TypeName argument = parameterized.typeArguments().get(i);
                arguments[i] = argument instanceof ClassName || argument instanceof ArrayTypeName ? mirror(argument) : null;
                if (arguments[i] == null) {
                    return types.erasure(element.asType());
                }
            }
            return types.getDeclaredType(element, arguments);
        }
        return null;
    }

    private static int access(Set<Modifier> modifiers) {
        if (modifiers.contains(Modifier.PUBLIC)) {
            return 3;
        }
        if (modifiers.contains(Modifier.PROTECTED)) {
            return 2;
        }
        return modifiers.contains(Modifier.PRIVATE) ? 0 : 1;
    }

    private static String accessName(Set<Modifier> modifiers) {
        return switch (access(modifiers)) {
            case 3 -> "public";
            case 2 -> "protected";
            case 1 -> "package-private";
            default -> "private";
        };
    }

    // ---- signatures and reporting

    private String signature(ExecutableElement method) {
        StringBuilder s = new StringBuilder(method.getSimpleName()).append('(');
        List<? extends VariableElement> parameters = method.getParameters();
        for (int i = 0; i < parameters.size(); i++) {
            s.append(i == 0 ? "" : ",").append(types.erasure(parameters.get(i).asType()));
        }
        return s.append(')').toString();
    }

    private static String parameterTypes(MethodSpec method) {
        StringBuilder s = new StringBuilder("(");
        List<ParameterSpec> parameters = method.parameters();
        for (int i = 0; i < parameters.size(); i++) {
            s.append(i == 0 ? "" : ",").append(erasure(parameters.get(i).type()));
        }
        return s.append(')').toString();
    }

    private static String erasure(TypeName type) {
        if (type instanceof ParameterizedTypeName parameterized) {
            return parameterized.rawType().canonicalName();
        }
        if (type instanceof ArrayTypeName array) {
            return erasure(array.componentType()) + "[]";
        }
        if (type instanceof ClassName className) {
            return className.canonicalName();
        }
        return type.withoutAnnotations().toString();
    }

    private String describe(ExecutableElement method) {
        StringBuilder s = new StringBuilder(method.getSimpleName()).append('(');
        List<? extends VariableElement> parameters = method.getParameters();
        for (int i = 0; i < parameters.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(parameters.get(i).asType());
        }
        return s.append(')').toString();
    }

    private static String describe(TypeElement type) {
        return "@Network class " + type.getSimpleName();
    }

    /** " (inherited from X)" for a member declared outside the spec, else "". */
    private static String inherited(Element member, TypeElement type) {
        Element owner = member.getEnclosingElement();
        return owner.equals(type) ? "" : " (inherited from " + ((TypeElement) owner).getQualifiedName() + ")";
    }

    /**
     * Reports on the member itself where the spec declares it; a member inherited from elsewhere
     * (perhaps a class file, where javac could show no source) is reported on the spec's
     * {@code @Network}, its text naming where it comes from.
     */
    private void report(Message message, Element member, TypeElement type, SpecLocations where, Object... arguments) {
        if (member.getEnclosingElement().equals(type)) {
            diagnostics.report(message, member, arguments);
        } else {
            diagnostics.report(message, type, where.network(), arguments);
        }
    }
}
