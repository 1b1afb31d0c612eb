package dev.chainrule.processor;

import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;

/** Reports {@link Message}s on the element, annotation and value they are about, and counts errors. */
final class Diagnostics {

    private final Messager messager;
    private int errors;

    Diagnostics(Messager messager) {
        this.messager = messager;
    }

    void report(Message message, Element element, Object... arguments) {
        report(message, element, null, null, arguments);
    }

    void report(Message message, Element element, AnnotationMirror annotation, Object... arguments) {
        report(message, element, annotation, null, arguments);
    }

    void report(
            Message message,
            Element element,
            AnnotationMirror annotation,
            AnnotationValue value,
            Object... arguments) {
        if (message.kind() == javax.tools.Diagnostic.Kind.ERROR) {
            errors++;
        }
        messager.printMessage(message.kind(), message.format(arguments), element, annotation, value);
    }

    /** The number of errors reported so far; compare before and after to see if a step failed. */
    int errorCount() {
        return errors;
    }
}
