package dev.chainrule.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.chainrule.Activation;
import dev.chainrule.internal.VectorSupport;
import dev.chainrule.processor.plan.ActivationTraits;
import dev.chainrule.processor.plan.LayerPlan;
import dev.chainrule.processor.plan.NetworkPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;

/**
 * The nested {@code VectorKernels} class: Vector API versions of the tiled kernels, each named
 * like the step method that calls it, written as register-blocked GEMM micro-kernels (4 rows x
 * 4 vectors, 16 accumulators; then 4 x 1, then scalar columns; 1 row for the leftover rows). The
 * species is {@code SPECIES_PREFERRED}, never a fixed width. Every sum runs over the reduction index in ascending order from the same start
 * as the portable kernel, with one rounding per fused multiply-add, so both paths give
 * bit-identical results.
 */
final class VectorKernelEmitter {

    static final String CLASS = "VectorKernels";

    /** Imported statically by files with vector kernels: comparisons read {@code compare(GT, 0f)}. */
    static final ClassName OPERATORS = ClassName.get("jdk.incubator.vector", "VectorOperators");
    private static final String PACKAGE = "jdk.incubator.vector";
    private static final int ROWS = 4;
    private static final int VECTORS = 4;

    private final NetworkPlan plan;
    private final Numeric numeric;
    private final ActivationMath activations;
    private final ClassName vector;
    private final String t;

    VectorKernelEmitter(NetworkPlan plan, Numeric numeric) {
        this.plan = plan;
        this.numeric = numeric;
        this.activations = new ActivationMath(numeric);
        this.vector = ClassName.get(PACKAGE, numeric.isFloat() ? "FloatVector" : "DoubleVector");
        this.t = numeric.keyword();
    }

    /** Whether the forward kernel applies the activation itself (cheap lane-wise activations). */
    static boolean fusesActivation(LayerPlan layer) {
        return !layer.storesPreActivations() && ActivationTraits.laneWiseValue(layer.activation());
    }

    TypeSpec emit() {
        TypeName species = ParameterizedTypeName.get(ClassName.get(PACKAGE, "VectorSpecies"),
                numeric.isFloat() ? ClassName.get(Float.class) : ClassName.get(Double.class));
        TypeSpec.Builder type = TypeSpec.classBuilder(CLASS)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Vector API kernels, loaded only when {@code jdk.incubator.vector} is present (see\n"
                        + "{@code VECTOR_KERNELS}). They compute exactly what the portable kernels compute.\n")
                .addField(FieldSpec.builder(species, "S", Modifier.STATIC, Modifier.FINAL)
                        .addJavadoc("The widest vectors this CPU runs fast.\n")
                        .initializer("$T.SPECIES_PREFERRED", vector)
                        .build())
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
        type.addMethod(warmUp());
        for (LayerPlan layer : plan.layers()) {
            if (layer.vector().forward()) {
                type.addMethods(InputSplitEmitter.sumsInputsFirst(layer) ? forwardInputs(layer) : forward(layer));
            }
            if (layer.vector().weightGradient()) {
                type.addMethods(weightGradient(layer));
            }
            if (layer.vector().inputGradient()) {
                type.addMethods(inputGradient(layer));
            }
        }
        return type.build();
    }

