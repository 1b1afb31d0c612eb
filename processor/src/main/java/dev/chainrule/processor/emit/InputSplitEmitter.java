package dev.chainrule.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.chainrule.WorkerStep;
import dev.chainrule.internal.Checks;
import dev.chainrule.internal.SquaredNorm;
import dev.chainrule.processor.plan.KernelStyle;
import dev.chainrule.processor.plan.LayerPlan;
import dev.chainrule.processor.plan.NetworkPlan;
import dev.chainrule.processor.plan.NetworkPlanner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The step's split of a batch by the first layer's inputs ({@link WorkerStep}), for
 * {@code Trainer.threads(n)}: {@code workerSteps(workers)} and the nested {@code Worker} class,
 * plus the step's methods they call. Worker {@code k} sums the first layer's weighted inputs over
 * its slice of the inputs for every slot ({@code forwardInputs<First>}); then, for its own slots,
 * computes {@code ((b + sum_0) + sum_1) + ...} from the bias and the workers' sums in worker order
 * ({@code combine<First>}) and runs the rest of the forward pass, the loss
 * and the deltas, through a view: a second {@code Step} whose rows point at those slots of the
 * shared one, so the ordinary per-layer methods run on them unchanged; then it computes its share
 * of the gradient over all slots with the ordinary gradient methods on row ranges.
 *
 * <p>Only networks whose first layer is tiled (wide enough that its weights dominate) and that have
 * no dropout (whose masks are drawn in one stream, sample by sample) get the split; every network
 * with a tiled first layer gets its forward pass in this form ({@link #forward}).
 */
final class InputSplitEmitter {

    static final String WORKER = "Worker";

    private final NetworkPlan plan;
    private final Numeric numeric;
    private final ClassName step;
    private final LayerPlan first;

    InputSplitEmitter(NetworkPlan plan, Numeric numeric, ClassName step) {
        this.plan = plan;
        this.numeric = numeric;
        this.step = step;
        this.first = plan.layers().get(0);
    }

    /** Whether the network's step can split a batch by its first layer's inputs. */
    static boolean splits(NetworkPlan plan) {
        return !plan.dropout() && plan.layers().get(0).style() == KernelStyle.TILED;
    }

    /**
     * Whether {@code layer} is a tiled first layer, whose forward pass sums the weighted inputs
     * over a range of inputs from zero ({@code forwardInputs<First>}) and adds the bias after: in
     * every network, so that the first layer's arithmetic does not depend on whether the network
     * can split (a dropout rate of 0 gives the bits of the same network without dropout).
     */
    static boolean sumsInputsFirst(LayerPlan layer) {
        return layer.index() == 0 && layer.style() == KernelStyle.TILED;
    }

    static String forwardInputsName(LayerPlan layer) {
        return "forwardInputs" + layer.capitalized();
    }

    static String combineName(LayerPlan layer) {
        return "combine" + layer.capitalized();
    }

    /**
     * The step's methods and constructor for the split: for a network that {@link #splits}, the
     * view, the combination and {@code workerSteps}; for any with a tiled first layer, the sums
     * over a range of inputs.
     */
    List<MethodSpec> stepMethods() {
        return splits(plan)
                ? List.of(viewConstructor(), viewSlots(), forwardInputs(), combine(), workerSteps())
                : List.of(forwardInputs());
    }

    /** The per-slot row buffers, which a view points at the shared step's slots. */
    private List<String> slotRows() {
        List<String> rows = new ArrayList<>();
        rows.add(plan.inputRows());
        rows.add("targets");
        for (LayerPlan layer : plan.layers()) {
            rows.add(layer.activations());
            if (layer.storesPreActivations()) {
                rows.add(layer.preActivations());
            }
            rows.add(layer.delta());
        }
        return rows;
    }

    private MethodSpec viewConstructor() {
        String t = numeric.keyword();
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PRIVATE)
                .addParameter(step, "whole")
                .addJavadoc("A worker's view of {@code whole}: its rows point at some of whole's slots (see viewSlots). It\n"
                        + "has no gradients (null): a view only runs forward passes, the loss and input gradients.\n")
                .addStatement("this.maxBatchSize = whole.maxBatchSize");
        for (String rows : slotRows()) {
            constructor.addStatement("this.$N = new $L[maxBatchSize][]", rows, t);
        }
        for (LayerPlan layer : plan.layers()) {
            if (layer.keepsExpSum()) {
                constructor.addStatement("this.$N = new $L[maxBatchSize]", layer.expSum(), t);
            }
            constructor.addStatement("this.$N = null", layer.weightGradient())
                    .addStatement("this.$N = null", layer.biasGradient());
        }
        return constructor.build();
    }

    private MethodSpec viewSlots() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("viewSlots")
                .addModifiers(Modifier.PRIVATE)
                .addParameter(step, "whole")
                .addParameter(int.class, "first")
                .addParameter(int.class, "count")
                .addJavadoc("Points this view's rows 0..count-1 at whole's slots first..first+count-1.\n");
        for (String rows : slotRows()) {
            method.addStatement("$T.arraycopy(whole.$N, first, $N, 0, count)", System.class, rows, rows);
        }
        return method.build();
    }

    /** One worker's share of the first layer's weighted sums: its inputs, every slot. */
    private MethodSpec forwardInputs() {
        int tile = NetworkPlanner.TILE;
        TypeName row = numeric.array();
        MethodSpec.Builder method = MethodSpec.methodBuilder(forwardInputsName(first))
                .addModifiers(Modifier.PRIVATE)
                .addParameter(int.class, "batchSize")
                .addParameter(int.class, "from")
                .addParameter(int.class, "to")
                .addParameter(numeric.rows(), "partial")
                .addJavadoc("partial[s] = sum_i $L[s][i] $L[i] over the inputs from <= i < to, from zero and in ascending\n"
                        + "order, for slots 0..batchSize-1: one worker's share of $L's weighted sums.\n",
                        first.inputRows(), first.weights(), first.name());
        if (first.vector().forward()) {
            method.beginControlFlow("if ($L)", NetworkEmitter.VECTOR_FLAG)
                    .addStatement("$L.$L($N, $N, partial, batchSize, from, to)", VectorKernelEmitter.CLASS,
                            forwardInputsName(first), first.inputRows(), first.weights())
                    .addStatement("return")
                    .endControlFlow();
        }
        method.addStatement("$T weights = $N", numeric.rows(), first.weights())
                .beginControlFlow("for (int s = 0; s < batchSize; s++)")
                .addStatement("$T x = $N[s]", row, first.inputRows())
                .addStatement("$T z = partial[s]", row)
                .addStatement("$T.fill(z, $L)", Arrays.class, numeric.literal("0"))
                .addStatement("int i = from");
        new ForwardEmitter(numeric).addWeightedRows(method, first.units(),
                "for (; i + " + tile + " <= to; i += " + tile + ")", "for (; i < to; i++)");
        method.endControlFlow();
        return method.build();
    }

    /**
     * The first layer's forward pass: its weighted sums over all inputs from zero
     * ({@code forwardInputs<First>}), then the bias added and the activation applied. That is what
     * {@code combine<First>} does with one worker's sums, so a batch split among one worker gives
     * the bits of {@code computeGradients}; among more, the sums are cut in more pieces.
     */
    MethodSpec forward() {
        MethodSpec.Builder method = MethodSpec.methodBuilder(ForwardEmitter.methodName(first))
                .addModifiers(Modifier.PRIVATE)
                .addParameter(int.class, "batchSize")
                .addJavadoc("$L = $L($L $L + $L): $L inputs -> $L units; the weighted sum runs from zero over the inputs,\n"
                        + "then the bias is added to it.\n",
                        first.name(), first.activation().name().toLowerCase(java.util.Locale.ROOT), first.inputRows(),
                        first.weights(), first.biases(), first.inputSize(), first.units())
                .addStatement("$N(batchSize, 0, $L, $N)", forwardInputsName(first), first.inputSize(),
                        first.preActivationRows())
                .beginControlFlow("for (int s = 0; s < batchSize; s++)")
                .addStatement("$T z = $N[s]", numeric.array(), first.preActivationRows())
                .beginControlFlow("for (int j = 0; j < $L; j++)", first.units())
                .addStatement("z[j] = $N[j] + z[j]", first.biases())
                .endControlFlow();
        new ForwardEmitter(numeric).activate(method, first, "z");
        return method.endControlFlow().build();
    }

    /** A view's first-layer outputs from the workers' sums, in worker order. */
    private MethodSpec combine() {
        TypeName row = numeric.array();
        MethodSpec.Builder method = MethodSpec.methodBuilder(combineName(first))
                .addModifiers(Modifier.PRIVATE)
                .addParameter(int.class, "count")
                .addParameter(ArrayTypeName.of(numeric.rows()), "partials")
                .addParameter(int.class, "first")
                .addJavadoc("$L for slots 0..count-1: z = $L + partials[0][first + s] + partials[1][first + s] + ...\n"
                        + "(the workers' sums in worker order), then $L.\n",
                        first.name(), first.biases(), first.activation().name().toLowerCase(java.util.Locale.ROOT))
                .beginControlFlow("for (int s = 0; s < count; s++)")
                .addStatement("$T z = $N[s]", row, first.preActivationRows())
                .addStatement("$T.arraycopy($N, 0, z, 0, $L)", System.class, first.biases(), first.units())
                .beginControlFlow("for ($T partial : partials)", numeric.rows())
                .addStatement("$T p = partial[first + s]", row)
                .beginControlFlow("for (int j = 0; j < $L; j++)", first.units())
                .addStatement("z[j] += p[j]")
                .endControlFlow()
                .endControlFlow();
        new ForwardEmitter(numeric).activate(method, first, "z");
        method.endControlFlow();
        return method.build();
    }

    private MethodSpec workerSteps() {
        TypeName list = ParameterizedTypeName.get(ClassName.get(List.class), ClassName.get(WorkerStep.class));
        return MethodSpec.methodBuilder("workerSteps")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(list)
                .addParameter(int.class, "workers")
                .addStatement("$T.requireWorkers(workers)", Checks.class)
                .addComment("worker k's sums of $L's weighted inputs, for every slot", first.name())
                .addStatement("$L[][][] partials = new $L[workers][maxBatchSize][$L]", numeric.keyword(), numeric.keyword(),
                        first.units())
                .addStatement("$T[] steps = new $T[workers]", WorkerStep.class, WorkerStep.class)
                .beginControlFlow("for (int k = 0; k < workers; k++)")
                .addStatement("steps[k] = new $L(k, workers, partials)", WORKER)
                .endControlFlow()
                .addStatement("return $T.of(steps)", List.class)
                .build();
    }

    /** The nested {@code Worker} class: one worker's phases, on the step it belongs to and its own view. */
    TypeSpec worker() {
        TypeName partials = ArrayTypeName.of(numeric.rows());
        TypeSpec.Builder type = TypeSpec.classBuilder(WORKER)
                .addModifiers(Modifier.PRIVATE, Modifier.FINAL)
                .addSuperinterface(WorkerStep.class)
                .addJavadoc("Worker {@code worker} of {@code workers} sharing this step (see {@link $T}).\n", WorkerStep.class)
                .addField(int.class, "worker", Modifier.PRIVATE, Modifier.FINAL)
                .addField(int.class, "workers", Modifier.PRIVATE, Modifier.FINAL)
                .addField(partials, "partials", Modifier.PRIVATE, Modifier.FINAL)
                .addField(step, "view", Modifier.PRIVATE, Modifier.FINAL);
        type.addMethod(MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PRIVATE)
                .addParameter(int.class, "worker")
                .addParameter(int.class, "workers")
                .addParameter(partials, "partials")
                .addStatement("this.worker = worker")
                .addStatement("this.workers = workers")
                .addStatement("this.partials = partials")
                .addStatement("this.view = new $T($T.this)", step, step)
                .build());
        type.addMethod(override("worker").returns(int.class).addStatement("return worker").build());
        type.addMethod(override("workers").returns(int.class).addStatement("return workers").build());
        type.addMethod(override("forwardInputs")
                .addParameter(int.class, "batchSize")
                .addStatement("$T.requireBatchSize(batchSize, maxBatchSize)", Checks.class)
                .addStatement("$N(batchSize, $T.sliceStart($L, worker, workers), $T.sliceStart($L, worker + 1, workers),"
                        + " partials[worker])", forwardInputsName(first), Checks.class, first.inputSize(), Checks.class,
                        first.inputSize())
                .build());
        type.addMethod(computeDeltas());
        type.addMethod(computeGradientShare());
        return type.build();
    }

    private MethodSpec computeDeltas() {
        MethodSpec.Builder method = override("computeDeltas")
                .returns(double.class)
                .addParameter(int.class, "batchSize")
                .addStatement("$T.requireBatchSize(batchSize, maxBatchSize)", Checks.class)
                .addStatement("int first = $T.firstSlot(batchSize, worker, workers)", WorkerStep.class)
                .addStatement("int count = $T.firstSlot(batchSize, worker + 1, workers) - first", WorkerStep.class)
                .beginControlFlow("if (count == 0)")
                .addStatement("return 0")
                .endControlFlow()
                .addStatement("view.viewSlots($T.this, first, count)", step)
                .addStatement("view.$N(count, partials, first)", combineName(first));
        for (LayerPlan layer : plan.layers().subList(1, plan.layers().size())) {
            method.addStatement("view.$N(count)", ForwardEmitter.methodName(layer));
        }
        method.addStatement("double loss = view.$N(count)", LossEmitter.LOSS)
                .addComment("deltas of the mean loss over all batchSize slots")
                .addStatement("view.$N(count, batchSize)", LossEmitter.OUTPUT_GRADIENT);
        List<LayerPlan> backward = new ArrayList<>(plan.layers().subList(1, plan.layers().size()));
        Collections.reverse(backward);
        for (LayerPlan layer : backward) {
            method.addStatement("view.$N(count)", BackwardEmitter.inputGradientName(layer));
        }
        return method.addStatement("return loss").build();
    }

    private MethodSpec computeGradientShare() {
        MethodSpec.Builder method = override("computeGradientShare")
                .returns(double.class)
                .addParameter(int.class, "batchSize")
                .addStatement("$T.requireBatchSize(batchSize, maxBatchSize)", Checks.class)
                .addComment("tiled layers: slice `worker` of the weight rows and of the biases; unrolled ones: all, by worker 0")
                .addStatement("double sum = 0")
                .addStatement("int from")
                .addStatement("int to");
        int bounds = -1; // the length from and to were last computed for: a layer's units are often the next one's inputs
        for (LayerPlan layer : plan.layers()) {
            if (layer.style() == KernelStyle.TILED) {
                bounds = sliceBounds(method, layer.inputSize(), bounds);
                method.addStatement("$N(batchSize, from, to)", BackwardEmitter.weightGradientName(layer))
                        .addStatement("sum += $T.ofRows($N, from, to)", SquaredNorm.class, layer.weightGradient());
                bounds = sliceBounds(method, layer.units(), bounds);
                method.addStatement("$N(batchSize, from, to)", BackwardEmitter.biasGradientName(layer))
                        .addStatement("sum += $T.of($N, from, to)", SquaredNorm.class, layer.biasGradient());
            } else {
                method.beginControlFlow("if (worker == 0)")
                        .addStatement("$N(batchSize)", BackwardEmitter.gradientName(layer))
                        .addStatement("sum += $T.ofRows($N, 0, $L)", SquaredNorm.class, layer.weightGradient(),
                                layer.weightRows())
                        .addStatement("sum += $T.of($N, 0, $L)", SquaredNorm.class, layer.biasGradient(), layer.units())
                        .endControlFlow();
            }
        }
        return method.addStatement("return sum").build();
    }

    /**
     * Sets {@code from} and {@code to} to this worker's slice of {@code length} rows or biases,
     * unless they already hold it ({@code current} is the length they were last set for); returns
     * {@code length}.
     */
    private static int sliceBounds(MethodSpec.Builder method, int length, int current) {
        if (length != current) {
            method.addStatement("from = $T.sliceStart($L, worker, workers)", Checks.class, length)
                    .addStatement("to = $T.sliceStart($L, worker + 1, workers)", Checks.class, length);
        }
        return length;
    }

    private static MethodSpec.Builder override(String name) {
        return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC);
    }
}
