package dev.chainrule.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.chainrule.processor.plan.ActivationTraits;
import dev.chainrule.processor.plan.KernelStyle;
import dev.chainrule.processor.plan.LayerPlan;
import dev.chainrule.processor.plan.NetworkPlanner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;

/**
 * The backward pass of one dense layer, given its delta {@code d = dL/dz} for every sample:
 * <pre>
 *   dL/dW[i][j] = sum_s x[s][i] d[s][j]      dL/db[j] = sum_s d[s][j]
 *   previousDelta[s][i] = f'(x[s][i]) sum_j d[s][j] W[i][j]     (not for the first layer)
 * </pre>
 * where {@code x} is the layer's input, the previous layer's activation {@code a = f(z)}. The
 * sums run over samples and units in ascending order in both kernel styles.
 */
final class BackwardEmitter {

    private final Numeric numeric;
    private final ActivationMath activations;

    BackwardEmitter(Numeric numeric) {
        this.numeric = numeric;
        this.activations = new ActivationMath(numeric);
    }

    /** The weight gradient of a tiled layer's rows {@code from <= i < to}. */
    static String weightGradientName(LayerPlan layer) {
        return "weightGradient" + layer.capitalized();
    }

    /** The bias gradient of a tiled layer's units {@code from <= j < to}. */
    static String biasGradientName(LayerPlan layer) {
        return "biasGradient" + layer.capitalized();
    }

    /** The whole weight and bias gradient of an unrolled layer. */
    static String gradientName(LayerPlan layer) {
        return "gradient" + layer.capitalized();
    }

    /** The previous layer's delta, sample by sample. */
    static String inputGradientName(LayerPlan layer) {
        return "inputGradient" + layer.capitalized();
    }

    /**
     * The statements of the layer's whole backward pass over slots {@code 0..batchSize-1}: its
     * gradient methods, then its input-gradient method (see {@link #emit}).
     */
    static CodeBlock calls(LayerPlan layer) {
        CodeBlock.Builder code = CodeBlock.builder();
        if (layer.style() == KernelStyle.UNROLLED) {
            code.addStatement("$N(batchSize)", gradientName(layer));
        } else {
            code.addStatement("$N(batchSize, 0, $L)", weightGradientName(layer), layer.inputSize())
                    .addStatement("$N(batchSize, 0, $L)", biasGradientName(layer), layer.units());
        }
        if (layer.needsInputGradient()) {
            code.addStatement("$N(batchSize)", inputGradientName(layer));
        }
        return code.build();
    }

    /**
     * The layer's backward-pass methods: its weight and bias gradients (one method for an unrolled
     * layer, one each on ranges of rows and units for a tiled one) and, unless it is the first
     * layer, its input gradient. {@code computeGradients} calls them all ({@link #calls}); when a
     * batch is split by inputs, each worker calls the input gradient on its own slots and the
     * gradients on its share (see {@link InputSplitEmitter}).
     */
    List<MethodSpec> emit(LayerPlan layer) {
        List<MethodSpec> methods = new ArrayList<>();
        if (layer.style() == KernelStyle.UNROLLED) {
            MethodSpec.Builder gradient = MethodSpec.methodBuilder(gradientName(layer))
                    .addModifiers(Modifier.PRIVATE)
                    .addParameter(int.class, "batchSize")
                    .addJavadoc("Gradients of $L from $L: $L = $L^T $L and $L = column sums of $L, over slots 0..batchSize-1.\n",
                            layer.name(), layer.delta(), layer.weightGradient(), layer.inputRows(), layer.delta(),
                            layer.biasGradient(), layer.delta());
            unrolledGradient(gradient, layer);
            methods.add(gradient.build());
        } else {
            methods.add(weightGradient(layer));
            methods.add(biasGradient(layer));
        }
        if (layer.needsInputGradient()) {
            MethodSpec.Builder input = MethodSpec.methodBuilder(inputGradientName(layer))
                    .addModifiers(Modifier.PRIVATE)
                    .addParameter(int.class, "batchSize")
                    .addJavadoc("$L = ($L $L^T) * f'($L), with f' of $L, for slots 0..batchSize-1$L.\n",
                            layer.previousDelta(), layer.delta(), layer.weights(), layer.previous().activations(),
                            layer.previousActivation().name().toLowerCase(java.util.Locale.ROOT),
                            layer.previous().dropout() ? " (times the dropout mask while dropping, applied after)" : "");
            if (layer.style() == KernelStyle.UNROLLED) {
                unrolledInputGradient(input, layer);
            } else {
                input.addStatement("$T d = $N", numeric.rows(), layer.delta());
                if (layer.vector().inputGradient()) {
                    input.beginControlFlow("if ($L)", NetworkEmitter.VECTOR_FLAG)
                            .addStatement("$L.$L(d, $N, $N, $N, batchSize)", VectorKernelEmitter.CLASS,
                                    inputGradientName(layer), layer.weightsTransposed(),
                                    layer.previous().activations(), layer.previousDelta())
                            .addStatement("return")
                            .endControlFlow();
                }
                tiledInputGradient(input, layer);
            }
            methods.add(input.build());
        }
        return methods;
    }

