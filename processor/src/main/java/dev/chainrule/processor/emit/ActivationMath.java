package dev.chainrule.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.chainrule.Activation;
import dev.chainrule.processor.plan.ActivationTraits;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.lang.model.element.Modifier;

/**
 * The math of every activation, in one table: its value as a function of the pre-activation
 * {@code z}, its derivative, and the formulas for comments. The derivative is written in terms
 * of the activation {@code a = f(z)} where that is possible, which is what the backward pass has
 * at hand; SILU and GELU need {@code z} itself (see
 * {@link ActivationTraits#derivativeNeedsPreActivation}), and their layers keep it. Adding an
 * activation is one entry in each switch below (and one in {@link ActivationTraits}).
 *
 * <p>LEAKY_RELU and ELU take a parameter {@code alpha} per layer: their helpers take it as an
 * argument, which every call site passes as a constant.
 */
final class ActivationMath {

    /** SILU's and GELU's derivatives, called from the backward pass with {@code z}. */
    private static final String SILU_DERIVATIVE = "siluDerivative";
    /** RELU's derivative from its activation, 1 or 0, written without a branch. */
    private static final String RELU_SLOPE = "reluSlope";
    private static final String GELU_DERIVATIVE = "geluDerivative";

    /** GELU's constants: sqrt(2 / pi) and the cubic coefficient of its tanh approximation. */
    static final double GELU_BETA = 0.7978845608028654;
    static final double GELU_KAPPA = 0.044715;

    /** SELU's lambda times its alpha: the derivative for z <= 0 is a + this. */
    static final double SELU_SCALE_ALPHA = Activation.SELU_SCALE * Activation.SELU_ALPHA;

    private final Numeric numeric;

    ActivationMath(Numeric numeric) {
        this.numeric = numeric;
    }

    /** The formula of the value and the derivative, for comments; {@code alpha} as the layer has it. */
    static String formula(Activation activation, double alpha) {
        String p = alpha(alpha);
        return switch (activation) {
            case LINEAR -> "f(z) = z, f' = 1";
            case SIGMOID -> "f(z) = 1 / (1 + exp(-z)), f' = a (1 - a)";
            case TANH -> "f(z) = tanh(z), f' = 1 - a^2";
            case RELU -> "f(z) = max(0, z), f' = 1 if a > 0 else 0";
            case LEAKY_RELU -> "f(z) = z if z > 0 else " + p + " z, f' = 1 if a > 0 else " + p;
            case ELU -> "f(z) = z if z > 0 else " + p + " (exp(z) - 1), f' = 1 if a > 0 else a + " + p;
            case SELU -> "f(z) = s z if z > 0 else s c (exp(z) - 1), f' = s if a > 0 else a + s c"
                    + "  (s = " + Activation.SELU_SCALE + ", c = " + Activation.SELU_ALPHA + ")";
            case SOFTPLUS -> "f(z) = log(1 + exp(z)) = max(z, 0) + log(1 + exp(-|z|)), f' = sigmoid(z) = 1 - exp(-a)";
            case SILU -> "f(z) = z sigmoid(z), f' = s (1 + z (1 - s)) with s = sigmoid(z)";
            case GELU -> "f(z) = z/2 (1 + t), t = tanh(b (z + k z^3)), f' = (1 + t)/2 + z/2 (1 - t^2) b (1 + 3 k z^2)"
                    + "  (b = sqrt(2/pi), k = " + GELU_KAPPA + ")";
            case SOFTMAX -> "f(z)_j = exp(z_j - max z) / sum_k exp(z_k - max z)";
        };
    }

    /** The value part of {@link #formula}, up to the first comma. */
    static String valueFormula(Activation activation, double alpha) {
        String formula = formula(activation, alpha);
        return formula.substring(0, formula.indexOf(", f'"));
    }

    private static String alpha(double alpha) {
        return Double.isNaN(alpha) ? "alpha" : Double.toString(alpha);
    }

