package dev.chainrule.processor;

import dev.chainrule.Activation;
import dev.chainrule.processor.model.DenseSpec;
import dev.chainrule.processor.model.NetworkSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.util.Elements;

/**
 * The rules about a spec's values: sizes, activations against the loss, the generated name.
 * Every broken rule is reported (not only the first), each on the annotation value at fault.
 */
final class SpecValidator {

    /** The largest array the JVM reliably allocates (a few header words below Integer.MAX_VALUE). */
    static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    /**
     * Identifiers javac accepts as names but not as the name of a class: {@code _} is a keyword,
     * these are restricted type identifiers.
     */
    static final Set<String> RESTRICTED_TYPE_NAMES = Set.of("var", "yield", "record", "sealed", "permits");

    private final Elements elements;
    private final Diagnostics diagnostics;
    private final Map<String, String> generatedSoFar;

    /**
     * @param generatedSoFar the qualified names of the classes generated so far in this
     *     compilation, each with the spec it was generated from
     */
    SpecValidator(Elements elements, Diagnostics diagnostics, Map<String, String> generatedSoFar) {
        this.elements = elements;
        this.diagnostics = diagnostics;
        this.generatedSoFar = generatedSoFar;
    }

    /**
     * The rules about each layer field on its own: sizes, and names the generated code could not
     * tell apart. Checked whether or not the spec as a whole could be read. Returns whether every
     * size is valid.
     */
    boolean validateFields(SpecLocations where) {
        boolean sizesValid = true;
        Map<String, String> capitalized = new LinkedHashMap<>();
        for (Map.Entry<String, SpecLocations.Layer> entry : where.layers().entrySet()) {
            String name = entry.getKey();
            SpecLocations.Layer at = entry.getValue();
            AnnotationValue sizeValue = at.values().get(at.input() ? "value" : "units");
            if (sizeValue.getValue() instanceof Integer size && size < 1) {
                diagnostics.report(Message.SIZE_NOT_POSITIVE, at.field(), at.annotation(), sizeValue,
                        at.input() ? "the size" : "units", name, size);
                sizesValid = false;
            }
            if (name.indexOf('$') >= 0) {
                // The emitters escape '$' in a layer list they write with $L, which doubles it.
                diagnostics.report(Message.LAYER_NAME_DOLLAR, at.field(), at.annotation(), name);
            }
            String key = Character.toUpperCase(name.charAt(0)) + name.substring(1);
            String earlier = capitalized.putIfAbsent(key, name);
            if (earlier != null) {
                diagnostics.report(Message.LAYER_NAMES_CLASH, at.field(), at.annotation(), earlier, name);
            }
        }
        return sizesValid;
    }

    /**
     * The rules about the spec as a whole. {@code layersComplete} says whether every layer field
     * was read; if not, the rules that depend on which layer is the output are skipped rather than
     * guessed.
     */
    void validate(NetworkSpec spec, SpecLocations where, boolean sizesValid, boolean layersComplete) {
        if (sizesValid && layersComplete) {
            long count = parameterCount(spec);
            if (count > MAX_ARRAY_LENGTH) {
                diagnostics.report(Message.TOO_MANY_PARAMETERS, where.type(), where.network(),
                        spec.specDisplayName(), String.format(Locale.ROOT, "%,d", count),
                        String.format(Locale.ROOT, "%,d", MAX_ARRAY_LENGTH));
            }
        }
        if (layersComplete) {
            checkActivations(spec, where);
            checkInits(spec, where);
            checkDropout(spec, where);
        }
        checkAlphas(spec, where);
        checkHuberDelta(spec, where);
        checkName(spec, where);
        checkSimd(spec, where);
        checkUnrollLimit(spec, where);
    }

    /** Counted in long arithmetic, so that sizes whose product overflows an int are caught. */
    static long parameterCount(NetworkSpec spec) {
        long count = 0;
        long fanIn = spec.input().size();
        for (DenseSpec layer : spec.dense()) {
            count += fanIn * layer.units() + layer.units();
            fanIn = layer.units();
        }
        return count;
    }

