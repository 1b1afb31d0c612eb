package dev.chainrule.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.chainrule.Optimizer;
import dev.chainrule.internal.Checks;
import dev.chainrule.processor.plan.LayerPlan;
import dev.chainrule.processor.plan.NetworkPlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import javax.lang.model.element.Modifier;

/**
 * The update step: one per-parameter template per optimizer (the table in {@link #rule}), written
 * out as a static kernel over one row of parameters, gradients and state arrays; the
 * hyperparameters it reads are computed once per step from the step's {@code UpdateSettings}.
 * Also the update rule's state: arrays beside the parameters in the network, in the same layout
 * as each layer's weights ({@link LayerPlan#weightLayout}), the step count, and the {@code Model}
 * methods that copy, restore and reset them in the public parameter order.
 */
final class UpdateEmitter {

    /** The network's field counting the update steps taken (Adam's {@code t}). */
    static final String STEPS = "optimizerSteps";

    /** A value the template reads, computed once per step as a {@code double} expression, then narrowed. */
    private record Hyper(String name, String expression) {}

    /**
     * One optimizer: its formula for comments, the hyperparameters, and the statements run for
     * every parameter {@code p[j]} with gradient {@code g[j]} and the state arrays named after
     * {@link Optimizer#stateNames()} in camel case ({@code expAvg[j]}). {@code T} stands for the
     * network's type, {@code SQRT(x)} for its square root.
     */
    private record Rule(String formula, List<Hyper> hypers, List<String> statements) {}

    private static final Hyper LEARNING_RATE = new Hyper("learningRate", "learningRate");
    private static final Hyper WEIGHT_DECAY = new Hyper("weightDecay", "settings.weightDecay()");
    private static final Hyper EPSILON = new Hyper("epsilon", "settings.epsilon()");
    private static final String DECAYED = "T grad = Math.fma(weightDecay, p[j], g[j])";
    private static final List<Hyper> ADAM_HYPERS = List.of(
            new Hyper("beta1", "settings.beta1()"),
            new Hyper("oneMinusBeta1", "1.0 - settings.beta1()"),
            new Hyper("beta2", "settings.beta2()"),
            new Hyper("oneMinusBeta2", "1.0 - settings.beta2()"),
            new Hyper("stepSize", "learningRate / (1.0 - Math.pow(settings.beta1(), t))"),
            new Hyper("biasCorrection2Sqrt", "Math.sqrt(1.0 - Math.pow(settings.beta2(), t))"),
            EPSILON);
    private static final List<String> ADAM_MOMENTS = List.of(
            "expAvg[j] = Math.fma(beta1, expAvg[j], oneMinusBeta1 * grad)",
            "expAvgSq[j] = Math.fma(beta2, expAvgSq[j], oneMinusBeta2 * grad * grad)",
            "p[j] -= stepSize * (expAvg[j] / (SQRT(expAvgSq[j]) / biasCorrection2Sqrt + epsilon))");