    /**
     * A task that runs every kernel on the first {@code rows} rows of zeroed arrays of the layers'
     * shapes ({@link VectorSupport#WARM_UP_ROWS} rows: one 4-row block and one leftover row), for
     * {@code VectorSupport.warmUp} to repeat until compiled; with 0 rows a call does no work but
     * still counts as an invocation for the JIT.
     */
    private MethodSpec warmUp() {
        CodeBlock rows = CodeBlock.of("$T.WARM_UP_ROWS", VectorSupport.class);
        MethodSpec.Builder method = MethodSpec.methodBuilder("warmUp")
                .addModifiers(Modifier.STATIC)
                .returns(IntConsumer.class)
                .addJavadoc("Every kernel on the first {@code rows} rows of zeroed arrays of the layers' shapes, for the\n"
                        + "warm-up thread to repeat; with 0 rows a call does no work but counts as an invocation.\n");
        CodeBlock.Builder calls = CodeBlock.builder();
        for (LayerPlan layer : plan.layers()) {
            String n = layer.capitalized();
            if (!layer.vector().any()) {
                continue;
            }
            method.addStatement("$L[][] x$L = new $L[$L][$L], w$L = new $L[$L][$L], d$L = new $L[$L][$L]",
                    t, n, t, rows, layer.inputSize(), n, t, layer.inputSize(), layer.units(), n, t, rows, layer.units());
            if (layer.vector().forward()) {
                method.addStatement("$L[][] z$L = new $L[$L][$L]", t, n, t, rows, layer.units());
                if (InputSplitEmitter.sumsInputsFirst(layer)) {
                    calls.addStatement("$L(x$L, w$L, z$L, rows, 0, $L)", InputSplitEmitter.forwardInputsName(layer),
                            n, n, n, layer.inputSize());
                } else {
                    method.addStatement("$L[] b$L = new $L[$L]", t, n, t, layer.units());
                    calls.addStatement("$L(x$L, w$L, b$L, z$L, rows)", ForwardEmitter.methodName(layer), n, n, n, n);
                }
            }
            if (layer.vector().weightGradient()) {
                method.addStatement("$L[][] gw$L = new $L[$L][$L]", t, n, t, layer.inputSize(), layer.units());
                calls.addStatement("$L(x$L, d$L, gw$L, rows, 0, $L)", BackwardEmitter.weightGradientName(layer),
                        n, n, n, layer.inputSize());
            }
            if (layer.vector().inputGradient()) {
                method.addStatement("$L[][] wt$L = new $L[$L][$L], g$L = new $L[$L][$L]",
                        t, n, t, layer.units(), layer.inputSize(), n, t, rows, layer.inputSize());
                calls.addStatement("$L(d$L, wt$L, x$L, g$L, rows)", BackwardEmitter.inputGradientName(layer), n, n, n, n);
            }
        }
        return method.addCode("return rows -> {\n$>").addCode(calls.build()).addCode("$<};\n").build();
    }

    /** z[s] = x[s] W + b over the batch, with a lane-wise activation fused into the store. */
    private List<MethodSpec> forward(LayerPlan layer) {
        Activation fused = fusesActivation(layer) ? layer.activation() : Activation.LINEAR;
        MethodSpec.Builder method = kernel(ForwardEmitter.methodName(layer),
                "$L: z = x W + b$L, along units; rows are samples, the sum runs over $L inputs.\n",
                layer.name(), fused == Activation.LINEAR ? "" : ", then " + fused.name().toLowerCase(java.util.Locale.ROOT),
                layer.inputSize())
                .addParameter(numeric.rows(), "x")
                .addParameter(numeric.rows(), "w")
                .addParameter(numeric.array(), "bias")
                .addParameter(numeric.rows(), "z")
                .addParameter(int.class, "batchSize");
        Gemm gemm = new Gemm("s", "batchSize", layer.units(), String.valueOf(layer.inputSize()),
                r -> "x" + r + "[k]", null, "w[k]", "bias", "z",
                (r, acc, j) -> vectorActivation(fused, layer.alpha(), acc),
                (r, acc, j) -> scalarActivation(fused, layer.alpha(), acc));
        gemm.hoist = r -> List.of(rowDecl("x", "x", r), rowDecl("z", "z", r));
        return split(method, gemm);
    }

    /**
     * The first layer's weighted inputs summed over the inputs {@code kFrom <= k < kTo} only, from
     * zero, with no bias and no activation: one worker's share when a batch is split by inputs.
     */
    private List<MethodSpec> forwardInputs(LayerPlan layer) {
        MethodSpec.Builder method = kernel(InputSplitEmitter.forwardInputsName(layer),
                "$L: z = sum_k x[k] W[k] over kFrom <= k < kTo, along units; rows are samples.\n", layer.name())
                .addParameter(numeric.rows(), "x")
                .addParameter(numeric.rows(), "w")
                .addParameter(numeric.rows(), "z")
                .addParameter(int.class, "batchSize")
                .addParameter(int.class, "kFrom")
                .addParameter(int.class, "kTo");
        Gemm gemm = new Gemm("s", "batchSize", layer.units(), "kTo",
                r -> "x" + r + "[k]", null, "w[k]", null, "z",
                (r, acc, j) -> acc, (r, acc, j) -> acc);
        gemm.kStart = "kFrom";
        gemm.hoist = r -> List.of(rowDecl("x", "x", r), rowDecl("z", "z", r));
        return split(method, gemm);
    }