    private void checkActivations(NetworkSpec spec, SpecLocations where) {
        List<DenseSpec> dense = spec.dense();
        for (int l = 0; l < dense.size() - 1; l++) {
            DenseSpec layer = dense.get(l);
            if (layer.activation() == Activation.SOFTMAX) {
                SpecLocations.Layer at = where.layer(layer.name());
                diagnostics.report(Message.SOFTMAX_NOT_OUTPUT, at.field(), at.annotation(), at.values().get("activation"),
                        layer.name());
            }
        }
        DenseSpec output = spec.output();
        SpecLocations.Layer at = where.layer(output.name());
        if (output.activation() == Activation.SOFTMAX && output.units() == 1) {
            // Its fix (SIGMOID with BINARY_CROSS_ENTROPY) is also what any rule about the loss
            // would say: one message is enough.
            diagnostics.report(Message.SOFTMAX_SINGLE_OUTPUT, at.field(), at.annotation(), at.values().get("units"),
                    output.name());
            return;
        }
        Activation activation = output.activation();
        AnnotationValue value = at.values().get("activation");
        switch (spec.loss()) {
            case CATEGORICAL_CROSS_ENTROPY -> {
                if (activation != Activation.SOFTMAX) {
                    diagnostics.report(Message.CROSS_ENTROPY_NEEDS_SOFTMAX, at.field(), at.annotation(), value,
                            output.name(), activation);
                }
            }
            case BINARY_CROSS_ENTROPY -> {
                if (activation != Activation.SIGMOID) {
                    diagnostics.report(Message.BINARY_CROSS_ENTROPY_NEEDS_SIGMOID, at.field(), at.annotation(), value,
                            output.name(), activation);
                }
            }
            case MEAN_SQUARED_ERROR -> {
                if (activation == Activation.SOFTMAX) {
                    diagnostics.report(Message.SQUARED_ERROR_ON_SOFTMAX, at.field(), at.annotation(), value,
                            output.name());
                }
            }
            case MEAN_ABSOLUTE_ERROR, HUBER -> {
                if (activation == Activation.SOFTMAX) {
                    diagnostics.report(Message.REGRESSION_LOSS_ON_SOFTMAX, at.field(), at.annotation(), value,
                            spec.loss(), output.name());
                }
            }
        }
    }

    /** Dropout rates in [0, 1), on hidden layers only. */
    private void checkDropout(NetworkSpec spec, SpecLocations where) {
        for (DenseSpec layer : spec.dense()) {
            SpecLocations.Layer at = where.layer(layer.name());
            double rate = layer.dropout();
            if (!(rate >= 0.0 && rate < 1.0)) {
                diagnostics.report(Message.DROPOUT_OUT_OF_RANGE, at.field(), at.annotation(), at.values().get("dropout"),
                        rate, layer.name());
            } else if (layer.hasDropout() && layer == spec.output()) {
                diagnostics.report(Message.DROPOUT_ON_OUTPUT, at.field(), at.annotation(), at.values().get("dropout"),
                        layer.name(), rate);
            }
        }
    }

    /** Hidden layers must not start all-zero, or their units could never differ. */
    private void checkInits(NetworkSpec spec, SpecLocations where) {
        List<DenseSpec> dense = spec.dense();
        for (int l = 0; l < dense.size() - 1; l++) {
            DenseSpec layer = dense.get(l);
            if (layer.init() == dev.chainrule.Init.ZEROS) {
                SpecLocations.Layer at = where.layer(layer.name());
                diagnostics.report(Message.ZEROS_ON_HIDDEN_LAYER, at.field(), at.annotation(), at.values().get("init"),
                        layer.name());
            }
        }
    }

    /** {@code alpha} only where the activation has a parameter, and inside its range. */
    private void checkAlphas(NetworkSpec spec, SpecLocations where) {
        for (DenseSpec layer : spec.dense()) {
            if (!layer.alphaGiven()) {
                continue;
            }
            SpecLocations.Layer at = where.layer(layer.name());
            double alpha = layer.alpha();
            switch (layer.activation()) {
                case LEAKY_RELU -> {
                    if (!(alpha > 0.0 && alpha < 1.0)) {
                        diagnostics.report(Message.LEAKY_SLOPE_OUT_OF_RANGE, at.field(), at.annotation(),
                                at.values().get("alpha"), alpha, layer.name());
                    }
                }
                case ELU -> {
                    if (!(alpha > 0.0 && Double.isFinite(alpha))) {
                        diagnostics.report(Message.ELU_ALPHA_NOT_POSITIVE, at.field(), at.annotation(),
                                at.values().get("alpha"), alpha, layer.name());
                    }
                }
                default -> diagnostics.report(Message.ALPHA_NOT_APPLICABLE, at.field(), at.annotation(),
                        at.values().get("alpha"), layer.name(), alpha, layer.activation());
            }
        }
    }

