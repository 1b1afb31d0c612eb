package dev.chainrule.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.chainrule.Optimizer;
import dev.chainrule.TrainingStep;
import dev.chainrule.UpdateSettings;
import dev.chainrule.internal.Checks;
import dev.chainrule.internal.SquaredNorm;
import dev.chainrule.processor.plan.LayerPlan;
import dev.chainrule.processor.plan.NetworkPlan;
import java.util.List;
import java.util.Objects;
import javax.lang.model.element.Modifier;

/**
 * The nested {@code Step} class: the per-batch buffers (allocated once, in its constructor) and
 * the {@link TrainingStep} methods that call the kernels in order. Every kernel method is
 * written by the forward, loss, backward or update emitter.
 */
final class StepEmitter {

    static final String NAME = "Step";

    private final NetworkPlan plan;
    private final Numeric numeric;
    private final ClassName step;

    StepEmitter(NetworkPlan plan, Numeric numeric, ClassName step) {
        this.plan = plan;
        this.numeric = numeric;
        this.step = step;
    }

    TypeSpec emit() {
        TypeSpec.Builder type = TypeSpec.classBuilder(step)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addSuperinterface(TrainingStep.class)
                .addJavadoc("Buffers for batches of up to {@code maxBatchSize} samples, and the kernels that fill them.\n"
                        + "Rows are indexed [sample][unit]; deltas hold dL/dz of the batch's mean loss.\n");
        type.addField(int.class, "maxBatchSize", Modifier.PRIVATE, Modifier.FINAL);
        type.addField(FieldSpec.builder(UpdateSettings.class, "settings", Modifier.PRIVATE)
                .addJavadoc("The update rule's hyperparameters, set by {@link #setUpdateSettings}.\n")
                .initializer("$T.defaults($T.$L)", UpdateSettings.class, Optimizer.class, plan.spec().optimizer())
                .build());
        if (plan.dropout()) {
            DropoutEmitter.fields(type, plan, numeric);
        }
        type.addField(numeric.rows(), plan.inputRows(), Modifier.PRIVATE, Modifier.FINAL);
        type.addField(numeric.rows(), "targets", Modifier.PRIVATE, Modifier.FINAL);
        for (LayerPlan layer : plan.layers()) {
            type.addField(numeric.rows(), layer.activations(), Modifier.PRIVATE, Modifier.FINAL);
            if (layer.storesPreActivations()) {
                type.addField(numeric.rows(), layer.preActivations(), Modifier.PRIVATE, Modifier.FINAL);
            }
            if (layer.keepsExpSum()) {
                type.addField(numeric.array(), layer.expSum(), Modifier.PRIVATE, Modifier.FINAL);
            }
            if (layer.dropout()) {
                DropoutEmitter.layerFields(type, layer, numeric);
            }
            type.addField(numeric.rows(), layer.delta(), Modifier.PRIVATE, Modifier.FINAL);
            type.addField(FieldSpec.builder(numeric.rows(), layer.weightGradient(), Modifier.PRIVATE, Modifier.FINAL)
                    .addJavadoc("dL/d$L, in the same $L layout.\n", layer.weights(), layer.weightLayout())
                    .build());
            type.addField(numeric.array(), layer.biasGradient(), Modifier.PRIVATE, Modifier.FINAL);
        }
        type.addMethod(constructor());
        type.addMethod(MethodSpec.methodBuilder("maxBatchSize")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(int.class)
                .addStatement("return maxBatchSize")
                .build());
        type.addMethods(loaders());
        type.addMethods(passes());

        ForwardEmitter forward = new ForwardEmitter(numeric);
        BackwardEmitter backward = new BackwardEmitter(numeric);
        LossEmitter loss = new LossEmitter(numeric);
        InputSplitEmitter split = new InputSplitEmitter(plan, numeric, step);
        for (LayerPlan layer : plan.layers()) {
            type.addMethod(InputSplitEmitter.sumsInputsFirst(layer) ? split.forward() : forward.emit(layer));
        }
        for (LayerPlan layer : plan.layers()) {
            if (layer.dropout()) {
                type.addMethod(DropoutEmitter.drop(layer, numeric));
            }
        }
        if (plan.dropout()) {
            type.addMethod(DropoutEmitter.nextUniform());
        }
        type.addMethod(loss.loss(plan));
        type.addMethod(loss.outputGradient(plan));
        for (LayerPlan layer : reversed(plan.layers())) {
            type.addMethods(backward.emit(layer));
        }
        if (InputSplitEmitter.sumsInputsFirst(plan.layers().get(0))) {
            type.addMethods(split.stepMethods());
        }
        if (InputSplitEmitter.splits(plan)) {
            type.addType(split.worker());
        }
        return type.build();
    }

