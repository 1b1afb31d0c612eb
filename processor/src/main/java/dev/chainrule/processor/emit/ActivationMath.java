package dev.chainrule.processor.emit;

import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.chainrule.Activation;
import java.util.Locale;
import javax.lang.model.element.Modifier;

/**
 * The math of every activation, in one table: its value as a function of the pre-activation
 * {@code z}, and its derivative as a function of the activation {@code a = f(z)} (every
 * activation here has one), which is what the backward pass has at hand. Adding an activation
 * is one entry in each switch.
 */
final class ActivationMath {

    /** The slope of LEAKY_RELU for negative inputs, PyTorch's default. */
    static final String LEAKY_RELU_SLOPE = "0.01";

    private final Numeric numeric;

    ActivationMath(Numeric numeric) {
        this.numeric = numeric;
    }

    /** The formula, for comments. */
    static String formula(Activation activation) {
        return switch (activation) {
            case LINEAR -> "f(z) = z, f' = 1";
            case SIGMOID -> "f(z) = 1 / (1 + exp(-z)), f' = a (1 - a)";
            case TANH -> "f(z) = tanh(z), f' = 1 - a^2";
            case RELU -> "f(z) = max(0, z), f' = 1 if a > 0 else 0";
            case LEAKY_RELU -> "f(z) = z if z > 0 else " + LEAKY_RELU_SLOPE + " z, f' = 1 if a > 0 else " + LEAKY_RELU_SLOPE;
            case SOFTMAX -> "f(z)_j = exp(z_j - max z) / sum_k exp(z_k - max z)";
        };
    }

    /** The name of the generated helper method, or null where the value is written inline. */
    static String helperName(Activation activation) {
        return switch (activation) {
            case LINEAR, SOFTMAX -> null;
            case LEAKY_RELU -> "leakyRelu";
            default -> activation.name().toLowerCase(Locale.ROOT);
        };
    }

    /** The expression {@code f(z)} of an element-wise activation. */
    String apply(Activation activation, String z) {
        String helper = helperName(activation);
        if (activation == Activation.SOFTMAX) {
            throw new IllegalArgumentException("softmax is not element-wise");
        }
        return helper == null ? z : helper + "(" + z + ")";
    }

    /** The private static helper computing an element-wise activation, or null if none. */
    MethodSpec helper(Activation activation) {
        String name = helperName(activation);
        if (name == null) {
            return null;
        }
        TypeName t = numeric.type();
        String one = numeric.literal("1");
        String zero = numeric.literal("0");
        String body = switch (activation) {
            case SIGMOID -> "return " + one + " / (" + one + " + " + numeric.math("exp", "-z") + ")";
            case TANH -> "return " + numeric.math("tanh", "z");
            case RELU -> "return Math.max(z, " + zero + ")";
            case LEAKY_RELU -> "return z > " + zero + " ? z : " + numeric.literal(LEAKY_RELU_SLOPE) + " * z";
            default -> throw new IllegalArgumentException(activation.name());
        };
        return MethodSpec.methodBuilder(name)
                .addJavadoc("$L.\n", formula(activation).substring(0, formula(activation).indexOf(',')))
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(t)
                .addParameter(t, "z")
                .addStatement(body)
                .build();
    }

    /**
     * The expression {@code g · f'(z)} where {@code a = f(z)}: how a gradient {@code g} with
     * respect to a layer's activation becomes one with respect to its pre-activation. Both
     * arguments are side-effect-free expressions and may be evaluated more than once.
     */
    String timesDerivative(Activation activation, String g, String a) {
        String one = numeric.literal("1");
        String zero = numeric.literal("0");
        return switch (activation) {
            case LINEAR -> g;
            case SIGMOID -> g + " * (" + a + " * (" + one + " - " + a + "))";
            case TANH -> g + " * (" + one + " - " + a + " * " + a + ")";
            case RELU -> a + " > " + zero + " ? " + g + " : " + zero;
            case LEAKY_RELU -> a + " > " + zero + " ? " + g + " : " + numeric.literal(LEAKY_RELU_SLOPE) + " * " + g;
            case SOFTMAX -> throw new IllegalArgumentException("the softmax Jacobian is not diagonal");
        };
    }
}