    private MethodSpec weightGradient(LayerPlan layer) {
        MethodSpec.Builder method = MethodSpec.methodBuilder(weightGradientName(layer))
                .addModifiers(Modifier.PRIVATE)
                .addParameter(int.class, "batchSize")
                .addParameter(int.class, "from")
                .addParameter(int.class, "to")
                .addJavadoc("$L[i] = sum_s $L[s][i] $L[s] for the rows from <= i < to, over slots 0..batchSize-1.\n",
                        layer.weightGradient(), layer.inputRows(), layer.delta());
        method.addStatement("$T x = $N", numeric.rows(), layer.inputRows());
        method.addStatement("$T d = $N", numeric.rows(), layer.delta());
        if (layer.vector().weightGradient()) {
            method.beginControlFlow("if ($L)", NetworkEmitter.VECTOR_FLAG);
            method.addStatement("$L.$L(x, d, $N, batchSize, from, to)", VectorKernelEmitter.CLASS,
                    weightGradientName(layer), layer.weightGradient());
            method.addStatement("return");
            method.endControlFlow();
        }
        tiledWeightGradient(method, layer);
        return method.build();
    }

    /**
     * The weight and bias gradients of an unrolled layer: every gradient is a sum over the
     * samples, kept in a local while a loop runs over the batch, and stored once. Up to
     * {@link #SUMS_PER_LOOP} sums share one loop: enough independent additions to hide their
     * latency, few enough to stay in registers. There is no zeroing pass before and no reloading
     * (for a small layer those cost more than the arithmetic), and the sums still run over the
     * samples in ascending order from zero.
     */
    private void unrolledGradient(MethodSpec.Builder method, LayerPlan layer) {
        if (layer.loopsOverUnits()) {
            unitLoopGradient(method, layer);
            return;
        }
        if (layer.unitMajor()) {
            inputLoopGradient(method, layer);
            return;
        }
        int in = layer.inputSize();
        int units = layer.units();
        TypeName row = numeric.array();
        String t = numeric.keyword();
        String zero = numeric.literal("0");
        // the sums in storage order: the biases (input -1), then the weights input by input
        List<int[]> sums = new ArrayList<>();
        for (int i = -1; i < in; i++) {
            for (int j = 0; j < units; j++) {
                sums.add(new int[] {i, j});
            }
        }
        for (int from = 0; from < sums.size(); from += SUMS_PER_LOOP) {
            List<int[]> chunk = sums.subList(from, Math.min(sums.size(), from + SUMS_PER_LOOP));
            method.addStatement("$L $L", t, chunk.stream()
                    .map(sum -> sumName(sum) + " = " + zero).collect(Collectors.joining(", ")));
            method.beginControlFlow("for (int s = 0; s < batchSize; s++)");
            int[] inputs = chunk.stream().mapToInt(sum -> sum[0]).filter(i -> i >= 0).distinct().toArray();
            method.addStatement("$T d = $N[s]", row, layer.delta());
            if (inputs.length > 0) {
                method.addStatement("$T x = $N[s]", row, layer.inputRows());
                method.addStatement("$L $L", t, Arrays.stream(inputs)
                        .mapToObj(i -> "x" + i + " = x[" + i + "]").collect(Collectors.joining(", ")));
            }
            for (int[] sum : chunk) {
                if (sum[0] < 0) {
                    method.addStatement("$L += d[$L]", sumName(sum), sum[1]);
                } else {
                    method.addStatement("$L = Math.fma(x$L, d[$L], $L)", sumName(sum), sum[0], sum[1], sumName(sum));
                }
            }
            method.endControlFlow();
            for (int[] sum : chunk) {
                if (sum[0] < 0) {
                    method.addStatement("$N[$L] = $L", layer.biasGradient(), sum[1], sumName(sum));
                } else {
                    method.addStatement("$N[0][$L] = $L", layer.weightGradient(), layer.weightIndex(sum[0], sum[1]),
                            sumName(sum));
                }
            }
        }
    }

