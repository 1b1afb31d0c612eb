package dev.chainrule.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import dev.chainrule.TrainingStep;
import dev.chainrule.internal.Checks;
import dev.chainrule.internal.SquaredNorm;
import dev.chainrule.processor.plan.LayerPlan;
import dev.chainrule.processor.plan.NetworkPlan;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The step's methods that work on one slice of the parameters, so that the threads of
 * {@code Trainer.threads(n)} combine their parts' gradients and apply the update at the same time,
 * each on its own slice: {@code combineGradients} and the sliced {@code scaleGradients} here, the
 * sliced {@code applyGradients} and {@code completeUpdate} from the {@link UpdateEmitter}. Slice
 * {@code s} of {@code slices} is, in every layer, the weight rows {@code i} and the biases
 * {@code j} in {@code [size * s / slices, size * (s + 1) / slices)}; each element gets the
 * arithmetic of the unsliced method, so the result is the same bit for bit.
 */
final class SliceEmitter {

    private final NetworkPlan plan;
    private final Numeric numeric;
    private final ClassName step;

    SliceEmitter(NetworkPlan plan, Numeric numeric, ClassName step) {
        this.plan = plan;
        this.numeric = numeric;
        this.step = step;
    }

    /**
     * Sets {@code from} and {@code to} to the bounds of the slice of {@code size} rows or biases,
     * declaring them if {@code declare} (the first time in a method).
     */
    static void bounds(CodeBlock.Builder code, int size, boolean declare) {
        String type = declare ? "int " : "";
        code.addStatement("$Lfrom = $T.sliceStart($L, slice, slices)", type, Checks.class, size)
                .addStatement("$Lto = $T.sliceStart($L, slice + 1, slices)", type, Checks.class, size);
    }

    /** A layer's comment, then {@link #bounds} of its slice of weight rows. */
    static void rowBounds(CodeBlock.Builder code, LayerPlan layer, boolean declare) {
        code.add("// $L: weight rows, then biases\n", layer.name());
        bounds(code, layer.weightRows(), declare);
    }

    List<MethodSpec> methods() {
        List<MethodSpec> methods = new ArrayList<>();
        methods.add(combine());
        for (LayerPlan layer : plan.layers()) {
            methods.add(combineLayer(layer));
        }
        methods.add(scale());
        return methods;
    }

    /**
     * The method that combines one layer's slice: {@code combineHiddenSlice} (not
     * {@code combineHidden}, which a layer named {@code gradients} would turn into
     * {@code combineGradients}).
     */
    private static String combineLayerName(LayerPlan layer) {
        return "combine" + layer.capitalized() + "Slice";
    }

    /**
     * Checks the arguments and combines layer by layer, one method per layer, so that no method
     * grows with the depth of the network (past the JIT's 8000 bytes it would stay interpreted).
     */
    private MethodSpec combine() {
        CodeBlock.Builder code = CodeBlock.builder()
                .add("// With Trainer.threads(n), worker k computes the gradient of its part of the batch in parts[k]; then\n")
                .add("// each worker combines its own slice of the parameters into this step, all at once (slice s of\n")
                .add("// every layer: the weight rows and the biases in [size * s / slices, size * (s + 1) / slices)):\n")
                .add("//   g = factors[0] g_0, then g = fma(factors[k], g_k, g) for k = 1, 2, ...\n")
                .add("// element by element what scaleGradients(factors[0]) and addGradients(parts[k], factors[k]) do;\n")
                .add("// empty parts (factor 0) are skipped. Returns the slice's share of gradientSquaredNorm().\n")
                .addStatement("$T.requireParts(this, parts, factors)", Checks.class)
                .addStatement("$T.requireSlice(slice, slices)", Checks.class)
                .beginControlFlow("for ($T part : parts)", TrainingStep.class)
                .beginControlFlow("if (!(part instanceof $T))", step)
                .addStatement("throw new $T($S + part)", IllegalArgumentException.class,
                        "not a training step of this network: ")
                .endControlFlow()
                .endControlFlow()
                .addStatement("double sum = 0");
        for (LayerPlan layer : plan.layers()) {
            code.addStatement("sum += $N(parts, factors, slice, slices)", combineLayerName(layer));
        }
        code.addStatement("return sum");
        return partsAndSlice(method("combineGradients").returns(double.class))
                .addCode(code.build())
                .build();
    }

