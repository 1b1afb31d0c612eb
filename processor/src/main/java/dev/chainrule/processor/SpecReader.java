package dev.chainrule.processor;

import dev.chainrule.Activation;
import dev.chainrule.Init;
import dev.chainrule.Loss;
import dev.chainrule.Optimizer;
import dev.chainrule.Precision;
import dev.chainrule.Simd;
import dev.chainrule.processor.model.DenseSpec;
import dev.chainrule.processor.model.InputSpec;
import dev.chainrule.processor.model.NetworkSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Reads a {@code @Network} class into a {@link NetworkSpec}, reporting what makes the class
 * itself unusable (its kind, modifiers, constructor, layer fields and their order). Rules about
 * values (sizes, activations against the loss, names) are the {@link SpecValidator}'s.
 */
final class SpecReader {

    static final String NETWORK = "dev.chainrule.Network";
    static final String INPUT = "dev.chainrule.Input";
    static final String DENSE = "dev.chainrule.Dense";
    static final String LAYER = "dev.chainrule.Layer";

    /**
     * What reading found: the spec, or null where the class has no input or dense layer (already
     * reported); where each part was declared; and whether the layer fields were read in full, so
     * that rules about the order of the layers (which is the output layer) can be trusted.
     */
    record Result(NetworkSpec spec, SpecLocations locations, boolean layersComplete) {}

    private final Elements elements;
    private final Types types;
    private final Diagnostics diagnostics;

    SpecReader(Elements elements, Types types, Diagnostics diagnostics) {
        this.elements = elements;
        this.types = types;
        this.diagnostics = diagnostics;
    }

    /**
     * A type the spec needs that javac could not resolve (in its supertypes or its layer fields),
     * or null if there is none. Such a type may be generated later in this compilation, so the
     * spec waits for the next round; if it never appears, javac reports it, and any message of
     * ours would only repeat the problem.
     */
    TypeMirror unresolvedType(TypeElement type) {
        TypeMirror unresolved = unresolvedSupertype(type.asType(), new HashSet<>());
        if (unresolved != null) {
            return unresolved;
        }
        for (VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
            if ((annotation(field, INPUT) != null || annotation(field, DENSE) != null)
                    && field.asType().getKind() == TypeKind.ERROR) {
                return field.asType();
            }
        }
        return null;
    }

    /** The first error type among the supertypes of {@code type}, each visited once, and their type arguments. */
    private TypeMirror unresolvedSupertype(TypeMirror type, Set<Element> visited) {
        for (TypeMirror supertype : types.directSupertypes(type)) {
            TypeMirror unresolved = unresolvedIn(supertype);
            if (unresolved != null) {
                return unresolved;
            }
            if (supertype.getKind() == TypeKind.DECLARED && visited.add(types.asElement(supertype))) {
                unresolved = unresolvedSupertype(supertype, visited);
                if (unresolved != null) {
                    return unresolved;
                }
            }
        }
        return null;
    }

    /** The first error type in {@code type} or its type arguments. */
    private static TypeMirror unresolvedIn(TypeMirror type) {
        if (type.getKind() == TypeKind.ERROR) {
            return type;
        }
        if (type instanceof DeclaredType declared) {
            for (TypeMirror argument : declared.getTypeArguments()) {
                TypeMirror unresolved = unresolvedIn(argument);
                if (unresolved != null) {
                    return unresolved;
                }
            }
        }
        return null;
    }