    /**
     * The weight and bias gradients of an unrolled layer wide enough to loop over its units: every
     * sample adds its products row by row along the units, which C2 vectorises, the first one to
     * zero. So it needs a sample: every caller passes a batch size of at least 1 (the steps check
     * it; a worker with no slots of its own computes no gradient of an unrolled layer). Up to
     * {@link #ROWS_PER_LOOP} rows share one loop over the batch (the biases ride with the first).
     * The sums run over the samples in ascending order from zero, as in the narrow form.
     */
    private void unitLoopGradient(MethodSpec.Builder method, LayerPlan layer) {
        int in = layer.inputSize();
        TypeName row = numeric.array();
        method.addStatement("$T gb = $N", row, layer.biasGradient());
        method.addStatement("$T g = $N[0]", row, layer.weightGradient());
        for (int from = 0; from < in; from += ROWS_PER_LOOP) {
            int to = Math.min(in, from + ROWS_PER_LOOP);
            method.addComment("slot 0 starts every sum from zero, so no pass zeroes the rows first");
            method.addCode("{\n$>");
            method.addStatement("int s = 0");
            addProducts(method, layer, from, to, true);
            method.addCode("$<}\n");
            method.beginControlFlow("for (int s = 1; s < batchSize; s++)");
            addProducts(method, layer, from, to, false);
            method.endControlFlow();
        }
    }

    /**
     * One slot's products along the units for the gradient rows {@code from <= i < to} (and the
     * biases with the first rows): added to the sums, or, for the {@code first} slot, to zero.
     */
    private void addProducts(MethodSpec.Builder method, LayerPlan layer, int from, int to, boolean first) {
        TypeName row = numeric.array();
        String t = numeric.keyword();
        String zero = numeric.literal("0");
        method.addStatement("$T d = $N[s]", row, layer.delta());
        method.addStatement("$T x = $N[s]", row, layer.inputRows());
        StringBuilder inputs = new StringBuilder();
        for (int i = from; i < to; i++) {
            inputs.append(i == from ? "" : ", ").append("x").append(i).append(" = x[").append(i).append(']');
        }
        method.addStatement("$L $L", t, inputs);
        method.beginControlFlow("for (int j = 0; j < $L; j++)", layer.units());
        method.addStatement("$L dj = d[j]", t);
        if (from == 0) {
            method.addStatement(first ? "gb[j] = " + zero + " + dj" : "gb[j] += dj");
        }
        for (int i = from; i < to; i++) {
            String element = "g[" + LayerPlan.offset(i * layer.units(), "j") + "]";
            method.addStatement("$L = Math.fma(x$L, dj, $L)", element, i, first ? zero : element);
        }
        method.endControlFlow();
    }