    /** Whether the helper of the activation takes its parameter {@code alpha} as an argument. */
    static boolean hasParameter(Activation activation) {
        return activation == Activation.LEAKY_RELU || activation == Activation.ELU;
    }

    /** The name of the generated helper method, or null where the value is written inline. */
    static String helperName(Activation activation) {
        return switch (activation) {
            case LINEAR, SOFTMAX -> null;
            case LEAKY_RELU -> "leakyRelu";
            default -> activation.name().toLowerCase(Locale.ROOT);
        };
    }

    /** The expression {@code f(z)} of an element-wise activation with the layer's {@code alpha}. */
    String apply(Activation activation, double alpha, String z) {
        if (activation == Activation.SOFTMAX) {
            throw new IllegalArgumentException("softmax is not element-wise");
        }
        String helper = helperName(activation);
        if (helper == null) {
            return z;
        }
        return hasParameter(activation) ? helper + "(" + z + ", " + numeric.constant(alpha) + ")" : helper + "(" + z + ")";
    }

    /** The private static helpers of an element-wise activation: its value and, if needed, its derivative. */
    List<MethodSpec> helpers(Activation activation) {
        List<MethodSpec> helpers = new ArrayList<>();
        String name = helperName(activation);
        if (name == null) {
            return helpers;
        }
        TypeName t = numeric.type();
        String one = numeric.literal("1");
        String zero = numeric.literal("0");
        CodeBlock body = switch (activation) {
            case SIGMOID -> CodeBlock.of("return $L / ($L + $L)", one, one, numeric.exp("-z"));
            case TANH -> CodeBlock.of("return $L", numeric.math("tanh", "z"));
            case RELU -> CodeBlock.of("return Math.max(z, $L)", zero);
            case LEAKY_RELU -> CodeBlock.of("return z > $L ? z : alpha * z", zero);
            case ELU -> CodeBlock.of("return z > $L ? z : alpha * $L", zero, numeric.math("expm1", "z"));
            case SELU -> CodeBlock.of("return z > $L ? $L * z : $L * $L", zero, numeric.constant(Activation.SELU_SCALE),
                    numeric.constant(SELU_SCALE_ALPHA), numeric.math("expm1", "z"));
            case SOFTPLUS -> CodeBlock.of("return Math.max(z, $L) + $L", zero,
                    numeric.math("log1p", "Math.exp(-Math.abs(z))"));
            case SILU -> CodeBlock.of("return $L", numeric.fromDouble("(z / (1.0 + Math.exp(-z)))"));
            case GELU -> CodeBlock.of("return $L", numeric.fromDouble("(0.5 * z * (1.0 + Math.tanh(" + GELU_BETA
                    + " * (z + " + GELU_KAPPA + " * z * z * z))))"));
            default -> throw new IllegalArgumentException(activation.name());
        };
        MethodSpec.Builder value = MethodSpec.methodBuilder(name)
                .addJavadoc("$L.\n", valueFormula(activation, Double.NaN))
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(t)
                .addParameter(t, "z");
        if (hasParameter(activation)) {
            value.addParameter(t, "alpha");
        }
        helpers.add(value.addStatement(body).build());
        if (activation == Activation.RELU) {
            String[] scale = reluSlopeScale();
            helpers.add(MethodSpec.methodBuilder(RELU_SLOPE)
                    .addJavadoc("f'(z) of relu from a = f(z) >= 0: 1 if a > 0, 0 if a = 0. Multiplying by $L\n"
                            + "sends the smallest positive value to 1 and every larger one above, so min(., 1) is\n"
                            + "the slope; no branch, because a branch on the sign of each unit is mispredicted about\n"
                            + "as often as units are active, while this form also vectorises.\n",
                            numeric.isFloat() ? "2^149" : "2^1074")
                    .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .returns(t)
                    .addParameter(t, "a")
                    .addStatement("return Math.min(a * $L * $L, $L)", scale[0], scale[1], one)
                    .build());
        } else if (activation == Activation.SILU) {
            helpers.add(MethodSpec.methodBuilder(SILU_DERIVATIVE)
                    .addJavadoc("f'(z) of silu: s (1 + z (1 - s)) with s = sigmoid(z), in double.\n")
                    .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .returns(t)
                    .addParameter(t, "z")
                    .addStatement("double s = 1.0 / (1.0 + Math.exp(-z))")
                    .addStatement("return $L", numeric.fromDouble("(s * (1.0 + z * (1.0 - s)))"))
                    .build());
        } else if (activation == Activation.GELU) {
            helpers.add(MethodSpec.methodBuilder(GELU_DERIVATIVE)
                    .addJavadoc("f'(z) of gelu (tanh approximation), in double, as PyTorch computes it.\n")
                    .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .returns(t)
                    .addParameter(t, "z")
                    .addStatement("double x = z")
                    .addStatement("double square = x * x")
                    .addStatement("double t = Math.tanh($L * (x + $L * square * x))", GELU_BETA, GELU_KAPPA)
                    .addStatement("double left = 0.5 * x")
                    .addStatement("double leftDerivative = 0.5 * (1.0 + t)")
                    .addStatement("double rightDerivative = left * (1.0 - t * t) * $L * (1.0 + $L * square)",
                            GELU_BETA, 3 * GELU_KAPPA)
                    .addStatement("return $L", numeric.fromDouble("(leftDerivative + rightDerivative)"))
                    .build());
        }
        return helpers;
    }