    /** gw[i] = sum over samples of x[s][i] d[s] for the rows {@code rowFrom <= i < rowTo}, four at a time. */
    private List<MethodSpec> weightGradient(LayerPlan layer) {
        MethodSpec.Builder method = kernel(BackwardEmitter.weightGradientName(layer),
                "$L: dL/dW[i] = sum_s x[s][i] d[s] for rowFrom <= i < rowTo, along units; rows are inputs, the sum\n"
                        + "runs over samples.\n",
                layer.name())
                .addParameter(numeric.rows(), "x")
                .addParameter(numeric.rows(), "d")
                .addParameter(numeric.rows(), "gw")
                .addParameter(int.class, "batchSize")
                .addParameter(int.class, "rowFrom")
                .addParameter(int.class, "rowTo");
        Gemm gemm = new Gemm("i", "rowTo", layer.units(), "batchSize",
                r -> "xk[i" + plus(r) + "]", "x[k]", "d[k]", null, "gw",
                (r, acc, j) -> acc, (r, acc, j) -> acc);
        gemm.rowStart = "rowFrom";
        gemm.hoist = r -> List.of(rowDecl("g", "gw", r));
        return split(method, gemm);
    }

    /** g[s] = (d[s] W^T) * f'(a[s]) over the batch, along inputs, from the transposed weights. */
    private List<MethodSpec> inputGradient(LayerPlan layer) {
        Activation previous = layer.previousActivation();
        double alpha = layer.previous().alpha();
        MethodSpec.Builder method = kernel(BackwardEmitter.inputGradientName(layer),
                "$L: g = (d W^T) * f'(a) with f' of $L, along inputs; rows are samples, the sum runs over $L units.\n",
                layer.name(), previous.name().toLowerCase(java.util.Locale.ROOT), layer.units())
                .addParameter(numeric.rows(), "d")
                .addParameter(numeric.rows(), "wt")
                .addParameter(numeric.rows(), "a")
                .addParameter(numeric.rows(), "g")
                .addParameter(int.class, "batchSize");
        Gemm gemm = new Gemm("s", "batchSize", layer.inputSize(), String.valueOf(layer.units()),
                r -> "d" + r + "[k]", null, "wt[k]", null, "g",
                (r, acc, j) -> vectorDerivative(previous, alpha, acc, "a" + r, j),
                (r, acc, j) -> activations.timesDerivative(previous, alpha, acc, "a" + r + "[" + j + "]", null));
        gemm.hoist = r -> List.of(rowDecl("d", "d", r), rowDecl("a", "a", r), rowDecl("g", "g", r));
        return split(method, gemm);
    }

    private MethodSpec.Builder kernel(String name, String javadoc, Object... arguments) {
        return MethodSpec.methodBuilder(name)
                .addModifiers(Modifier.STATIC)
                .addJavadoc(javadoc, arguments);
    }

    /**
     * A kernel as three methods: the kernel itself, which calls the other two; {@code <kernel>Blocks}, the
     * rows in blocks of {@link #ROWS}; and {@code <kernel>Rest}, the rows left over. Until C2 compiles a
     * kernel, C1 does, inlining every Vector API call; with both loops in one method the input-gradient
     * kernels ran C1 out of virtual registers, and a kernel C1 gives up on while C2 is busy with other code
     * can stay in its profiling tier for good, allocating on every call, so the warm-up never ends.
     */
    private List<MethodSpec> split(MethodSpec.Builder kernel, Gemm gemm) {
        MethodSpec shape = kernel.build();
        String name = shape.name();
        String arguments = shape.parameters().stream().map(parameter -> parameter.name())
                .collect(Collectors.joining(", "));
        MethodSpec blocks = MethodSpec.methodBuilder(name + "Blocks")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc("$L for the rows in blocks of $L; returns the first row left over.\n", name, ROWS)
                .addParameters(shape.parameters())
                .returns(int.class)
                .addCode(gemm.blocks())
                .build();
        MethodSpec rest = MethodSpec.methodBuilder(name + "Rest")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc("$L for the rows from {@code from} on, one at a time.\n", name)
                .addParameters(shape.parameters())
                .addParameter(int.class, "from")
                .addCode(gemm.remainder())
                .build();
        MethodSpec dispatch = kernel
                .addComment("blocks of $L rows, then the rest: two methods, so that C1 can compile each until C2 does", ROWS)
                .addStatement("$L($L, $L($L))", rest.name(), arguments, blocks.name(), arguments)
                .build();
        return List.of(dispatch, blocks, rest);
    }

    private String rowDecl(String prefix, String array, int rows) {
        StringBuilder s = new StringBuilder(t).append("[] ");
        for (int r = 0; r < rows; r++) {
            s.append(r == 0 ? "" : ", ").append(prefix).append(r).append(" = ").append(array).append('[')
                    .append(rows == 1 ? "@" : "@" + plus(r)).append(']');
        }
        return s.toString();
    }

    private static String plus(int r) {
        return r == 0 ? "" : " + " + r;
    }