    /**
     * The weight and bias gradients of a {@link LayerPlan#unitMajor} layer (few units, many
     * inputs): every sample adds its products along the inputs to each unit's gradient row, which
     * C2 vectorises, the first sample to zero (so, as in {@link #unitLoopGradient}, it needs a
     * batch of at least 1). All the rows (fewer than {@link NetworkPlanner#UNIT_LOOP_MIN_UNITS})
     * share one loop over the batch, and each sum still runs over the samples in ascending order
     * from zero, as in the narrow form.
     */
    private void inputLoopGradient(MethodSpec.Builder method, LayerPlan layer) {
        int units = layer.units();
        TypeName row = numeric.array();
        method.addStatement("$T gb = $N", row, layer.biasGradient());
        method.addStatement("$T g = $N[0]", row, layer.weightGradient());
        method.addComment("slot 0 starts every sum from zero, so no pass zeroes the rows first");
        method.addCode("{\n$>");
        method.addStatement("int s = 0");
        addProductsAlongInputs(method, layer, true);
        method.addCode("$<}\n");
        method.beginControlFlow("for (int s = 1; s < batchSize; s++)");
        addProductsAlongInputs(method, layer, false);
        method.endControlFlow();
    }

    /**
     * One slot's products along the inputs for every unit's gradient row, and its biases: added to
     * the sums, or, for the {@code first} slot, to zero.
     */
    private void addProductsAlongInputs(MethodSpec.Builder method, LayerPlan layer, boolean first) {
        int units = layer.units();
        TypeName row = numeric.array();
        String t = numeric.keyword();
        String zero = numeric.literal("0");
        method.addStatement("$T d = $N[s]", row, layer.delta());
        method.addStatement("$T x = $N[s]", row, layer.inputRows());
        method.addStatement(ForwardEmitter.declareScalars(t, "d", "d", units));
        for (int j = 0; j < units; j++) {
            if (first) {
                method.addStatement("gb[$L] = $L + d$L", j, zero, j);
            } else {
                method.addStatement("gb[$L] += d$L", j, j);
            }
        }
        method.beginControlFlow("for (int i = 0; i < $L; i++)", layer.inputSize());
        method.addStatement("$L xi = x[i]", t);
        for (int j = 0; j < units; j++) {
            String element = "g[" + LayerPlan.offset(j * layer.inputSize(), "i") + "]";
            method.addStatement("$L = Math.fma(xi, d$L, $L)", element, j, first ? zero : element);
        }
        method.endControlFlow();
    }

    /** Gradient rows that share one loop over the batch in {@link #unitLoopGradient}. */
    static final int ROWS_PER_LOOP = 8;

