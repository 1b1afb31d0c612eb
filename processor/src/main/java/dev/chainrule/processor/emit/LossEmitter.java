package dev.chainrule.processor.emit;

import com.palantir.javapoet.MethodSpec;
import dev.chainrule.Activation;
import dev.chainrule.Loss;
import dev.chainrule.processor.plan.ActivationTraits;
import dev.chainrule.processor.plan.LayerPlan;
import dev.chainrule.processor.plan.NetworkPlan;
import javax.lang.model.element.Modifier;

/**
 * The loss of a batch and its gradient with respect to the output layer's pre-activations
 * ({@code outputDelta}). Losses are summed in {@code double} whatever the precision. The
 * gradient is that of the batch mean, so the backward pass needs no further averaging.
 */
final class LossEmitter {

    static final String LOSS = "lossValue";
    static final String OUTPUT_GRADIENT = "outputGradient";

    private final Numeric numeric;
    private final ActivationMath activations;

    LossEmitter(Numeric numeric) {
        this.numeric = numeric;
        this.activations = new ActivationMath(numeric);
    }

    /** The formula of the loss, for comments; {@code delta} is HUBER's. */
    static String formula(Loss loss, double delta) {
        return switch (loss) {
            case MEAN_SQUARED_ERROR -> "L = 1/(B n) sum_s sum_j (a_j - y_j)^2";
            case MEAN_ABSOLUTE_ERROR -> "L = 1/(B n) sum_s sum_j |a_j - y_j|";
            case HUBER -> "L = 1/(B n) sum_s sum_j h(a_j - y_j),  h(e) = e^2/2 if |e| < delta else delta (|e| - delta/2),"
                    + "  delta = " + delta;
            case BINARY_CROSS_ENTROPY ->
                    "L = 1/(B n) sum_s sum_j -[y_j log p_j + (1 - y_j) log(1 - p_j)]"
                            + "\n    = 1/(B n) sum_s sum_j max(z_j, 0) - z_j y_j + log(1 + exp(-|z_j|))";
            case CATEGORICAL_CROSS_ENTROPY ->
                    "L = 1/B sum_s -sum_j y_j log p_j,  log p_j = z_j - log sum_k exp(z_k)";
        };
    }

    /** {@code dL/da_j} of an element-wise loss, for comments. */
    private static String activationGradient(Loss loss) {
        return switch (loss) {
            case MEAN_SQUARED_ERROR -> "2/(B n) (a_j - y_j)";
            case MEAN_ABSOLUTE_ERROR -> "1/(B n) sign(a_j - y_j)";
            case HUBER -> "1/(B n) clamp(a_j - y_j, -delta, delta)";
            default -> throw new IllegalArgumentException(loss + " is fused with its activation");
        };
    }

    /** The formula of the output gradient, for comments. */
    static String gradientFormula(Loss loss, Activation output) {
        return switch (loss) {
            case MEAN_SQUARED_ERROR, MEAN_ABSOLUTE_ERROR, HUBER -> output == Activation.SOFTMAX
                    ? "dL/dz_j = p_j (g_j - sum_k g_k p_k),  g_j = " + activationGradient(loss)
                    : "dL/dz_j = " + activationGradient(loss) + " f'(z_j)";
            case BINARY_CROSS_ENTROPY -> "dL/dz_j = 1/(B n) (p_j - y_j)   (sigmoid and cross-entropy fused)";
            case CATEGORICAL_CROSS_ENTROPY ->
                    "dL/dz_j = 1/B (p_j sum_k y_k - y_j)   (softmax and cross-entropy fused; p - y for one-hot y)";
        };
    }