    /** HUBER's delta: finite and positive, and only given with the HUBER loss. */
    private void checkHuberDelta(NetworkSpec spec, SpecLocations where) {
        double delta = spec.huberDelta();
        if (spec.loss() == dev.chainrule.Loss.HUBER) {
            if (!(delta > 0.0 && Double.isFinite(delta))) {
                diagnostics.report(Message.HUBER_DELTA_NOT_POSITIVE, where.type(), where.network(),
                        where.networkValues().get("huberDelta"), delta);
            }
        } else if (given(where.network(), "huberDelta")) {
            diagnostics.report(Message.HUBER_DELTA_WITHOUT_HUBER, where.type(), where.network(),
                    where.networkValues().get("huberDelta"), delta, spec.loss());
        }
    }

    /** Whether the annotation gives the attribute itself (rather than taking its default). */
    private static boolean given(javax.lang.model.element.AnnotationMirror annotation, String attribute) {
        return annotation.getElementValues().keySet().stream()
                .anyMatch(method -> method.getSimpleName().contentEquals(attribute));
    }

    private void checkUnrollLimit(NetworkSpec spec, SpecLocations where) {
        int limit = spec.unrollMaxWeights();
        if (limit < -1 || limit > dev.chainrule.Network.MAX_UNROLL_WEIGHTS) {
            diagnostics.report(Message.UNROLL_LIMIT_OUT_OF_RANGE, where.type(), where.network(),
                    where.networkValues().get("unrollMaxWeights"), limit, dev.chainrule.Network.MAX_UNROLL_WEIGHTS,
                    dev.chainrule.Network.MAX_UNROLL_WEIGHTS);
        }
    }

    private void checkSimd(NetworkSpec spec, SpecLocations where) {
        if (spec.simd() == dev.chainrule.Simd.VECTOR && !vectorApiVisible(elements)) {
            diagnostics.report(Message.VECTOR_UNAVAILABLE, where.type(), where.network(), where.networkValues().get("simd"));
        }
    }

    /** Whether the compilation can see {@code jdk.incubator.vector} (it was added with --add-modules). */
    static boolean vectorApiVisible(Elements elements) {
        return elements.getTypeElement("jdk.incubator.vector.FloatVector") != null;
    }

    private void checkName(NetworkSpec spec, SpecLocations where) {
        String name = spec.generatedName();
        AnnotationValue nameValue = where.networkValues().get("name");
        if (!SourceVersion.isIdentifier(name) || SourceVersion.isKeyword(name) || RESTRICTED_TYPE_NAMES.contains(name)) {
            diagnostics.report(Message.INVALID_NAME, where.type(), where.network(), nameValue, name);
            return;
        }
        String qualified = spec.packageName().isEmpty() ? name : spec.packageName() + "." + name;
        String earlierSpec = generatedSoFar.get(qualified);
        if (earlierSpec != null) {
            diagnostics.report(Message.DUPLICATE_NAME, where.type(), where.network(), nameValue, qualified, earlierSpec);
            return;
        }
        String clash = clash(qualified, name, where.type());
        if (clash != null) {
            diagnostics.report(Message.NAME_CLASH, where.type(), where.network(), nameValue, qualified, clash);
        }
    }

    /** What the generated class {@code qualified} would clash with, or null. */
    private String clash(String qualified, String simpleName, TypeElement spec) {
        if (MemberCheck.NAMES_WRITTEN_AS_TEXT.containsKey(simpleName)) {
            return MemberCheck.NAMES_WRITTEN_AS_TEXT.get(simpleName)
                    + ", which the generated network refers to by its simple name";
        }
        TypeElement existing = elements.getTypeElement(qualified);
        if (existing != null) {
            if (existing.equals(spec)) {
                return "the @Network class itself";
            }
            // A class that extends the spec is this processor's own output of an earlier build,
            // visible on the class path during an incremental recompilation: not a clash.
            boolean earlierOutput = existing.getSuperclass() instanceof DeclaredType superclass
                    && superclass.asElement().equals(spec);
            return earlierOutput ? null : "the existing type " + qualified;
        }
        if (elements.getPackageElement(qualified) != null) {
            return "the package " + qualified;
        }
        return null;
    }
}
