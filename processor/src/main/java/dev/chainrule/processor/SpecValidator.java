package dev.chainrule.processor;

import dev.chainrule.Activation;
import dev.chainrule.processor.model.DenseSpec;
import dev.chainrule.processor.model.NetworkSpec;
import java.util.List;
import javax.lang.model.SourceVersion;
import javax.lang.model.util.Elements;

/**
 * The rules about a spec's values: sizes, activations against the loss, the generated name.
 * Every broken rule is reported (not only the first), each on the annotation value at fault.
 */
final class SpecValidator {

    /** The largest array the JVM reliably allocates (a few header words below Integer.MAX_VALUE). */
    static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private final Elements elements;
    private final Diagnostics diagnostics;

    SpecValidator(Elements elements, Diagnostics diagnostics) {
        this.elements = elements;
        this.diagnostics = diagnostics;
    }

    /** Returns whether the spec is valid; reports every violated rule. */
    boolean validate(NetworkSpec spec, SpecLocations where) {
        int errorsBefore = diagnostics.errorCount();
        checkSizes(spec, where);
        checkActivations(spec, where);
        checkLoss(spec, where);
        checkName(spec, where);
        checkSimd(spec, where);
        checkUnrollLimit(spec, where);
        return diagnostics.errorCount() == errorsBefore;
    }

    private void checkSizes(NetworkSpec spec, SpecLocations where) {
        boolean sizesValid = true;
        if (spec.input().size() < 1) {
            SpecLocations.Layer at = where.layer(spec.input().name());
            diagnostics.report(Message.SIZE_NOT_POSITIVE, at.field(), at.annotation(), at.values().get("value"),
                    "the size", spec.input().name(), spec.input().size());
            sizesValid = false;
        }
        for (DenseSpec layer : spec.dense()) {
            if (layer.units() < 1) {
                SpecLocations.Layer at = where.layer(layer.name());
                diagnostics.report(Message.SIZE_NOT_POSITIVE, at.field(), at.annotation(), at.values().get("units"),
                        "units", layer.name(), layer.units());
                sizesValid = false;
            }
        }
        if (sizesValid) {
            long count = parameterCount(spec);
            if (count > MAX_ARRAY_LENGTH) {
                diagnostics.report(Message.TOO_MANY_PARAMETERS, where.type(), where.network(),
                        spec.specDisplayName(), String.format(java.util.Locale.ROOT, "%,d", count),
                        String.format(java.util.Locale.ROOT, "%,d", MAX_ARRAY_LENGTH));
            }
        }
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
        if (output.activation() == Activation.SOFTMAX && output.units() == 1) {
            SpecLocations.Layer at = where.layer(output.name());
            diagnostics.report(Message.SOFTMAX_SINGLE_OUTPUT, at.field(), at.annotation(), at.values().get("units"),
                    output.name());
        }
    }

    private void checkLoss(NetworkSpec spec, SpecLocations where) {
        DenseSpec output = spec.output();
        Activation activation = output.activation();
        SpecLocations.Layer at = where.layer(output.name());
        switch (spec.loss()) {
            case CATEGORICAL_CROSS_ENTROPY -> {
                if (activation != Activation.SOFTMAX) {
                    diagnostics.report(Message.CROSS_ENTROPY_NEEDS_SOFTMAX, at.field(), at.annotation(),
                            at.values().get("activation"), output.name(), activation);
                }
            }
            case BINARY_CROSS_ENTROPY -> {
                if (activation != Activation.SIGMOID) {
                    diagnostics.report(Message.BINARY_CROSS_ENTROPY_NEEDS_SIGMOID, at.field(), at.annotation(),
                            at.values().get("activation"), output.name(), activation);
                }
            }
            case MEAN_SQUARED_ERROR -> {
                if (activation == Activation.SOFTMAX) {
                    diagnostics.report(Message.SQUARED_ERROR_ON_SOFTMAX, at.field(), at.annotation(),
                            at.values().get("activation"), output.name());
                }
            }
        }
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
        if (!SourceVersion.isIdentifier(name) || SourceVersion.isKeyword(name)) {
            diagnostics.report(Message.INVALID_NAME, where.type(), where.network(), where.networkValues().get("name"), name);
            return;
        }
        String qualified = spec.packageName().isEmpty() ? name : spec.packageName() + "." + name;
        javax.lang.model.element.TypeElement existing = elements.getTypeElement(qualified);
        // A class that extends the spec is this processor's own output of an earlier build,
        // visible on the class path during an incremental recompilation: not a clash.
        boolean earlierOutput = existing != null
                && existing.getSuperclass() instanceof javax.lang.model.type.DeclaredType superclass
                && superclass.asElement().equals(where.type());
        if (existing != null && !earlierOutput) {
            diagnostics.report(Message.NAME_CLASH, where.type(), where.network(), where.networkValues().get("name"),
                    qualified);
        }
    }
}