    MethodSpec loss(NetworkPlan plan) {
        LayerPlan out = plan.output();
        Loss loss = plan.spec().loss();
        MethodSpec.Builder method = MethodSpec.methodBuilder(LOSS)
                .addModifiers(Modifier.PRIVATE)
                .returns(double.class)
                .addParameter(int.class, "batchSize")
                .addJavadoc("The mean loss of the batch: $L.\n",
                        formula(loss, plan.spec().huberDelta()).replace("\n   ", " "));
        method.addStatement("double sum = 0");
        if (loss == Loss.CATEGORICAL_CROSS_ENTROPY) {
            method.addComment("log p_j = z_j - max - log sum, with sum = sum_k exp(z_k - max) kept by the forward pass.")
                    .addComment("For the samples whose targets add up to exactly 1 (one-hot ones) the logarithms are taken")
                    .addComment("together, as the log of the product of their sums, each between 1 and the number of units:")
                    .addComment("a logarithm per sample took a third of the time of a small network's softmax.")
                    .addStatement("double expSums = 1");
        }
        method.beginControlFlow("for (int s = 0; s < batchSize; s++)");
        method.addStatement("$T y = targets[s]", numeric.array());
        switch (loss) {
            case MEAN_SQUARED_ERROR -> {
                method.addStatement("$T a = $N[s]", numeric.array(), out.activations());
                method.beginControlFlow("for (int j = 0; j < $L; j++)", out.units());
                method.addStatement("double error = $L - y[j]", numeric.toDouble("a[j]"));
                method.addStatement("sum += error * error");
                method.endControlFlow();
            }
            case MEAN_ABSOLUTE_ERROR -> {
                method.addStatement("$T a = $N[s]", numeric.array(), out.activations());
                method.beginControlFlow("for (int j = 0; j < $L; j++)", out.units());
                method.addStatement("sum += Math.abs($L - y[j])", numeric.toDouble("a[j]"));
                method.endControlFlow();
            }
            case HUBER -> {
                String delta = Double.toString(plan.spec().huberDelta());
                method.addStatement("$T a = $N[s]", numeric.array(), out.activations());
                method.beginControlFlow("for (int j = 0; j < $L; j++)", out.units());
                method.addStatement("double error = Math.abs($L - y[j])", numeric.toDouble("a[j]"));
                method.addStatement("sum += error < $L ? 0.5 * error * error : $L * (error - 0.5 * $L)", delta, delta,
                        delta);
                method.endControlFlow();
            }
            case BINARY_CROSS_ENTROPY -> {
                method.addStatement("$T z = $N[s]", numeric.array(), out.preActivations());
                method.beginControlFlow("for (int j = 0; j < $L; j++)", out.units());
                method.addStatement("double logit = z[j]");
                method.addStatement("sum += Math.max(logit, 0) - logit * y[j] + Math.log1p(Math.exp(-Math.abs(logit)))");
                method.endControlFlow();
            }
            case CATEGORICAL_CROSS_ENTROPY -> {
                // the maximum as the forward pass found it, so that the sum kept there is relative to it
                method.addStatement("$T z = $N[s]", numeric.array(), out.preActivations());
                method.addStatement("$L max = z[0]", numeric.keyword());
                method.beginControlFlow("for (int j = 1; j < $L; j++)", out.units());
                method.addStatement("max = Math.max(max, z[j])");
                method.endControlFlow();
                method.addStatement("double weight = 0");
                method.beginControlFlow("for (int j = 0; j < $L; j++)", out.units());
                method.addStatement("sum += y[j] * ($L - z[j])", numeric.toDouble("max"));
                method.addStatement("weight += y[j]");
                method.endControlFlow();
                method.beginControlFlow("if (weight == 1.0)");
                method.addStatement("expSums *= $N[s]", out.expSum());
                method.beginControlFlow("if (expSums > 0x1p512)");
                method.addStatement("sum += Math.log(expSums)");
                method.addStatement("expSums = 1");
                method.endControlFlow();
                method.nextControlFlow("else");
                method.addStatement("sum += weight * Math.log($N[s])", out.expSum());
                method.endControlFlow();
            }
        }
        method.endControlFlow();
        if (loss == Loss.CATEGORICAL_CROSS_ENTROPY) {
            method.addStatement("sum += Math.log(expSums)");
            method.addStatement("return sum / batchSize");
        } else {
            method.addStatement("return sum / $L", samplesTimesOutputs(out.units()));
        }
        return method.build();
    }

    /** {@code B n} as a double expression; just {@code batchSize} when there is one output. */
    private static String samplesTimesOutputs(int outputs) {
        return outputs == 1 ? "batchSize" : "((double) batchSize * " + outputs + ")";
    }