    /** The table: PyTorch's formulas (see {@link Optimizer}), weight decay first. */
    static Rule rule(Optimizer optimizer) {
        return switch (optimizer) {
            case SGD -> new Rule("theta -= learningRate (g + weightDecay theta)",
                    List.of(LEARNING_RATE, WEIGHT_DECAY),
                    List.of("p[j] -= learningRate * Math.fma(weightDecay, p[j], g[j])"));
            case MOMENTUM -> new Rule("g += weightDecay theta; v = momentum v + g; theta -= learningRate v",
                    List.of(LEARNING_RATE, WEIGHT_DECAY, new Hyper("momentum", "settings.momentum()")),
                    List.of(DECAYED,
                            "momentumBuffer[j] = Math.fma(momentum, momentumBuffer[j], grad)",
                            "p[j] -= learningRate * momentumBuffer[j]"));
            case NESTEROV -> new Rule(
                    "g += weightDecay theta; v = momentum v + g; theta -= learningRate (g + momentum v)",
                    List.of(LEARNING_RATE, WEIGHT_DECAY, new Hyper("momentum", "settings.momentum()")),
                    List.of(DECAYED,
                            "momentumBuffer[j] = Math.fma(momentum, momentumBuffer[j], grad)",
                            "p[j] -= learningRate * Math.fma(momentum, momentumBuffer[j], grad)"));
            case RMSPROP -> new Rule(
                    "g += weightDecay theta; s = alpha s + (1 - alpha) g^2; theta -= learningRate g / (sqrt(s) + epsilon)",
                    List.of(LEARNING_RATE, WEIGHT_DECAY, new Hyper("alpha", "settings.rmspropAlpha()"),
                            new Hyper("oneMinusAlpha", "1.0 - settings.rmspropAlpha()"), EPSILON),
                    List.of(DECAYED,
                            "squareAvg[j] = Math.fma(alpha, squareAvg[j], oneMinusAlpha * grad * grad)",
                            "p[j] -= learningRate * (grad / (SQRT(squareAvg[j]) + epsilon))"));
            case ADAM -> new Rule("g += weightDecay theta; m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g^2;"
                    + " theta -= learningRate / (1 - beta1^t) m / (sqrt(v) / sqrt(1 - beta2^t) + epsilon)",
                    concat(List.of(WEIGHT_DECAY), ADAM_HYPERS),
                    concat(List.of(DECAYED), ADAM_MOMENTS));
            case ADAMW -> new Rule("theta -= learningRate weightDecay theta; then Adam without weight decay",
                    concat(List.of(new Hyper("decay", "1.0 - learningRate * settings.weightDecay()")), ADAM_HYPERS),
                    concat(List.of("p[j] *= decay", "T grad = g[j]"), ADAM_MOMENTS));
            case RPROP -> new Rule("g += weightDecay theta; step *= etaPlus where g prev is positive, etaMinus (and"
                    + " g = 0) where it is negative, clamped to [stepMin, stepMax]; theta -= sign(g) step; prev = g",
                    List.of(WEIGHT_DECAY, new Hyper("etaMinus", "settings.rpropEtaMinus()"),
                            new Hyper("etaPlus", "settings.rpropEtaPlus()"),
                            new Hyper("stepMin", "settings.rpropStepMin()"),
                            new Hyper("stepMax", "settings.rpropStepMax()")),
                    List.of(DECAYED,
                            "T sign = grad * prev[j]",
                            "stepSize[j] = Math.min(Math.max(stepSize[j] * (sign > ZERO ? etaPlus : sign < ZERO ? etaMinus"
                                    + " : ONE), stepMin), stepMax)",
                            "grad = sign < ZERO ? ZERO : grad",
                            "p[j] -= Math.signum(grad) * stepSize[j]",
                            "prev[j] = grad"));
        };
    }

