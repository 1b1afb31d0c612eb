package dev.chainrule.processor;

import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;

/**
 * The side table from a {@link dev.chainrule.processor.model.NetworkSpec} back to the source,
 * so that diagnostics point at the exact element, annotation and value they are about.
 *
 * @param layers every layer field read, by name, in declaration order
 */
record SpecLocations(TypeElement type, AnnotationMirror network, Map<String, AnnotationValue> networkValues,
        Map<String, Layer> layers) {

    /** Where one layer field was declared; {@code input} for {@code @Input}, else {@code @Dense}. */
    record Layer(VariableElement field, AnnotationMirror annotation, Map<String, AnnotationValue> values,
            boolean input) {}

    Layer layer(String name) {
        return layers.get(name);
    }
}
