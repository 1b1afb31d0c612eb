package dev.chainrule.processor;

import dev.chainrule.Activation;
import dev.chainrule.Loss;
import dev.chainrule.Precision;
import dev.chainrule.Simd;
import dev.chainrule.processor.model.DenseSpec;
import dev.chainrule.processor.model.InputSpec;
import dev.chainrule.processor.model.NetworkSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** A spec and where each of its parts was declared. */
    record Result(NetworkSpec spec, SpecLocations locations) {}

    private final Elements elements;
    private final Types types;
    private final Diagnostics diagnostics;

    SpecReader(Elements elements, Types types, Diagnostics diagnostics) {
        this.elements = elements;
        this.types = types;
        this.diagnostics = diagnostics;
    }

    /** Reads the spec, or returns null after reporting every error found. */
    Result read(Element element) {
        int errorsBefore = diagnostics.errorCount();
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
        List<DenseSpec> dense = new ArrayList<>();
        Map<String, SpecLocations.Layer> layers = new LinkedHashMap<>();
        TypeMirror layerType = layerType();
        for (VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
            AnnotationMirror inputAnnotation = annotation(field, INPUT);
            AnnotationMirror denseAnnotation = annotation(field, DENSE);
            if (inputAnnotation == null && denseAnnotation == null) {
                continue;
            }
            String name = field.getSimpleName().toString();
            if (inputAnnotation != null && denseAnnotation != null) {
                diagnostics.report(Message.TWO_LAYER_ANNOTATIONS, field, denseAnnotation, name);
                continue;
            }
            AnnotationMirror layerAnnotation = inputAnnotation != null ? inputAnnotation : denseAnnotation;
            checkField(field, layerAnnotation, layerType);
            Map<String, AnnotationValue> values = values(layerAnnotation);
            layers.put(name, new SpecLocations.Layer(field, layerAnnotation, values));
            if (inputAnnotation != null) {
                if (inputField != null) {
                    diagnostics.report(Message.MULTIPLE_INPUTS, field, inputAnnotation, name, inputField);
                } else if (firstDense != null) {
                    diagnostics.report(Message.INPUT_NOT_FIRST, field, inputAnnotation, name, firstDense);
                    inputField = name;
                } else {
                    input = new InputSpec(name, intValue(values.get("value")));
                    inputField = name;
                }
            } else {
                if (firstDense == null) {
                    firstDense = name;
                }
                dense.add(new DenseSpec(
                        name,
                        intValue(values.get("units")),
                        enumValue(values.get("activation"), Activation.class, Activation.LINEAR)));
            }
        }
        if (inputField == null) {
            diagnostics.report(Message.NO_INPUT, type, network, type.getSimpleName());
        }
        if (dense.isEmpty()) {
            diagnostics.report(Message.NO_DENSE, type, network, type.getSimpleName());
        }
        if (diagnostics.errorCount() > errorsBefore) {
            return null;
        }
        List<String> specNames = specNames(type);
        String name = stringValue(networkValues.get("name"));
        String generatedName = name.isEmpty() ? String.join("_", specNames) + "Network" : name;
        NetworkSpec spec = new NetworkSpec(
                packageName(type),
                specNames,
                generatedName,
                enumValue(networkValues.get("loss"), Loss.class, null),
                enumValue(networkValues.get("precision"), Precision.class, Precision.FLOAT),
                enumValue(networkValues.get("simd"), Simd.class, Simd.AUTO),
                intValue(networkValues.get("unrollMaxWeights"), -1),
                input,
                dense);
        if (spec.loss() == null) {
            return null; // javac has already reported the missing or erroneous loss
        }
        return new Result(spec, new SpecLocations(type, network, networkValues, layers));
    }

    private void checkClass(TypeElement type, AnnotationMirror network) {
        Object name = type.getSimpleName();
        if (type.getModifiers().contains(Modifier.FINAL)) {
            diagnostics.report(Message.FINAL_CLASS, type, network, name);
        }
        if (type.getModifiers().contains(Modifier.PRIVATE)) {
            diagnostics.report(Message.PRIVATE_CLASS, type, network, name);
        }
        if (type.getNestingKind() == NestingKind.MEMBER && !type.getModifiers().contains(Modifier.STATIC)) {
            diagnostics.report(Message.INNER_CLASS, type, network, name);
        } else if (type.getNestingKind() == NestingKind.LOCAL || type.getNestingKind() == NestingKind.ANONYMOUS) {
            diagnostics.report(Message.INNER_CLASS, type, network, name);
        }
        if (!type.getTypeParameters().isEmpty()) {
            diagnostics.report(Message.GENERIC_CLASS, type, network, name);
        }
        boolean constructible = false;
        for (ExecutableElement constructor : ElementFilter.constructorsIn(type.getEnclosedElements())) {
            if (constructor.getParameters().isEmpty() && !constructor.getModifiers().contains(Modifier.PRIVATE)) {
                constructible = true;
            }
        }
        if (!constructible) {
            diagnostics.report(Message.NO_CONSTRUCTOR, type, network, name);
        }
    }

    private void checkField(VariableElement field, AnnotationMirror annotation, TypeMirror layerType) {
        String name = field.getSimpleName().toString();
        if (layerType != null && !types.isSameType(field.asType(), layerType)) {
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

    private static int intValue(AnnotationValue value) {
        return intValue(value, 0);
    }

    private static int intValue(AnnotationValue value, int fallback) {
        return value != null && value.getValue() instanceof Integer i ? i : fallback;
    }

    private static String stringValue(AnnotationValue value) {
        return value != null && value.getValue() instanceof String s ? s : "";
    }

    private static <E extends Enum<E>> E enumValue(AnnotationValue value, Class<E> type, E fallback) {
        if (value != null && value.getValue() instanceof VariableElement constant) {
            return Enum.valueOf(type, constant.getSimpleName().toString());
        }
        return fallback;
    }

    private static String kindName(Element element) {
        return switch (element.getKind()) {
            case INTERFACE -> "an interface";
            case ENUM -> "an enum";
            case ANNOTATION_TYPE -> "an annotation type";
            case RECORD -> "a record";
            default -> "a " + element.getKind().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