    private static <E> List<E> concat(List<E> first, List<E> second) {
        List<E> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private final NetworkPlan plan;
    private final Numeric numeric;
    private final Optimizer optimizer;
    private final Rule rule;

    UpdateEmitter(NetworkPlan plan, Numeric numeric) {
        this.plan = plan;
        this.numeric = numeric;
        this.optimizer = plan.spec().optimizer();
        this.rule = rule(optimizer);
    }

    /** The formula, for the header comment. */
    static String formula(Optimizer optimizer) {
        return rule(optimizer).formula();
    }

    private boolean stateful() {
        return !optimizer.stateNames().isEmpty();
    }

    /** {@code exp_avg} as {@code expAvg}: the name of a state row in the kernel. */
    private static String camel(String snake) {
        String capitalized = LayerPlan.capitalizedCamel(snake);
        return Character.toLowerCase(capitalized.charAt(0)) + capitalized.substring(1);
    }

    /** The per-row kernels' names without their width: {@code adamUpdate} ({@code adamUpdate16}, ...). */
    private String kernelName() {
        return optimizer.name().toLowerCase(Locale.ROOT) + "Update";
    }

    /** The network's fields holding the update rule's state: arrays like the parameters, and the step count. */
    List<FieldSpec> stateFields() {
        List<FieldSpec> fields = new ArrayList<>();
        if (!stateful()) {
            return fields;
        }
        fields.add(FieldSpec.builder(long.class, STEPS, Modifier.PRIVATE)
                .addJavadoc("The number of update steps taken ($L's t); 0 until the first.\n", optimizer)
                .build());
        for (LayerPlan layer : plan.layers()) {
            for (String state : optimizer.stateNames()) {
                fields.add(FieldSpec.builder(numeric.rows(), layer.weightsState(state), Modifier.FINAL)
                        .addJavadoc("$L's $L of $L, in the same $L layout.\n", optimizer, state,
                                layer.weights(), layer.weightLayout())
                        .initializer("new $L[$L][$L]", numeric.keyword(), layer.weightRows(),
                                layer.weightRowLength())
                        .build());
                fields.add(FieldSpec.builder(numeric.array(), layer.biasesState(state), Modifier.FINAL)
                        .initializer("new $L[$L]", numeric.keyword(), layer.units())
                        .build());
            }
        }
        return fields;
    }

    /**
     * Rows narrower than this get a kernel of their own width with the template written out once
     * per element: a loop over a handful of elements costs more in set-up than in work (a 16 x 3
     * output layer is sixteen rows of three), and constant indices need no loop at all.
     */
    static final int UNROLLED_ROW_MAX = 8;

    /** The per-row kernels, one for each row width used: a loop with a constant bound, or written out if narrow. */
    List<MethodSpec> kernels() {
        List<MethodSpec> kernels = new ArrayList<>();
        rowWidths().filter(width -> width > UNROLLED_ROW_MAX).forEach(width -> {
            MethodSpec.Builder method = kernelSignature(kernelName(width))
                    .addJavadoc("$L on one row p of width $L with gradients g: $L.\n", optimizer, width,
                            rule.formula());
            method.beginControlFlow("for (int j = 0; j < $L; j++)", width);
            for (String statement : rule.statements()) {
                method.addStatement(statement(statement));
            }
            method.endControlFlow();
            kernels.add(method.build());
        });
        rowWidths().filter(width -> width <= UNROLLED_ROW_MAX).forEach(width -> {
            MethodSpec.Builder method = kernelSignature(kernelName(width))
                    .addJavadoc("$L on one row p of width $L with gradients g, written out: $L.\n",
                            optimizer, width, rule.formula());
            boolean locals = rule.statements().stream().anyMatch(st -> st.startsWith("T "));
            for (int j = 0; j < width; j++) {
                if (locals) {
                    method.addCode("{\n$>");
                }
                for (String statement : rule.statements()) {
                    method.addStatement(statement(statement).replace("[j]", "[" + j + "]"));
                }
                if (locals) {
                    method.addCode("$<}\n");
                }
            }
            kernels.add(method.build());
        });
        MethodSpec.Builder range = kernelSignature(rangeKernelName(), true)
                .addJavadoc("$L on the elements [from, to) of one row p with gradients g, for one slice of a layer's biases:\n"
                        + "$L.\n", optimizer, rule.formula());
        range.beginControlFlow("for (int j = from; j < to; j++)");
        for (String statement : rule.statements()) {
            range.addStatement(statement(statement));
        }
        range.endControlFlow();
        kernels.add(range.build());
        return kernels;
    }

    /** The widths of every layer's weight rows and biases, each once, ascending. */
    private IntStream rowWidths() {
        return plan.layers().stream()
                .flatMapToInt(layer -> IntStream.of(layer.weightRowLength(), layer.units()))
                .distinct()
                .sorted();
    }

    /** The name of the kernel over part of a row: {@code adamUpdateRange}. */
    private String rangeKernelName() {
        return kernelName() + "Range";
    }

    private MethodSpec.Builder kernelSignature(String name) {
        return kernelSignature(name, false);
    }

    /** A kernel's signature: the rows, {@code from} and {@code to} if {@code range}, the hyperparameters. */
    private MethodSpec.Builder kernelSignature(String name, boolean range) {
        MethodSpec.Builder method = MethodSpec.methodBuilder(name)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addParameter(numeric.array(), "p")
                .addParameter(numeric.array(), "g");
        for (String state : optimizer.stateNames()) {
            method.addParameter(numeric.array(), camel(state));
        }
        if (range) {
            method.addParameter(int.class, "from").addParameter(int.class, "to");
        }
        for (Hyper hyper : rule.hypers()) {
            method.addParameter(numeric.type(), hyper.name());
        }
        return method;
    }

    /**
     * The kernel for rows of {@code units} parameters: one per width, so that every loop has a
     * constant bound (C2 then needs no remainder loop for a width the vectors divide).
     */
    private String kernelName(int units) {
        return kernelName() + units;
    }

    /** A template statement in the network's type; '$' doubled for JavaPoet. */
    private String statement(String template) {
        String s = template
                .replace("T ", numeric.keyword() + " ")
                .replace("ZERO", numeric.literal("0"))
                .replace("ONE", numeric.literal("1"));
        int at;
        while ((at = s.indexOf("SQRT(")) >= 0) {
            int close = matching(s, at + 4);
            s = s.substring(0, at) + numeric.math("sqrt", s.substring(at + 5, close)) + s.substring(close + 1);
        }
        return s.replace("$", "$$");
    }

    private static int matching(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            if (s.charAt(i) == '(') {
                depth++;
            } else if (s.charAt(i) == ')' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unbalanced: " + s);
    }

    /**
     * The body of {@code TrainingStep.applyGradients(double learningRate)}: every weight row, then
     * the biases, layer by layer; a layer that keeps transposed weights refreshes its copy of each
     * row right after updating it, while the row is in cache.
     */
    CodeBlock apply() {
        CodeBlock.Builder code = CodeBlock.builder();
        code.addStatement("$T.requireLearningRate(learningRate)", Checks.class);
        code.add("// $L: $L\n", optimizer, rule.formula());
        if (optimizer == Optimizer.RPROP) {
            code.beginControlFlow("if ($L == 0)", STEPS)
                    .addStatement("fillRpropStepSizes($L)", numeric.fromDouble("learningRate"))
                    .endControlFlow();
        }
        if (readsStepCount()) {
            code.addStatement("long t = ++$L", STEPS);
        } else if (stateful()) {
            code.addStatement("$L++", STEPS);
        }
        String hypers = hypers(code);
        for (LayerPlan layer : plan.layers()) {
            // a single-row layer needs no loop over its one row
            updateRows(code, layer, layer.singleRow() ? null : "for (int i = 0; i < " + layer.weightRows() + "; i++)",
                    hypers);
            code.addStatement("$L($L$L)", kernelName(layer.units()), biasArguments(layer), hypers);
        }
        return code.build();
    }

    /**
     * The loop over a layer's weight rows under {@code header} (null: no loop, row 0 alone): the
     * rule's kernel on row {@code i} and, for a layer that keeps transposed weights, row {@code i}'s
     * transposed copy right after, while the row is in cache (written out for narrow rows). A
     * {@link LayerPlan#singleRow} layer's one row is the whole layer, so it refreshes the whole copy.
     */
    private void updateRows(CodeBlock.Builder code, LayerPlan layer, String header, String hypers) {
        String row = header == null ? "0" : "i";
        if (header != null) {
            code.beginControlFlow(header);
        }
        code.addStatement("$L($L$L)", kernelName(layer.weightRowLength()), weightRowArguments(layer, row), hypers);
        if (layer.keepsTransposed() && layer.singleRow()) {
            code.add(NetworkEmitter.transposedCopy(layer, numeric));
        } else if (layer.keepsTransposed()) {
            code.addStatement("$T w = $N[i]", numeric.array(), layer.weights());
            if (layer.units() <= UNROLLED_ROW_MAX) {
                for (int j = 0; j < layer.units(); j++) {
                    code.addStatement("$N[$L][i] = w[$L]", layer.weightsTransposed(), j, j);
                }
            } else {
                code.beginControlFlow("for (int j = 0; j < $L; j++)", layer.units())
                        .addStatement("$N[j][i] = w[j]", layer.weightsTransposed())
                        .endControlFlow();
            }
        }
        if (header != null) {
            code.endControlFlow();
        }
    }

    /** A kernel's leading arguments for weight row {@code row}: parameters, gradients, then each state row. */
    private String weightRowArguments(LayerPlan layer, String row) {
        String index = "[" + row + "]";
        StringBuilder arguments = new StringBuilder(layer.weights() + index + ", " + layer.weightGradient() + index);
        for (String state : optimizer.stateNames()) {
            arguments.append(", ").append(layer.weightsState(state)).append(index);
        }
        return arguments.toString();
    }

    /** A kernel's leading arguments for the biases: parameters, gradients, then each state array. */
    private String biasArguments(LayerPlan layer) {
        StringBuilder arguments = new StringBuilder(layer.biases() + ", " + layer.biasGradient());
        for (String state : optimizer.stateNames()) {
            arguments.append(", ").append(layer.biasesState(state));
        }
        return arguments.toString();
    }

    /** Whether a hyperparameter depends on the step count {@code t} (Adam's bias corrections). */
    private boolean readsStepCount() {
        return rule.hypers().stream().anyMatch(hyper -> hyper.expression().contains(", t)"));
    }

    /**
     * Declares the hyperparameters' locals, computed in double and narrowed; returns them as the
     * kernels' trailing arguments ({@code ", rate, weightDecay"}).
     */
    private String hypers(CodeBlock.Builder code) {
        StringBuilder hypers = new StringBuilder();
        for (Hyper hyper : rule.hypers()) {
            // the learning rate's local cannot share the parameter's name
            String local = hyper == LEARNING_RATE ? "rate" : hyper.name();
            code.addStatement("$L $L = $L", numeric.keyword(), local, numeric.fromDouble(
                    hyper.expression().contains(" ") ? "(" + hyper.expression() + ")" : hyper.expression()));
            hypers.append(", ").append(local);
        }
        return hypers.toString();
    }

    /**
     * The body of {@code TrainingStep.applyGradients(double learningRate, int slice, int slices)}:
     * {@link #apply()} on one slice's weight rows and biases (see {@link SliceEmitter}), with the
     * step count read as it will be after the update and not written. The slices' rows, and so the
     * elements of the transposed copies they refresh, are disjoint, so slices may run at once.
     */
    CodeBlock applySlice() {
        CodeBlock.Builder code = CodeBlock.builder();
        code.add("// $L: $L\n", optimizer, rule.formula());
        code.add("// on one slice of the parameters (see combineGradients), with the kernels of applyGradients(learningRate)\n");
        code.addStatement("$T.requireSlice(slice, slices)", Checks.class);
        code.addStatement("$T.requireLearningRate(learningRate)", Checks.class);
        if (optimizer == Optimizer.RPROP) {
            code.beginControlFlow("if ($L == 0)", STEPS)
                    .addStatement("fillRpropStepSizes($L, slice, slices)", numeric.fromDouble("learningRate"))
                    .endControlFlow();
        }
        if (readsStepCount()) {
            code.add("// every slice is taken at the same t; completeUpdate() counts the step once all are applied\n");
            code.addStatement("long t = $L + 1", STEPS);
        }
        String hypers = hypers(code);
        boolean declare = true;
        for (LayerPlan layer : plan.layers()) {
            SliceEmitter.rowBounds(code, layer, declare);
            declare = false;
            updateRows(code, layer, "for (int i = from; i < to; i++)", hypers);
            SliceEmitter.bounds(code, layer.units(), false);
            code.addStatement("$L($L, from, to$L)", rangeKernelName(), biasArguments(layer), hypers);
        }
        return code.build();
    }

    /** The body of {@code TrainingStep.completeUpdate()}: counts an update applied slice by slice. */
    CodeBlock completeUpdate() {
        if (!stateful()) {
            return CodeBlock.builder().add("// plain SGD keeps no step count\n").build();
        }
        return CodeBlock.builder()
                .add("// every slice of the update is applied: count it once, as applyGradients(learningRate) does\n")
                .addStatement("$L++", STEPS)
                .build();
    }

    /** optimizer(), optimizerState(), setOptimizerState(), resetOptimizerState(), and Rprop's initial steps. */
    List<MethodSpec> modelMethods() {
        List<MethodSpec> methods = new ArrayList<>();
        methods.add(MethodSpec.methodBuilder("optimizer")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(Optimizer.class)
                .addStatement("return $T.$L", Optimizer.class, optimizer)
                .build());
        MethodSpec.Builder get = MethodSpec.methodBuilder("optimizerState")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(double[].class);
        MethodSpec.Builder set = MethodSpec.methodBuilder("setOptimizerState")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .addParameter(double[].class, "state");
        MethodSpec.Builder reset = MethodSpec.methodBuilder("resetOptimizerState")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC);
        if (!stateful()) {
            get.addComment("plain SGD keeps no state").addStatement("return new double[0]");
            set.addStatement("$T.requireLength(state, 0, $S)", Checks.class, "optimizer state");
            reset.addComment("plain SGD keeps no state");
            methods.add(get.build());
            methods.add(set.build());
            methods.add(reset.build());
            return methods;
        }
        int length = optimizer.stateLength(plan.parameterCount());
        get.addJavadoc("The step count, then $L, each in the public parameter order.\n",
                String.join(", ", optimizer.stateNames()));
        get.addStatement("double[] state = new double[$L]", length)
                .addStatement("state[0] = $L", STEPS)
                .addStatement("int k = 1");
        set.addStatement("$T.requireLength(state, $L, $S)", Checks.class, length, "optimizer state")
                .addStatement("double steps = state[0]")
                .beginControlFlow("if (!(steps >= 0 && steps <= 0x1p53 && steps == Math.rint(steps)))")
                .addStatement("throw new $T($S + steps + $S)", IllegalArgumentException.class,
                        "the optimizer state's step count is ", ", must be a whole number from 0 to 2^53")
                .endControlFlow()
                .addStatement("$T.requireOptimizerValues(state, $T.$L, $L)", Checks.class, Optimizer.class, optimizer,
                        plan.parameterCount())
                .addStatement("$L = (long) steps", STEPS)
                .addStatement("int k = 1");
        reset.addStatement("$L = 0", STEPS);
        for (String state : optimizer.stateNames()) {
            for (LayerPlan layer : plan.layers()) {
                get.addCode(NetworkEmitter.publicOrder(layer, layer.weightsState(state), layer.biasesState(state),
                        "state[k++] = $L"));
                set.addCode(NetworkEmitter.publicOrder(layer, layer.weightsState(state), layer.biasesState(state),
                        "$L = " + numeric.fromDouble("state[k++]")));
                reset.beginControlFlow("for ($T row : $N)", numeric.array(), layer.weightsState(state))
                        .addStatement("$T.fill(row, $L)", Arrays.class, numeric.literal("0"))
                        .endControlFlow()
                        .addStatement("$T.fill($N, $L)", Arrays.class, layer.biasesState(state), numeric.literal("0"));
            }
        }
        methods.add(get.addStatement("return state").build());
        methods.add(set.build());
        methods.add(reset.build());
        if (optimizer == Optimizer.RPROP) {
            MethodSpec.Builder fill = MethodSpec.methodBuilder("fillRpropStepSizes")
                    .addModifiers(Modifier.PRIVATE)
                    .addJavadoc("Rprop's first step: every step size starts at the learning rate.\n")
                    .addParameter(numeric.type(), "initial");
            for (LayerPlan layer : plan.layers()) {
                fill.beginControlFlow("for ($T row : $N)", numeric.array(), layer.weightsState("step_size"))
                        .addStatement("$T.fill(row, initial)", Arrays.class)
                        .endControlFlow()
                        .addStatement("$T.fill($N, initial)", Arrays.class, layer.biasesState("step_size"));
            }
            methods.add(fill.build());
            MethodSpec.Builder fillSlice = MethodSpec.methodBuilder("fillRpropStepSizes")
                    .addModifiers(Modifier.PRIVATE)
                    .addJavadoc("Rprop's first step on one slice of the parameters (see {@code Step.combineGradients}): the\n"
                            + "slice's step sizes start at the learning rate.\n")
                    .addParameter(numeric.type(), "initial")
                    .addParameter(int.class, "slice")
                    .addParameter(int.class, "slices");
            CodeBlock.Builder code = CodeBlock.builder();
            boolean declare = true;
            for (LayerPlan layer : plan.layers()) {
                SliceEmitter.rowBounds(code, layer, declare);
                declare = false;
                code.beginControlFlow("for (int i = from; i < to; i++)")
                        .addStatement("$T.fill($N[i], initial)", Arrays.class, layer.weightsState("step_size"))
                        .endControlFlow();
                SliceEmitter.bounds(code, layer.units(), false);
                code.addStatement("$T.fill($N, from, to, initial)", Arrays.class, layer.biasesState("step_size"));
            }
            methods.add(fillSlice.addCode(code.build()).build());
        }
        return methods;
    }
}
