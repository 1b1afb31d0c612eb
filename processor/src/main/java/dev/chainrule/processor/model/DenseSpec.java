package dev.chainrule.processor.model;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Init;

/**
 * A {@code @Dense} field: its name, number of units, activation, the activation's parameter as
 * written ({@code NaN} when not given), how its weights start, and its dropout rate (0: none).
 */
public record DenseSpec(String name, int units, Activation activation, double alpha, Init init, double dropout) {

    /** A layer with the defaults of every other attribute. */
    public DenseSpec(String name, int units, Activation activation) {
        this(name, units, activation, Double.NaN, Init.AUTO, 0.0);
    }

    /** Whether the layer declares dropout (a positive rate). */
    public boolean hasDropout() {
        return dropout > 0.0;
    }

    /** The initialiser with {@link Init#AUTO} resolved by the activation. */
    public Init resolvedInit() {
        return init == Init.AUTO ? Init.forActivation(activation) : init;
    }

    /** Whether the spec gives {@code alpha} (the annotation's default is {@code NaN}). */
    public boolean alphaGiven() {
        return !Double.isNaN(alpha);
    }

    /**
     * The activation's parameter with the default applied: LEAKY_RELU's slope, ELU's {@code α};
     * {@code NaN} for activations without one.
     */
    public double resolvedAlpha() {
        return switch (activation) {
            case LEAKY_RELU -> alphaGiven() ? alpha : Dense.LEAKY_RELU_DEFAULT_ALPHA;
            case ELU -> alphaGiven() ? alpha : Dense.ELU_DEFAULT_ALPHA;
            default -> Double.NaN;
        };
    }
}