    /**
     * The input gradient of an unrolled layer, sample by sample: a loop over the inputs on the
     * weights by unit if it has inputs enough ({@link LayerPlan#loopsOverInputs}; the transposed
     * copy, or the weights themselves if {@link LayerPlan#unitMajor}), else every input written
     * out with the weight rows in locals.
     */
    private void unrolledInputGradient(MethodSpec.Builder method, LayerPlan layer) {
        int in = layer.inputSize();
        int units = layer.units();
        TypeName row = numeric.array();
        String t = numeric.keyword();
        LayerPlan previous = layer.previous();
        // the weights by unit: unit j's row of the transposed copy, or of the one-row weights
        boolean transposed = layer.keepsTransposed();
        if (transposed) {
            method.addStatement(ForwardEmitter.declareRows(row, "t", layer.weightsTransposed(), units));
        } else {
            method.addStatement("$T w = $N[0]", row, layer.weights());
        }
        // f' of the previous layer reads its activations (the input rows) and, for SILU and GELU,
        // its pre-activations.
        boolean needsZ = ActivationTraits.derivativeNeedsPreActivation(previous.activation());
        method.beginControlFlow("for (int s = 0; s < batchSize; s++)");
        method.addStatement("$T x = $N[s]", row, layer.inputRows());
        method.addStatement("$T d = $N[s]", row, layer.delta());
        method.addStatement(ForwardEmitter.declareScalars(t, "d", "d", units));
        method.addStatement("$T g = $N[s]", row, layer.previousDelta());
        if (needsZ) {
            method.addStatement("$T zp = $N[s]", row, previous.preActivations());
        }
        if (previous.dropout()) {
            // the input rows hold the dropped activations; f' reads the activations themselves
            method.addStatement("$T ap = $N[s]", row, previous.activations());
        }
        // one input: the loop's i over the transposed rows (one input per iteration, so that C2
        // vectorises along the inputs), or each input written out over the weights; the same
        // sums either way
        for (String i : ForwardEmitter.loopOrWrittenOut(method, layer.loopsOverInputs(), "i", in)) {
            IntFunction<String> weight = transposed ? j -> "t" + j + "[i]"
                    : layer.loopsOverInputs() ? j -> "w[" + LayerPlan.offset(j * in, "i") + "]"
                    : j -> "w[" + layer.weightIndex(Integer.parseInt(i), j) + "]";
            List<String[]> products = new ArrayList<>();
            for (int j = 1; j < units; j++) {
                products.add(new String[] {"d" + j, weight.apply(j)});
            }
            String sum = ForwardEmitter.fmaChain(method, units <= NetworkPlanner.TILE, t,
                    layer.loopsOverInputs() ? "sum" : "g" + i, "d0 * " + weight.apply(0), products);
            method.addStatement("g[$L] = $L", i, activations.timesDerivative(previous.activation(),
                    previous.alpha(), parenthesised(sum), previous.dropout() ? "ap[" + i + "]" : "x[" + i + "]",
                    needsZ ? "zp[" + i + "]" : null));
        }
        if (layer.loopsOverInputs()) {
            method.endControlFlow();
        }
        method.endControlFlow();
    }

    /**
     * Sums kept in locals by one loop over the samples: enough to hide the latency of the
     * additions, few enough to stay in registers.
     */
    static final int SUMS_PER_LOOP = 16;

    /** {@code b3} for the bias of unit 3, {@code g2_3} for the weight from input 2 to unit 3. */
    private static String sumName(int[] sum) {
        return sum[0] < 0 ? "b" + sum[1] : "g" + sum[0] + "_" + sum[1];
    }

    private static String parenthesised(String expression) {
        return expression.matches("[A-Za-z0-9_]+") || expression.startsWith("Math.") ? expression : "(" + expression + ")";
    }

    /** One weight-gradient row at a time (it stays in L1), four samples per pass. */
    private void tiledWeightGradient(MethodSpec.Builder method, LayerPlan layer) {
        int units = layer.units();
        TypeName row = numeric.array();
        String t = numeric.keyword();
        method.beginControlFlow("for (int i = from; i < to; i++)");
        method.addStatement("$T gw = $N[i]", row, layer.weightGradient());
        method.addStatement("$T.fill(gw, $L)", Arrays.class, numeric.literal("0"));
        method.addStatement("int s = 0");
        method.beginControlFlow("for (; s + $L <= batchSize; s += $L)", NetworkPlanner.TILE, NetworkPlanner.TILE);
        method.addStatement("$L x0 = x[s][i], x1 = x[s + 1][i], x2 = x[s + 2][i], x3 = x[s + 3][i]", t);
        method.addStatement("$T d0 = d[s], d1 = d[s + 1], d2 = d[s + 2], d3 = d[s + 3]", row);
        method.beginControlFlow("for (int j = 0; j < $L; j++)", units);
        method.addStatement(
                "gw[j] = Math.fma(x3, d3[j], Math.fma(x2, d2[j], Math.fma(x1, d1[j], Math.fma(x0, d0[j], gw[j]))))");
        method.endControlFlow();
        method.endControlFlow();
        method.beginControlFlow("for (; s < batchSize; s++)");
        method.addStatement("$L x0 = x[s][i]", t);
        method.addStatement("$T d0 = d[s]", row);
        method.beginControlFlow("for (int j = 0; j < $L; j++)", units);
        method.addStatement("gw[j] = Math.fma(x0, d0[j], gw[j])");
        method.endControlFlow();
        method.endControlFlow();
        method.endControlFlow();
    }