    MethodSpec outputGradient(NetworkPlan plan) {
        LayerPlan out = plan.output();
        Loss loss = plan.spec().loss();
        String t = numeric.keyword();
        MethodSpec.Builder method = MethodSpec.methodBuilder(OUTPUT_GRADIENT)
                .addModifiers(Modifier.PRIVATE)
                .addParameter(int.class, "count")
                .addParameter(int.class, "batchSize")
                .addJavadoc("$L,\nfor slots 0..count-1; B is batchSize, more than count when a worker has only some of the slots.\n",
                        gradientFormula(loss, out.activation()));
        String scale = switch (loss) {
            case MEAN_SQUARED_ERROR -> "2.0 / " + samplesTimesOutputs(out.units());
            case BINARY_CROSS_ENTROPY, MEAN_ABSOLUTE_ERROR, HUBER -> "1.0 / " + samplesTimesOutputs(out.units());
            case CATEGORICAL_CROSS_ENTROPY -> "1.0 / batchSize";
        };
        method.addStatement("$L scale = $L", t, numeric.isFloat() ? "(float) (" + scale + ")" : scale);
        if (loss == Loss.HUBER) {
            method.addStatement("$L delta = $L", t, numeric.constant(plan.spec().huberDelta()));
        }
        method.beginControlFlow("for (int s = 0; s < count; s++)");
        method.addStatement("$T p = $N[s]", numeric.array(), out.activations());
        method.addStatement("$T y = targets[s]", numeric.array());
        method.addStatement("$T d = $N[s]", numeric.array(), out.delta());
        int units = out.units();
        switch (loss) {
            case CATEGORICAL_CROSS_ENTROPY -> {
                method.addStatement("$L ySum = $L", t, numeric.literal("0"));
                method.beginControlFlow("for (int j = 0; j < $L; j++)", units);
                method.addStatement("ySum += y[j]");
                method.endControlFlow();
                method.beginControlFlow("for (int j = 0; j < $L; j++)", units);
                method.addStatement("d[j] = (p[j] * ySum - y[j]) * scale");
                method.endControlFlow();
            }
            case BINARY_CROSS_ENTROPY -> {
                method.beginControlFlow("for (int j = 0; j < $L; j++)", units);
                method.addStatement("d[j] = (p[j] - y[j]) * scale");
                method.endControlFlow();
            }
            case MEAN_SQUARED_ERROR, MEAN_ABSOLUTE_ERROR, HUBER -> {
                String g = switch (loss) {
                    case MEAN_ABSOLUTE_ERROR -> "Math.signum(p[j] - y[j]) * scale";
                    case HUBER -> "(e < -delta ? -delta : e > delta ? delta : e) * scale";
                    default -> "(p[j] - y[j]) * scale";
                };
                if (out.activation() == Activation.SOFTMAX) {
                    method.addComment("the softmax Jacobian: dL/dz_j = p_j (g_j - sum_k g_k p_k)");
                    method.addStatement("$L dot = $L", t, numeric.literal("0"));
                    method.beginControlFlow("for (int j = 0; j < $L; j++)", units);
                    if (loss == Loss.HUBER) {
                        method.addStatement("$L e = p[j] - y[j]", t);
                    }
                    method.addStatement("$L g = $L", t, g);
                    method.addStatement("d[j] = g");
                    method.addStatement("dot += g * p[j]");
                    method.endControlFlow();
                    method.beginControlFlow("for (int j = 0; j < $L; j++)", units);
                    method.addStatement("d[j] = p[j] * (d[j] - dot)");
                    method.endControlFlow();
                } else {
                    boolean needsZ = ActivationTraits.derivativeNeedsPreActivation(out.activation());
                    if (needsZ) {
                        method.addStatement("$T z = $N[s]", numeric.array(), out.preActivations());
                    }
                    method.beginControlFlow("for (int j = 0; j < $L; j++)", units);
                    if (loss == Loss.HUBER) {
                        method.addStatement("$L e = p[j] - y[j]", t);
                    }
                    method.addStatement("$L g = $L", t, g);
                    method.addStatement("d[j] = $L", activations.timesDerivative(out.activation(), out.alpha(), "g",
                            "p[j]", needsZ ? "z[j]" : null));
                    method.endControlFlow();
                }
            }
        }
        method.endControlFlow();
        return method.build();
    }
}