    private String vectorActivation(Activation activation, double alpha, String acc) {
        return switch (activation) {
            case LINEAR -> acc;
            case RELU -> acc + ".max(" + numeric.literal("0") + ")";
            case LEAKY_RELU -> acc + ".blend(" + acc + ".mul(" + numeric.constant(alpha)
                    + "), " + acc + ".compare(GT, " + numeric.literal("0") + ").not())";
            default -> throw new IllegalArgumentException(activation + " is not fused");
        };
    }

    private String scalarActivation(Activation activation, double alpha, String acc) {
        return activation == Activation.LINEAR ? acc : activations.apply(activation, alpha, acc);
    }

    /**
     * {@code g * f'(a)} lane-wise, with {@code a} loaded from the row {@code aRow} at column
     * {@code j}: the same operations in the same order as {@link ActivationMath#timesDerivative},
     * for the activations {@link ActivationTraits#laneWiseDerivative} admits.
     */
    private String vectorDerivative(Activation activation, double alpha, String g, String aRow, String j) {
        String a = vector.simpleName() + ".fromArray(S, " + aRow + ", " + j + ")";
        String zero = numeric.literal("0");
        String one = numeric.literal("1");
        String notPositive = a + ".compare(GT, " + zero + ").not()";
        return switch (activation) {
            case LINEAR -> g;
            case SIGMOID -> g + ".mul(" + a + ".mul(" + a + ".neg().add(" + one + ")))";
            case TANH -> g + ".mul(" + a + ".mul(" + a + ").neg().add(" + one + "))";
            case RELU -> {
                String[] scale = activations.reluSlopeScale();
                yield g + ".mul(" + a + ".mul(" + scale[0] + ").mul(" + scale[1] + ").min(" + one + "))";
            }
            case LEAKY_RELU -> g + ".blend(" + g + ".mul(" + numeric.constant(alpha) + "), " + notPositive + ")";
            case ELU -> g + ".blend(" + g + ".mul(" + a + ".add(" + numeric.constant(alpha) + ")), " + notPositive + ")";
            case SELU -> g + ".mul(" + numeric.constant(Activation.SELU_SCALE) + ").blend(" + g + ".mul(" + a + ".add("
                    + numeric.constant(ActivationMath.SELU_SCALE_ALPHA) + ")), " + notPositive + ")";
            case SOFTPLUS, SILU, GELU, SOFTMAX ->
                    throw new IllegalArgumentException(activation + "'s derivative is not lane-wise exact");
        };
    }

    /** The epilogue applied to an accumulator before it is stored: (row, accumulator, column). */
    @FunctionalInterface
    private interface Epilogue {
        String apply(int row, String accumulator, String column);
    }

    /**
     * One register-blocked loop nest computing {@code out[row][j] = epilogue(init[j] + sum_k
     * A(row, k) B(k)[j])}, {@code k} from {@link #kStart} below {@code kBound}, for every row from
     * {@link #rowStart} below {@code rowBound} and every column below {@code columns}.
     */
    private final class Gemm {
        final String row;
        final String rowBound;
        final int columns;
        final String kBound;
        final IntFunction<String> a;
        final String aRowPerK;
        final String bRow;
        final String init;
        final String out;
        final Epilogue vectorEpilogue;
        final Epilogue scalarEpilogue;
        IntFunction<List<String>> hoist;
        /** The first row, and the first value of the reduction index. */
        String rowStart = "0";
        String kStart = "0";

        Gemm(String row, String rowBound, int columns, String kBound, IntFunction<String> a, String aRowPerK,
                String bRow, String init, String out, Epilogue vectorEpilogue, Epilogue scalarEpilogue) {
            this.row = row;
            this.rowBound = rowBound;
            this.columns = columns;
            this.kBound = kBound;
            this.a = a;
            this.aRowPerK = aRowPerK;
            this.bRow = bRow;
            this.init = init;
            this.out = out;
            this.vectorEpilogue = vectorEpilogue;
            this.scalarEpilogue = scalarEpilogue;
        }

        /** The rows in blocks of {@link #ROWS}, from {@link #rowStart}; returns the first row left over. */
        CodeBlock blocks() {
            CodeBlock.Builder code = CodeBlock.builder();
            code.addStatement("final int lanes = S.length()");
            code.addStatement("int $L = $L", row, rowStart);
            code.beginControlFlow("for (; $L + $L <= $L; $L += $L)", row, ROWS, rowBound, row, ROWS);
            rowBlock(code, ROWS);
            code.endControlFlow();
            code.addStatement("return $L", row);
            return code.build();
        }