    private MethodSpec biasGradient(LayerPlan layer) {
        MethodSpec.Builder method = MethodSpec.methodBuilder(biasGradientName(layer))
                .addModifiers(Modifier.PRIVATE)
                .addParameter(int.class, "batchSize")
                .addParameter(int.class, "from")
                .addParameter(int.class, "to")
                .addJavadoc("$L[j] = sum_s $L[s][j] for the units from <= j < to, over slots 0..batchSize-1.\n",
                        layer.biasGradient(), layer.delta());
        method.addStatement("$T d = $N", numeric.rows(), layer.delta());
        method.addStatement("$T gb = $N", numeric.array(), layer.biasGradient());
        method.addStatement("$T.fill(gb, from, to, $L)", Arrays.class, numeric.literal("0"));
        method.beginControlFlow("for (int s = 0; s < batchSize; s++)");
        method.addStatement("$T ds = d[s]", numeric.array());
        method.beginControlFlow("for (int j = from; j < to; j++)");
        method.addStatement("gb[j] += ds[j]");
        method.endControlFlow();
        method.endControlFlow();
        return method.build();
    }

    /** Axpy over rows of the transposed weights, four units per pass; then the derivative. */
    private void tiledInputGradient(MethodSpec.Builder method, LayerPlan layer) {
        int in = layer.inputSize();
        int units = layer.units();
        int tile = NetworkPlanner.TILE;
        int main = units - units % tile;
        TypeName row = numeric.array();
        String t = numeric.keyword();
        method.addStatement("$T weightsT = $N", numeric.rows(), layer.weightsTransposed());
        method.beginControlFlow("for (int s = 0; s < batchSize; s++)");
        method.addStatement("$T ds = d[s]", row);
        method.addStatement("$T g = $N[s]", row, layer.previousDelta());
        method.addStatement("$T.fill(g, $L)", Arrays.class, numeric.literal("0"));
        if (main > 0) {
            method.beginControlFlow("for (int j = 0; j < $L; j += $L)", main, tile);
            method.addStatement("$L d0 = ds[j], d1 = ds[j + 1], d2 = ds[j + 2], d3 = ds[j + 3]", t);
            method.addStatement(
                    "$T t0 = weightsT[j], t1 = weightsT[j + 1], t2 = weightsT[j + 2], t3 = weightsT[j + 3]", row);
            method.beginControlFlow("for (int i = 0; i < $L; i++)", in);
            method.addStatement(
                    "g[i] = Math.fma(d3, t3[i], Math.fma(d2, t2[i], Math.fma(d1, t1[i], Math.fma(d0, t0[i], g[i]))))");
            method.endControlFlow();
            method.endControlFlow();
        }
        if (main < units) {
            method.beginControlFlow("for (int j = $L; j < $L; j++)", main, units);
            method.addStatement("$L d0 = ds[j]", t);
            method.addStatement("$T t0 = weightsT[j]", row);
            method.beginControlFlow("for (int i = 0; i < $L; i++)", in);
            method.addStatement("g[i] = Math.fma(d0, t0[i], g[i])");
            method.endControlFlow();
            method.endControlFlow();
        }
        LayerPlan previous = layer.previous();
        boolean needsZ = ActivationTraits.derivativeNeedsPreActivation(previous.activation());
        String times = activations.timesDerivative(previous.activation(), previous.alpha(), "g[i]", "as[i]",
                needsZ ? "zs[i]" : null);
        if (!times.equals("g[i]")) {
            if (times.contains("as[i]")) {
                method.addStatement("$T as = $N[s]", row, previous.activations());
            }
            if (needsZ) {
                method.addStatement("$T zs = $N[s]", row, previous.preActivations());
            }
            method.beginControlFlow("for (int i = 0; i < $L; i++)", in);
            method.addStatement("g[i] = $L", times);
            method.endControlFlow();
        }
        method.endControlFlow();
    }
}
