package dev.chainrule;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A fully connected layer: {@code output = activation(input · W + b)}. The last dense layer of a
 * {@link Network} is its output layer. Every attribute, its default and the rule that rejects a
 * wrong value are listed in docs/dsl.md.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Dense {

    /** The number of units (outputs) of the layer, at least 1. */
    int units();

    /** The activation applied to every unit. {@link Activation#SOFTMAX} only on the output layer. */
    Activation activation() default Activation.LINEAR;

    /**
     * The parameter of the activation: the negative slope of {@link Activation#LEAKY_RELU}
     * (between 0 and 1, exclusive) or the {@code α} of {@link Activation#ELU} (positive). Not
     * allowed with other activations. The default, {@code NaN}, means the activation's own default:
     * {@value #LEAKY_RELU_DEFAULT_ALPHA} for LEAKY_RELU and {@value #ELU_DEFAULT_ALPHA} for ELU, as in
     * PyTorch.
     */
    double alpha() default Double.NaN;

    /**
     * How the layer's weights start. {@link Init#AUTO}, the default, chooses by activation (He
     * for the ReLU family, LeCun normal for SELU, Glorot otherwise); biases start at 0. Weights
     * can also be set from arrays after construction, through the layer field's
     * {@link Layer#setWeights(double[][])} or {@link Model#setParameters(double[])}.
     */
    Init init() default Init.AUTO;

    /**
     * Inverted dropout on this hidden layer's outputs while training: each output is zeroed with
     * probability {@code dropout} and the others are scaled by {@code 1 / (1 - dropout)}, with a
     * fresh mask for every sample of every training step; evaluation and prediction never drop.
     * In [0, 1); 0 (the default) means no dropout; not on the output layer. The trainer can
     * override the rate at run time ({@code Trainer.dropout}).
     */
    double dropout() default 0.0;

    /** LEAKY_RELU's slope when {@link #alpha()} is not given: PyTorch's default. */
    double LEAKY_RELU_DEFAULT_ALPHA = 0.01;

    /** ELU's {@code α} when {@link #alpha()} is not given: PyTorch's default. */
    double ELU_DEFAULT_ALPHA = 1.0;
}
