package dev.chainrule;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A fully connected layer: {@code output = activation(input · W + b)}. The last dense layer of a
 * {@link Network} is its output layer.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Dense {

    /** The number of units (outputs) of the layer, at least 1. */
    int units();

    /** The activation applied to every unit. {@link Activation#SOFTMAX} only on the output layer. */
    Activation activation() default Activation.LINEAR;
}