    /**
     * The two powers of two whose product sends the smallest positive value of the network's type
     * to 1 (2^149 in float, 2^1074 in double; one factor alone would overflow).
     */
    String[] reluSlopeScale() {
        return numeric.isFloat() ? new String[] {"0x1p100f", "0x1p49f"} : new String[] {"0x1p600", "0x1p474"};
    }

    /**
     * The expression {@code g · f'(z)}: how a gradient {@code g} with respect to a layer's
     * activation becomes one with respect to its pre-activation. {@code a} is the activation
     * {@code f(z)}; {@code z} the pre-activation, needed only where
     * {@link ActivationTraits#derivativeNeedsPreActivation} (pass null otherwise). The arguments
     * are side-effect-free expressions, single terms or parenthesised, and may be evaluated more
     * than once.
     */
    String timesDerivative(Activation activation, double alpha, String g, String a, String z) {
        if (ActivationTraits.derivativeNeedsPreActivation(activation) && z == null) {
            throw new IllegalArgumentException(activation + "'s derivative needs z");
        }
        String one = numeric.literal("1");
        String zero = numeric.literal("0");
        return switch (activation) {
            case LINEAR -> g;
            case SIGMOID -> g + " * (" + a + " * (" + one + " - " + a + "))";
            case TANH -> g + " * (" + one + " - " + a + " * " + a + ")";
            case RELU -> g + " * " + RELU_SLOPE + "(" + a + ")";
            case LEAKY_RELU -> a + " > " + zero + " ? " + g + " : " + numeric.constant(alpha) + " * " + g;
            case ELU -> a + " > " + zero + " ? " + g + " : " + g + " * (" + a + " + " + numeric.constant(alpha) + ")";
            case SELU -> a + " > " + zero + " ? " + g + " * " + numeric.constant(Activation.SELU_SCALE) + " : " + g
                    + " * (" + a + " + " + numeric.constant(SELU_SCALE_ALPHA) + ")";
            case SOFTPLUS -> g + " * " + numeric.fromDouble("-Math.expm1(-" + a + ")");
            case SILU -> g + " * " + SILU_DERIVATIVE + "(" + z + ")";
            case GELU -> g + " * " + GELU_DERIVATIVE + "(" + z + ")";
            case SOFTMAX -> throw new IllegalArgumentException("the softmax Jacobian is not diagonal");
        };
    }
}
