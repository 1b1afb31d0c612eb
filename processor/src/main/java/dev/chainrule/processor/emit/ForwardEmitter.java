package dev.chainrule.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.chainrule.Activation;
import dev.chainrule.processor.plan.KernelStyle;
import dev.chainrule.processor.plan.LayerPlan;
import dev.chainrule.processor.plan.NetworkPlanner;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The forward pass of one dense layer over a batch: {@code a = f(x · W + b)} for every sample,
 * with {@code W} stored as {@code [input][unit]} rows (an unrolled layer: in one row, in that
 * order or, if {@link LayerPlan#unitMajor}, {@code [unit][input]}). The weighted sum
 * starts at the bias and adds the inputs in ascending order in both kernel styles, so they give
 * identical results. (A tiled first layer instead sums from zero and adds the bias after, so
 * that threads can split its sums: see {@link InputSplitEmitter#forward}.)
 */
final class ForwardEmitter {

    private final Numeric numeric;
    private final ActivationMath activations;

    ForwardEmitter(Numeric numeric) {
        this.numeric = numeric;
        this.activations = new ActivationMath(numeric);
    }

    static String methodName(LayerPlan layer) {
        return "forward" + layer.capitalized();
    }

    MethodSpec emit(LayerPlan layer) {
        MethodSpec.Builder method = MethodSpec.methodBuilder(methodName(layer))
                .addModifiers(Modifier.PRIVATE)
                .addParameter(int.class, "batchSize")
                .addJavadoc("$L = $L($L $L + $L): $L inputs -> $L, $L.\n",
                        layer.name(), layer.activation().name().toLowerCase(java.util.Locale.ROOT),
                        layer.inputRows(), layer.weights(), layer.biases(),
                        layer.inputSize(), layer.units() == 1 ? "1 unit" : layer.units() + " units",
                        layer.style() == KernelStyle.UNROLLED
                                ? "unrolled"
                                : "tiled by " + NetworkPlanner.TILE + " weight rows per pass");
        if (layer.style() == KernelStyle.UNROLLED) {
            unrolled(method, layer);
        } else {
            if (layer.vector().forward()) {
                vectorDispatch(method, layer);
            }
            tiled(method, layer);
        }
        return method.build();
    }

    /** Runs the Vector API kernel instead when it is available, then any activation it does not fuse. */
    private void vectorDispatch(MethodSpec.Builder method, LayerPlan layer) {
        method.beginControlFlow("if ($L)", NetworkEmitter.VECTOR_FLAG);
        method.addStatement("$L.$L($N, $N, $N, $N, batchSize)", VectorKernelEmitter.CLASS,
                methodName(layer), layer.inputRows(), layer.weights(), layer.biases(),
                layer.preActivationRows());
        if (!VectorKernelEmitter.fusesActivation(layer)) {
            method.beginControlFlow("for (int s = 0; s < batchSize; s++)");
            method.addStatement("$T z = $N[s]", numeric.array(), layer.preActivationRows());
            activate(method, layer, "z");
            method.endControlFlow();
        }
        method.addStatement("return");
        method.endControlFlow();
    }

    private void tiled(MethodSpec.Builder method, LayerPlan layer) {
        int in = layer.inputSize();
        int units = layer.units();
        int tile = NetworkPlanner.TILE;
        int main = in - in % tile;
        TypeName row = numeric.array();
        method.addStatement("$T weights = $N", numeric.rows(), layer.weights());
        method.beginControlFlow("for (int s = 0; s < batchSize; s++)");
        method.addStatement("$T x = $N[s]", row, layer.inputRows());
        method.addStatement("$T z = $N[s]", row, layer.preActivationRows());
        method.addStatement("System.arraycopy($N, 0, z, 0, $L)", layer.biases(), units);
        addWeightedRows(method, units, main > 0 ? "for (int i = 0; i < " + main + "; i += " + tile + ")" : null,
                main < in ? "for (int i = " + main + "; i < " + in + "; i++)" : null);
        activate(method, layer, "z");
        method.endControlFlow();
    }

    /**
     * Adds weight rows {@code i} times the inputs {@code x[i]} to the row {@code z} (locals
     * {@code weights}, {@code x}, {@code z}), in ascending {@code i}: four rows per pass under the
     * loop header {@code fourRows}, then one row per pass under {@code oneRow} (either null for
     * none), each row a loop over the {@code units} columns with one rounding per fused
     * multiply-add. The tiled forward pass runs it over all inputs, a worker of a split batch over
     * its range of them ({@link InputSplitEmitter}).
     */
    void addWeightedRows(MethodSpec.Builder method, int units, String fourRows, String oneRow) {
        TypeName row = numeric.array();
        String t = numeric.keyword();
        if (fourRows != null) {
            method.beginControlFlow(fourRows);
            method.addStatement("$L x0 = x[i], x1 = x[i + 1], x2 = x[i + 2], x3 = x[i + 3]", t);
            method.addStatement("$T w0 = weights[i], w1 = weights[i + 1], w2 = weights[i + 2], w3 = weights[i + 3]", row);
            method.beginControlFlow("for (int j = 0; j < $L; j++)", units);
            method.addStatement(
                    "z[j] = Math.fma(x3, w3[j], Math.fma(x2, w2[j], Math.fma(x1, w1[j], Math.fma(x0, w0[j], z[j]))))");
            method.endControlFlow();
            method.endControlFlow();
        }
        if (oneRow != null) {
            method.beginControlFlow(oneRow);
            method.addStatement("$L xi = x[i]", t);
            method.addStatement("$T w = weights[i]", row);
            method.beginControlFlow("for (int j = 0; j < $L; j++)", units);
            method.addStatement("z[j] = Math.fma(xi, w[j], z[j])");
            method.endControlFlow();
            method.endControlFlow();
        }
    }

    private void unrolled(MethodSpec.Builder method, LayerPlan layer) {
        int in = layer.inputSize();
        int units = layer.units();
        TypeName row = numeric.array();
        String t = numeric.keyword();
        method.addStatement("$T b = $N", row, layer.biases());
        // all the layer's weights, one row (LayerPlan.singleRow)
        method.addStatement("$T w = $N[0]", row, layer.weights());
        method.beginControlFlow("for (int s = 0; s < batchSize; s++)");
        method.addStatement("$T x = $N[s]", row, layer.inputRows());
        method.addStatement("$T z = $N[s]", row, layer.preActivationRows());
        method.addStatement(declareScalars(t, "x", "x", in));
        // Element-wise activations are applied as each unit is finished; softmax needs the whole row.
        boolean inline = layer.activation() != Activation.SOFTMAX && !layer.storesPreActivations();
        // one unit: the loop's j (one unit per iteration, so that C2 vectorises along the units),
        // or each unit written out; the same sums either way
        for (String j : loopOrWrittenOut(method, layer.loopsOverUnits(), "j", units)) {
            List<String[]> products = new ArrayList<>();
            for (int i = 0; i < in; i++) {
                String index = layer.loopsOverUnits()
                        ? LayerPlan.offset(i * units, j)
                        : String.valueOf(layer.weightIndex(i, Integer.parseInt(j)));
                products.add(new String[] {"x" + i, "w[" + index + "]"});
            }
            String sum = fmaChain(method, in <= NetworkPlanner.TILE, t, layer.loopsOverUnits() ? "sum" : "z" + j,
                    "b[" + j + "]", products);
            method.addStatement("z[$L] = $L", j, inline ? activations.apply(layer.activation(), layer.alpha(), sum) : sum);
        }
        if (layer.loopsOverUnits()) {
            method.endControlFlow();
        }
        if (!inline && layer.activation() != Activation.SOFTMAX) {
            activate(method, layer, "z");
        }
        method.endControlFlow();
        if (layer.activation() == Activation.SOFTMAX) {
            // A pass of its own: in the loop of the sums, the softmax's exponentials (and the
            // logarithm it then took) slowed the whole loop down (measured: 56 against 40 ns per sample).
            method.beginControlFlow("for (int s = 0; s < batchSize; s++)");
            method.addStatement("$T z = $N[s]", row, layer.preActivationRows());
            activate(method, layer, "z");
            method.endControlFlow();
        }
    }

    /** Applies the activation to the row {@code z} of sample {@code s}, into the activation row. */
    void activate(MethodSpec.Builder method, LayerPlan layer, String z) {
        int units = layer.units();
        Activation activation = layer.activation();
        boolean separate = layer.storesPreActivations();
        if (activation == Activation.SOFTMAX) {
            method.addCode(softmax(layer, z));
            return;
        }
        if (activation == Activation.LINEAR && !separate) {
            return;
        }
        String target = separate ? "a" : z;
        if (separate) {
            method.addStatement("$T a = $N[s]", numeric.array(), layer.activations());
        }
        method.beginControlFlow("for (int j = 0; j < $L; j++)", units);
        method.addStatement("$L[j] = $L", target, activations.apply(activation, layer.alpha(), z + "[j]"));
        method.endControlFlow();
    }

    /** Softmax with the maximum subtracted, so that no exponential overflows. */
    private CodeBlock softmax(LayerPlan layer, String z) {
        int units = layer.units();
        String t = numeric.keyword();
        CodeBlock.Builder code = CodeBlock.builder();
        code.add("// softmax: p_j = exp(z_j - max) / sum_k exp(z_k - max)\n");
        String target = z;
        if (layer.storesPreActivations()) {
            code.addStatement("$T a = $N[s]", numeric.array(), layer.activations());
            target = "a";
        }
        code.addStatement("$L max = $L[0]", t, z);
        code.beginControlFlow("for (int j = 1; j < $L; j++)", units);
        code.addStatement("max = Math.max(max, $L[j])", z);
        code.endControlFlow();
        code.addStatement("$L sum = $L", t, numeric.literal("0"));
        code.beginControlFlow("for (int j = 0; j < $L; j++)", units);
        code.addStatement("$L e = $L", t, numeric.exp(z + "[j] - max"));
        code.addStatement("$L[j] = e", target);
        code.addStatement("sum += e");
        code.endControlFlow();
        code.addStatement("$L scale = $L / sum", t, numeric.literal("1"));
        code.beginControlFlow("for (int j = 0; j < $L; j++)", units);
        code.addStatement("$L[j] *= scale", target);
        code.endControlFlow();
        if (layer.storesPreActivations()) {
            code.add("// for the loss: log p_j = z_j - max - log sum\n");
            code.addStatement("$N[s] = sum", layer.expSum());
        }
        return code.build();
    }

    /**
     * The indices one body is written for: {@code index} itself when {@code loop}, after opening
     * {@code for (int index = 0; index < count; index++)} (which the caller closes), else each of
     * {@code 0 .. count-1}, for a body written out once per index.
     */
    static List<String> loopOrWrittenOut(MethodSpec.Builder method, boolean loop, String index, int count) {
        if (loop) {
            method.beginControlFlow("for (int $L = 0; $L < $L; $L++)", index, index, count, index);
            return List.of(index);
        }
        List<String> indices = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            indices.add(String.valueOf(k));
        }
        return indices;
    }

    /** {@code float[] w0 = weights[0], w1 = weights[1], ...}. */
    static String declareRows(TypeName rowType, String prefix, String array, int count) {
        StringBuilder s = new StringBuilder(rowType.toString()).append(' ');
        for (int i = 0; i < count; i++) {
            s.append(i == 0 ? "" : ", ").append(prefix).append(i).append(" = ").append(array).append('[').append(i).append(']');
        }
        return s.toString().replace("$", "$$");
    }

    /** {@code float x0 = x[0], x1 = x[1], ...}. */
    static String declareScalars(String type, String prefix, String array, int count) {
        StringBuilder s = new StringBuilder(type).append(' ');
        for (int i = 0; i < count; i++) {
            s.append(i == 0 ? "" : ", ").append(prefix).append(i).append(" = ").append(array).append('[').append(i).append(']');
        }
        return s.toString().replace("$", "$$");
    }

    /**
     * The sum {@code start + a0 b0 + a1 b1 + ...}, added in that order with one rounding per
     * fused multiply-add: as one nested expression when {@code nested} (a few terms), otherwise as
     * statements into a new local {@code local}. Returns the expression that holds the sum.
     */
    static String fmaChain(MethodSpec.Builder method, boolean nested, String type, String local, String start,
            List<String[]> products) {
        if (nested) {
            String sum = start;
            for (String[] p : products) {
                sum = "Math.fma(" + p[0] + ", " + p[1] + ", " + sum + ")";
            }
            return sum;
        }
        method.addStatement("$L $L = $L", type, local, start);
        for (String[] p : products) {
            method.addStatement("$L = Math.fma($L, $L, $L)", local, p[0], p[1], local);
        }
        return local;
    }
}