        /** The rows from {@code from} on, one at a time. */
        CodeBlock remainder() {
            CodeBlock.Builder code = CodeBlock.builder();
            code.addStatement("final int lanes = S.length()");
            code.beginControlFlow("for (int $L = from; $L < $L; $L++)", row, row, rowBound, row);
            rowBlock(code, 1);
            code.endControlFlow();
            return code.build();
        }

        private void rowBlock(CodeBlock.Builder code, int rows) {
            for (String declaration : hoist.apply(rows)) {
                code.addStatement(declaration.replace("@", row));
            }
            code.addStatement("int j = 0");
            if (columns >= VECTORS * narrowestLanes()) {
                code.beginControlFlow("for (; j + $L * lanes <= $L; j += $L * lanes)", VECTORS, columns, VECTORS);
                vectorBlock(code, rows, VECTORS);
                code.endControlFlow();
            }
            code.beginControlFlow("for (; j + lanes <= $L; j += lanes)", columns);
            vectorBlock(code, rows, 1);
            code.endControlFlow();
            code.beginControlFlow("for (; j < $L; j++)", columns);
            scalarBlock(code, rows);
            code.endControlFlow();
        }

        /**
         * The fewest lanes a preferred species has on a CPU worth vectorising for (256-bit AVX2).
         * Narrower rows than four such vectors never enter the 4-vector loop, so it is not emitted.
         */
        private int narrowestLanes() {
            return numeric.isFloat() ? 8 : 4;
        }

        private String column(int v) {
            return v == 0 ? "j" : v == 1 ? "j + lanes" : "j + " + v + " * lanes";
        }

        private void vectorBlock(CodeBlock.Builder code, int rows, int vectors) {
            String v = vector.simpleName();
            List<String> first = new ArrayList<>();
            for (int c = 0; c < vectors; c++) {
                first.add("c0" + c + " = " + (init == null
                        ? v + ".zero(S)"
                        : v + ".fromArray(S, " + init + ", " + column(c) + ")"));
            }
            code.addStatement("$T $L", vector, String.join(", ", first));
            for (int r = 1; r < rows; r++) {
                List<String> more = new ArrayList<>();
                for (int c = 0; c < vectors; c++) {
                    more.add("c" + r + c + " = c0" + c);
                }
                code.addStatement("$T $L", vector, String.join(", ", more));
            }
            code.beginControlFlow("for (int k = $L; k < $L; k++)", kStart, kBound);
            if (aRowPerK != null) {
                code.addStatement("$L[] xk = $L", t, aRowPerK);
            }
            code.addStatement("$L[] bk = $L", t, bRow);
            List<String> loads = new ArrayList<>();
            for (int c = 0; c < vectors; c++) {
                loads.add("b" + c + " = " + v + ".fromArray(S, bk, " + column(c) + ")");
            }
            code.addStatement("$T $L", vector, String.join(", ", loads));
            for (int r = 0; r < rows; r++) {
                code.addStatement("$T v$L = $T.broadcast(S, $L)", vector, r, vector, a.apply(r));
                for (int c = 0; c < vectors; c++) {
                    code.addStatement("c$L$L = b$L.fma(v$L, c$L$L)", r, c, c, r, r, c);
                }
            }
            code.endControlFlow();
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < vectors; c++) {
                    code.addStatement("$L.intoArray($L$L, $L)",
                            vectorEpilogue.apply(r, "c" + r + c, column(c)), outPrefix(), r, column(c));
                }
            }
        }

        private void scalarBlock(CodeBlock.Builder code, int rows) {
            List<String> first = new ArrayList<>();
            for (int r = 0; r < rows; r++) {
                first.add("c" + r + " = " + (init == null ? numeric.literal("0") : init + "[j]"));
            }
            code.addStatement("$L $L", t, String.join(", ", first));
            code.beginControlFlow("for (int k = $L; k < $L; k++)", kStart, kBound);
            if (aRowPerK != null) {
                code.addStatement("$L[] xk = $L", t, aRowPerK);
            }
            code.addStatement("$L bkj = $L[j]", t, bRow);
            for (int r = 0; r < rows; r++) {
                code.addStatement("c$L = Math.fma($L, bkj, c$L)", r, a.apply(r), r);
            }
            code.endControlFlow();
            for (int r = 0; r < rows; r++) {
                code.addStatement("$L$L[j] = $L", outPrefix(), r, scalarEpilogue.apply(r, "c" + r, "j"));
            }
        }

        private String outPrefix() {
            return out.equals("gw") ? "g" : out;
        }
    }
}