    private MethodSpec combineLayer(LayerPlan layer) {
        String t = numeric.keyword();
        String weights = layer.weightGradient();
        String biases = layer.biasGradient();
        CodeBlock.Builder code = CodeBlock.builder()
                .addStatement("$L first = $L", t, numeric.fromDouble("factors[0]"))
                .addStatement("double sum = 0");
        bounds(code, layer.weightRows(), true);
        code.beginControlFlow("for (int i = from; i < to; i++)")
                .addStatement("$T g = $N[i]", numeric.array(), weights)
                .beginControlFlow("for (int j = 0; j < $L; j++)", layer.weightRowLength())
                .addStatement("g[j] *= first")
                .endControlFlow();
        otherParts(code, weights + "[i]", "0", Integer.toString(layer.weightRowLength()), "g[j]");
        code.addStatement("sum += $T.of(g, 0, $L)", SquaredNorm.class, layer.weightRowLength())
                .endControlFlow();
        bounds(code, layer.units(), false);
        code.beginControlFlow("for (int j = from; j < to; j++)")
                .addStatement("$N[j] *= first", biases)
                .endControlFlow();
        otherParts(code, biases, "from", "to", biases + "[j]");
        code.addStatement("sum += $T.of($N, from, to)", SquaredNorm.class, biases);
        code.addStatement("return sum");
        return partsAndSlice(MethodSpec.methodBuilder(combineLayerName(layer))
                .addModifiers(Modifier.PRIVATE)
                .addJavadoc("combineGradients on the slice of layer $L: its weight rows, then its biases. Returns the sum\n"
                        + "of the squares of the combined values, in that order.\n", layer.name())
                .returns(double.class))
                .addCode(code.build())
                .build();
    }

    /** combineGradients' parameters, shared by its per-layer methods. */
    private static MethodSpec.Builder partsAndSlice(MethodSpec.Builder method) {
        return method.addParameter(TrainingStep[].class, "parts")
                .addParameter(double[].class, "factors")
                .addParameter(int.class, "slice")
                .addParameter(int.class, "slices");
    }

    /** {@code target = fma(f, h[j], target)} over {@code [from, to)} for every other part with a factor. */
    private void otherParts(CodeBlock.Builder code, String row, String from, String to, String target) {
        code.beginControlFlow("for (int k = 1; k < parts.length; k++)")
                .beginControlFlow("if (factors[k] != 0)")
                .addStatement("$L f = $L", numeric.keyword(), numeric.fromDouble("factors[k]"))
                .addStatement("$T h = (($T) parts[k]).$L", numeric.array(), step, row)
                .beginControlFlow("for (int j = $L; j < $L; j++)", from, to)
                .addStatement("$L = Math.fma(f, h[j], $L)", target, target)
                .endControlFlow()
                .endControlFlow()
                .endControlFlow();
    }

    private MethodSpec scale() {
        CodeBlock.Builder code = CodeBlock.builder()
                .add("// scaleGradients(factor) on one slice (see combineGradients): for clipping slice by slice\n")
                .addStatement("$T.requireSlice(slice, slices)", Checks.class)
                .addStatement("$L f = $L", numeric.keyword(), numeric.fromDouble("factor"));
        boolean declare = true;
        for (LayerPlan layer : plan.layers()) {
            rowBounds(code, layer, declare);
            declare = false;
            code.beginControlFlow("for (int i = from; i < to; i++)")
                    .addStatement("$T g = $N[i]", numeric.array(), layer.weightGradient())
                    .beginControlFlow("for (int j = 0; j < $L; j++)", layer.weightRowLength())
                    .addStatement("g[j] *= f")
                    .endControlFlow()
                    .endControlFlow();
            bounds(code, layer.units(), false);
            code.beginControlFlow("for (int j = from; j < to; j++)")
                    .addStatement("$N[j] *= f", layer.biasGradient())
                    .endControlFlow();
        }
        return method("scaleGradients")
                .addParameter(double.class, "factor")
                .addParameter(int.class, "slice")
                .addParameter(int.class, "slices")
                .addCode(code.build())
                .build();
    }

    private static MethodSpec.Builder method(String name) {
        return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC);
    }
}