    private MethodSpec constructor() {
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PRIVATE)
                .addParameter(int.class, "maxBatchSize")
                .beginControlFlow("if (maxBatchSize < 1)")
                .addStatement("throw new $T($S + maxBatchSize)", IllegalArgumentException.class,
                        "maxBatchSize must be at least 1, got ")
                .endControlFlow()
                .addStatement("this.maxBatchSize = maxBatchSize");
        String t = numeric.keyword();
        constructor.addStatement("this.$N = new $L[maxBatchSize][$L]", plan.inputRows(), t, plan.inputSize());
        constructor.addStatement("this.targets = new $L[maxBatchSize][$L]", t, plan.outputSize());
        for (LayerPlan layer : plan.layers()) {
            constructor.addStatement("this.$N = new $L[maxBatchSize][$L]", layer.activations(), t, layer.units());
            if (layer.storesPreActivations()) {
                constructor.addStatement("this.$N = new $L[maxBatchSize][$L]", layer.preActivations(), t, layer.units());
            }
            if (layer.keepsExpSum()) {
                constructor.addStatement("this.$N = new $L[maxBatchSize]", layer.expSum(), t);
            }
            if (layer.dropout()) {
                DropoutEmitter.allocate(constructor, layer, numeric);
            }
            constructor.addStatement("this.$N = new $L[maxBatchSize][$L]", layer.delta(), t, layer.units());
            constructor.addStatement("this.$N = new $L[$L][$L]", layer.weightGradient(), t, layer.weightRows(),
                    layer.weightRowLength());
            constructor.addStatement("this.$N = new $L[$L]", layer.biasGradient(), t, layer.units());
        }
        return constructor.build();
    }

    private List<MethodSpec> loaders() {
        String own = numeric.keyword();
        String other = numeric.isFloat() ? "double" : "float";
        MethodSpec.Builder loadOwn = load(own)
                .addStatement("$T.arraycopy(features, featureOffset, $N[slot], 0, $L)", System.class, plan.inputRows(),
                        plan.inputSize())
                .addStatement("$T.arraycopy(targetValues, targetOffset, targets[slot], 0, $L)", System.class,
                        plan.outputSize());
        MethodSpec.Builder loadOther = load(other)
                .addStatement("$L[] x = $N[slot]", own, plan.inputRows())
                .beginControlFlow("for (int i = 0; i < $L; i++)", plan.inputSize())
                .addStatement("x[i] = $L", convert("features[featureOffset + i]", other))
                .endControlFlow()
                .addStatement("$L[] y = targets[slot]", own)
                .beginControlFlow("for (int j = 0; j < $L; j++)", plan.outputSize())
                .addStatement("y[j] = $L", convert("targetValues[targetOffset + j]", other))
                .endControlFlow();
        MethodSpec.Builder loadInput = MethodSpec.methodBuilder("loadInput")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .addParameter(int.class, "slot")
                .addParameter(double[].class, "features")
                .addParameter(int.class, "featureOffset")
                .addStatement("$T.checkIndex(slot, maxBatchSize)", Objects.class)
                .addStatement("$L[] x = $N[slot]", own, plan.inputRows())
                .beginControlFlow("for (int i = 0; i < $L; i++)", plan.inputSize())
                .addStatement("x[i] = $L", convert("features[featureOffset + i]", "double"))
                .endControlFlow();
        // The float overload first, as TrainingStep declares them.
        return numeric.isFloat()
                ? List.of(loadOwn.build(), loadOther.build(), loadInput.build())
                : List.of(loadOther.build(), loadOwn.build(), loadInput.build());
    }

    private String convert(String expression, String from) {
        return from.equals("double") ? numeric.fromDouble(expression) : expression;
    }

    private static MethodSpec.Builder load(String type) {
        com.palantir.javapoet.TypeName array = type.equals("float") ? com.palantir.javapoet.TypeName.get(float[].class)
                : com.palantir.javapoet.TypeName.get(double[].class);
        return MethodSpec.methodBuilder("load")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .addParameter(int.class, "slot")
                .addParameter(array, "features")
                .addParameter(int.class, "featureOffset")
                .addParameter(array, "targetValues")
                .addParameter(int.class, "targetOffset")
                .addStatement("$T.checkIndex(slot, maxBatchSize)", Objects.class);
    }

    private List<MethodSpec> passes() {
        MethodSpec.Builder forward = publicMethod("forward").addParameter(int.class, "batchSize")
                .addStatement("$T.requireBatchSize(batchSize, maxBatchSize)", Checks.class);
        MethodSpec loss = publicMethod("loss").returns(double.class).addParameter(int.class, "batchSize")
                .addStatement("forward(batchSize)")
                .addStatement("return $N(batchSize)", LossEmitter.LOSS)
                .build();
        MethodSpec.Builder gradients = publicMethod("computeGradients").returns(double.class)
                .addParameter(int.class, "batchSize");
        if (plan.dropout()) {
            // prediction and evaluation never drop; training drops when dropout is enabled
            forward.addStatement("$L = false", DropoutEmitter.DROPPING).addStatement("forwardLayers(batchSize)");
            gradients.addStatement("$T.requireBatchSize(batchSize, maxBatchSize)", Checks.class)
                    .addStatement("$L = $L", DropoutEmitter.DROPPING, DropoutEmitter.ENABLED)
                    .addStatement("forwardLayers(batchSize)");
        } else {
            for (LayerPlan layer : plan.layers()) {
                forward.addStatement("$N(batchSize)", ForwardEmitter.methodName(layer));
            }
            gradients.addStatement("forward(batchSize)");
        }
        gradients.addStatement("double loss = $N(batchSize)", LossEmitter.LOSS)
                .addStatement("$N(batchSize, batchSize)", LossEmitter.OUTPUT_GRADIENT);
        for (LayerPlan layer : reversed(plan.layers())) {
            gradients.addCode(BackwardEmitter.calls(layer));
            LayerPlan previous = layer.previous();
            if (previous != null && previous.dropout()) {
                gradients.beginControlFlow("if ($L)", DropoutEmitter.DROPPING)
                        .addStatement("maskRows($N, $N, batchSize)", previous.delta(), previous.mask())
                        .endControlFlow();
            }
        }
        gradients.addStatement("return loss");
        MethodSpec.Builder apply = publicMethod("applyGradients").addParameter(double.class, "learningRate")
                .addCode(new UpdateEmitter(plan, numeric).apply());
        MethodSpec.Builder copyGradients = publicMethod("gradients").addParameter(double[].class, "out")
                .addStatement("$T.requireLength(out, PARAMETER_COUNT, $S)", Checks.class, "gradient array")
                .addStatement("int k = 0");
        for (LayerPlan layer : plan.layers()) {
            copyGradients.addCode(NetworkEmitter.publicOrder(layer, layer.weightGradient(), layer.biasGradient(),
                    "out[k++] = $L"));
        }
        // The inverse of gradients(out): a distributed trainer sums the gradient elsewhere and
        // hands it back here, so the network's own update rule applies it.
        MethodSpec.Builder takeGradients = publicMethod("setGradients").addParameter(double[].class, "gradient")
                .addStatement("$T.requireLength(gradient, PARAMETER_COUNT, $S)", Checks.class, "gradient array")
                .addStatement("int k = 0");
        for (LayerPlan layer : plan.layers()) {
            takeGradients.addCode(NetworkEmitter.publicOrder(layer, layer.weightGradient(), layer.biasGradient(),
                    "$L = " + numeric.fromDouble("gradient[k++]")));
        }
        LayerPlan output = plan.output();
        MethodSpec.Builder copyOutput = publicMethod("output").addParameter(int.class, "slot")
                .addParameter(double[].class, "out")
                .addStatement("$T.checkIndex(slot, maxBatchSize)", Objects.class)
                .addStatement("$T.requireLength(out, OUTPUT_SIZE, $S)", Checks.class, "output array")
                .addStatement("$L[] a = $N[slot]", numeric.keyword(), output.activations())
                .beginControlFlow("for (int j = 0; j < $L; j++)", output.units())
                .addStatement("out[j] = a[j]")
                .endControlFlow();
        MethodSpec.Builder settings = publicMethod("setUpdateSettings")
                .addParameter(UpdateSettings.class, "settings")
                .addStatement("this.settings = $T.requireNonNull(settings, $S)", Objects.class, "settings is null");
        MethodSpec dropout = plan.dropout() ? DropoutEmitter.setDropout() : publicMethod("setDropout")
                .addParameter(boolean.class, "enabled")
                .addParameter(long.class, "seed")
                .addComment("no layer of this network has dropout")
                .build();
        MethodSpec.Builder norm = publicMethod("gradientSquaredNorm").returns(double.class)
                .addComment("layer by layer, weight rows then biases, each summed by SquaredNorm (eight partial sums,")
                .addComment("carried across a layer's rows and added in a fixed order)")
                .addStatement("double sum = 0");
        for (LayerPlan layer : plan.layers()) {
            norm.addStatement("sum += $T.ofRows($N, 0, $L)", SquaredNorm.class, layer.weightGradient(), layer.weightRows())
                    .addStatement("sum += $T.of($N, 0, $L)", SquaredNorm.class, layer.biasGradient(), layer.units());
        }
        norm.addStatement("return sum");
        MethodSpec.Builder scale = publicMethod("scaleGradients").addParameter(double.class, "factor")
                .addStatement("$L f = $L", numeric.keyword(), numeric.fromDouble("factor"));
        MethodSpec.Builder add = publicMethod("addGradients")
                .addParameter(TrainingStep.class, "other")
                .addParameter(double.class, "factor")
                .beginControlFlow("if (!(other instanceof $T))", step)
                .addStatement("throw new $T($S + other)", IllegalArgumentException.class,
                        "not a training step of this network: ")
                .endControlFlow()
                .addStatement("$T from = ($T) other", step, step)
                .addStatement("$L f = $L", numeric.keyword(), numeric.fromDouble("factor"));
        for (LayerPlan layer : plan.layers()) {
            scale.beginControlFlow("for ($T g : $N)", numeric.array(), layer.weightGradient())
                    .beginControlFlow("for (int j = 0; j < $L; j++)", layer.weightRowLength())
                    .addStatement("g[j] *= f")
                    .endControlFlow()
                    .endControlFlow()
                    .beginControlFlow("for (int j = 0; j < $L; j++)", layer.units())
                    .addStatement("$N[j] *= f", layer.biasGradient())
                    .endControlFlow();
            if (layer.singleRow()) {
                add.beginControlFlow("for (int j = 0; j < $L; j++)", layer.weightRowLength())
                        .addStatement("$N[0][j] = Math.fma(f, from.$N[0][j], $N[0][j])", layer.weightGradient(),
                                layer.weightGradient(), layer.weightGradient())
                        .endControlFlow();
            } else {
                add.beginControlFlow("for (int i = 0; i < $L; i++)", layer.weightRows())
                        .addStatement("$T g = $N[i], h = from.$N[i]", numeric.array(), layer.weightGradient(),
                                layer.weightGradient())
                        .beginControlFlow("for (int j = 0; j < $L; j++)", layer.weightRowLength())
                        .addStatement("g[j] = Math.fma(f, h[j], g[j])")
                        .endControlFlow()
                        .endControlFlow();
            }
            add.beginControlFlow("for (int j = 0; j < $L; j++)", layer.units())
                    .addStatement("$N[j] = Math.fma(f, from.$N[j], $N[j])", layer.biasGradient(),
                            layer.biasGradient(), layer.biasGradient())
                    .endControlFlow();
        }
        List<MethodSpec> methods = new java.util.ArrayList<>(List.of(forward.build(), loss, gradients.build(),
                apply.build(), settings.build(), dropout));
        if (plan.dropout()) {
            methods.add(DropoutEmitter.setDropoutRate(plan));
            methods.add(DropoutEmitter.forwardLayers(plan));
        }
        methods.addAll(List.of(norm.build(), scale.build(), add.build()));
        // The same, slice by slice, so that the threads of Trainer.threads(n) share combining and updating.
        UpdateEmitter update = new UpdateEmitter(plan, numeric);
        methods.addAll(new SliceEmitter(plan, numeric, step).methods());
        methods.add(publicMethod("applyGradients")
                .addParameter(double.class, "learningRate")
                .addParameter(int.class, "slice")
                .addParameter(int.class, "slices")
                .addCode(update.applySlice())
                .build());
        methods.add(publicMethod("completeUpdate").addCode(update.completeUpdate()).build());
        methods.addAll(List.of(copyGradients.build(), takeGradients.build(), copyOutput.build()));
        return methods;
    }

    /** The dense layers from the output back to the first, the order of the backward pass. */
    private static List<LayerPlan> reversed(List<LayerPlan> layers) {
        List<LayerPlan> copy = new java.util.ArrayList<>(layers);
        java.util.Collections.reverse(copy);
        return copy;
    }

    private static MethodSpec.Builder publicMethod(String name) {
        return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC);
    }
}