    /**
     * Reads the spec, reporting every error found. Returns null when there is nothing more to
     * check (the element is not a class, or an attribute javac could not evaluate).
     */
    Result read(Element element) {
        AnnotationMirror network = annotation(element, NETWORK);
        if (element.getKind() != ElementKind.CLASS) {
            diagnostics.report(Message.NOT_A_CLASS, element, network, element.getSimpleName(), kindName(element));
            return null;
        }
        TypeElement type = (TypeElement) element;
        checkClass(type, network);

        Map<String, AnnotationValue> networkValues = values(network);
        InputSpec input = null;
        String inputField = null;
        String firstDense = null;
        boolean layersComplete = true;
        List<DenseSpec> dense = new ArrayList<>();
        Map<String, SpecLocations.Layer> layers = new LinkedHashMap<>();
        TypeMirror layerType = layerType();
        for (VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
            AnnotationMirror inputAnnotation = annotation(field, INPUT);
            AnnotationMirror denseAnnotation = annotation(field, DENSE);
            String name = field.getSimpleName().toString();
            if (inputAnnotation == null && denseAnnotation == null) {
                if (layerType != null && field.asType().getKind() != TypeKind.ERROR
                        && types.isSameType(field.asType(), layerType)
                        && !field.getModifiers().contains(Modifier.STATIC)) {
                    diagnostics.report(Message.UNANNOTATED_LAYER, field, name);
                }
                continue;
            }
            if (inputAnnotation != null && denseAnnotation != null) {
                diagnostics.report(Message.TWO_LAYER_ANNOTATIONS, field, denseAnnotation, name);
                layersComplete = false;
                continue;
            }
            AnnotationMirror layerAnnotation = inputAnnotation != null ? inputAnnotation : denseAnnotation;
            checkField(field, layerAnnotation, layerType);
            Map<String, AnnotationValue> values = values(layerAnnotation);
            layers.put(name, new SpecLocations.Layer(field, layerAnnotation, values, inputAnnotation != null));
            if (inputAnnotation != null) {
                Integer size = intValue(values.get("value"));
                if (size == null) {
                    return null; // javac reports the attribute it could not evaluate
                }
                if (inputField != null) {
                    diagnostics.report(Message.MULTIPLE_INPUTS, field, inputAnnotation, name, inputField);
                    continue;
                }
                if (firstDense != null) {
                    diagnostics.report(Message.INPUT_NOT_FIRST, field, inputAnnotation, name, firstDense);
                }
                input = new InputSpec(name, size);
                inputField = name;
            } else {
                Integer units = intValue(values.get("units"));
                Activation activation = enumValue(field, denseAnnotation, values.get("activation"), Activation.class);
                Double alpha = doubleValue(values.get("alpha"));
                Init init = enumValue(field, denseAnnotation, values.get("init"), Init.class);
                Double dropout = doubleValue(values.get("dropout"));
                if (units == null || activation == null || alpha == null || init == null || dropout == null) {
                    return null;
                }
                if (firstDense == null) {
                    firstDense = name;
                }
                dense.add(new DenseSpec(name, units, activation, alpha, init, dropout));
            }
        }
        if (inputField == null) {
            diagnostics.report(Message.NO_INPUT, type, network, type.getSimpleName());
        }
        if (dense.isEmpty()) {
            diagnostics.report(Message.NO_DENSE, type, network, type.getSimpleName());
        }
        Loss loss = enumValue(type, network, networkValues.get("loss"), Loss.class);
        Precision precision = enumValue(type, network, networkValues.get("precision"), Precision.class);
        Simd simd = enumValue(type, network, networkValues.get("simd"), Simd.class);
        Integer unrollMaxWeights = intValue(networkValues.get("unrollMaxWeights"));
        String name = stringValue(networkValues.get("name"));
        Double huberDelta = doubleValue(networkValues.get("huberDelta"));
        Optimizer optimizer = enumValue(type, network, networkValues.get("optimizer"), Optimizer.class);
        if (loss == null || precision == null || simd == null || unrollMaxWeights == null || name == null
                || huberDelta == null || optimizer == null) {
            return null;
        }
        SpecLocations locations = new SpecLocations(type, network, networkValues, layers);
        if (input == null || dense.isEmpty()) {
            return new Result(null, locations, layersComplete);
        }
        List<String> specNames = specNames(type);
        String generatedName = name.isEmpty() ? String.join("_", specNames) + "Network" : name;
        NetworkSpec spec = new NetworkSpec(
                packageName(type), specNames, generatedName, loss, precision, simd, unrollMaxWeights, input, dense,
                huberDelta, optimizer);
        return new Result(spec, locations, layersComplete);
    }

    private void checkClass(TypeElement type, AnnotationMirror network) {
        Object name = type.getSimpleName();
        if (type.getModifiers().contains(Modifier.FINAL)) {
            diagnostics.report(Message.FINAL_CLASS, type, network, name);
        }
        if (type.getModifiers().contains(Modifier.SEALED)) {
            diagnostics.report(Message.SEALED_CLASS, type, network, name);
        }
        boolean isPrivate = type.getModifiers().contains(Modifier.PRIVATE);
        if (isPrivate) {
            diagnostics.report(Message.PRIVATE_CLASS, type, network, name);
        }
        for (Element enclosing = type.getEnclosingElement(); enclosing instanceof TypeElement outer;
                enclosing = outer.getEnclosingElement()) {
            if (outer.getModifiers().contains(Modifier.PRIVATE)) {
                diagnostics.report(Message.PRIVATE_ENCLOSING_CLASS, type, network, name, outer.getSimpleName(),
                        outer.getSimpleName());
                break;
            }
        }
        if (type.getNestingKind() == NestingKind.MEMBER && !type.getModifiers().contains(Modifier.STATIC)) {
            diagnostics.report(Message.INNER_CLASS, type, network, name);
        } else if (type.getNestingKind() == NestingKind.LOCAL || type.getNestingKind() == NestingKind.ANONYMOUS) {
            diagnostics.report(Message.INNER_CLASS, type, network, name);
        }
        if (!type.getTypeParameters().isEmpty()) {
            diagnostics.report(Message.GENERIC_CLASS, type, network, name);
        }
        if (!isPrivate) {
            // A private class's implicit constructor is private too: one error says it all.
            checkConstructor(type, network);
        }
        TypeElement serializable = elements.getTypeElement("java.io.Serializable");
        if (serializable != null && types.isAssignable(type.asType(), types.erasure(serializable.asType()))) {
            diagnostics.report(Message.SERIALIZABLE, type, network, name);
        }
    }

    private void checkConstructor(TypeElement type, AnnotationMirror network) {
        ExecutableElement usable = null;
        for (ExecutableElement constructor : ElementFilter.constructorsIn(type.getEnclosedElements())) {
            if (constructor.getParameters().isEmpty() && !constructor.getModifiers().contains(Modifier.PRIVATE)) {
                usable = constructor;
            }
        }
        if (usable == null) {
            diagnostics.report(Message.NO_CONSTRUCTOR, type, network, type.getSimpleName());
            return;
        }
        TypeMirror unchecked = typeOf(RuntimeException.class);
        TypeMirror error = typeOf(Error.class);
        for (TypeMirror thrown : usable.getThrownTypes()) {
            if (thrown.getKind() == TypeKind.DECLARED && !types.isSubtype(thrown, unchecked)
                    && !types.isSubtype(thrown, error)) {
                diagnostics.report(Message.CONSTRUCTOR_THROWS, usable, type.getSimpleName(), thrown);
                return;
            }
        }
    }

    private TypeMirror typeOf(Class<?> type) {
        return elements.getTypeElement(type.getCanonicalName()).asType();
    }

    private void checkField(VariableElement field, AnnotationMirror annotation, TypeMirror layerType) {
        String name = field.getSimpleName().toString();
        if (layerType != null && field.asType().getKind() != TypeKind.ERROR
                && !types.isSameType(field.asType(), layerType)) {
            diagnostics.report(Message.FIELD_NOT_LAYER, field, annotation, name, field.asType());
        }
        if (field.getModifiers().contains(Modifier.PRIVATE)) {
            diagnostics.report(Message.FIELD_PRIVATE, field, annotation, name);
        }
        if (field.getModifiers().contains(Modifier.FINAL)) {
            diagnostics.report(Message.FIELD_FINAL, field, annotation, name);
        }
        if (field.getModifiers().contains(Modifier.STATIC)) {
            diagnostics.report(Message.FIELD_STATIC, field, annotation, name);
        }
    }

    private TypeMirror layerType() {
        TypeElement layer = elements.getTypeElement(LAYER);
        return layer == null ? null : layer.asType();
    }

    private static List<String> specNames(TypeElement type) {
        List<String> names = new ArrayList<>();
        Element current = type;
        while (current instanceof TypeElement) {
            names.add(0, current.getSimpleName().toString());
            current = current.getEnclosingElement();
        }
        return names;
    }

    private String packageName(TypeElement type) {
        PackageElement pkg = elements.getPackageOf(type);
        return pkg.isUnnamed() ? "" : pkg.getQualifiedName().toString();
    }

    static AnnotationMirror annotation(Element element, String qualifiedName) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            TypeElement annotationType = (TypeElement) mirror.getAnnotationType().asElement();
            if (annotationType.getQualifiedName().contentEquals(qualifiedName)) {
                return mirror;
            }
        }
        return null;
    }

    private Map<String, AnnotationValue> values(AnnotationMirror mirror) {
        Map<String, AnnotationValue> values = new LinkedHashMap<>();
        elements.getElementValuesWithDefaults(mirror)
                .forEach((method, value) -> values.put(method.getSimpleName().toString(), value));
        return values;
    }

    // An attribute javac could not evaluate (an unresolved constant, a missing required value)
    // reads as null: javac reports it, and the spec is not checked further.

    private static Integer intValue(AnnotationValue value) {
        return value != null && value.getValue() instanceof Integer i ? i : null;
    }

    private static Double doubleValue(AnnotationValue value) {
        return value != null && value.getValue() instanceof Double d ? d : null;
    }

    private static String stringValue(AnnotationValue value) {
        return value != null && value.getValue() instanceof String s ? s : null;
    }

    /**
     * The constant of {@code type} named by {@code value}. A name this processor does not know
     * means a chainrule runtime newer than the processor: reported on the value.
     */
    private <E extends Enum<E>> E enumValue(Element on, AnnotationMirror mirror, AnnotationValue value, Class<E> type) {
        if (value != null && value.getValue() instanceof VariableElement constant) {
            for (E candidate : type.getEnumConstants()) {
                if (constant.getSimpleName().contentEquals(candidate.name())) {
                    return candidate;
                }
            }
            diagnostics.report(Message.UNKNOWN_CONSTANT, on, mirror, value, type.getSimpleName(), constant.getSimpleName());
        }
        return null;
    }

    private static String kindName(Element element) {
        return switch (element.getKind()) {
            case INTERFACE -> "an interface";
            case ENUM -> "an enum";
            case ANNOTATION_TYPE -> "an annotation type";
            case RECORD -> "a record";
            default -> "a " + element.getKind().name().toLowerCase(Locale.ROOT);
        };
    }
}
