package dev.chainrule.processor.emit;

import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.chainrule.processor.plan.LayerPlan;
import dev.chainrule.processor.plan.NetworkPlan;
import javax.lang.model.element.Modifier;

/**
 * Inverted dropout on hidden layers, in the training step only. While a step computes gradients
 * with dropout enabled, each layer with dropout draws a mask (0 with probability {@code rate},
 * else {@code 1 / (1 - rate)}) per sample and unit, and the next layer reads the activations
 * times the mask; the backward pass multiplies that layer's delta by the same mask. The masks
 * come from a SplitMix64 stream in the step, seeded by {@code setDropout}: allocation-free, and
 * the same seed gives the same masks. {@code forward} and {@code loss} never drop.
 */
final class DropoutEmitter {

    /** Whether the current pass drops: set by computeGradients (when enabled), cleared by forward. */
    static final String DROPPING = "dropping";
    static final String ENABLED = "dropoutEnabled";
    static final String STATE = "dropoutState";

    /** SplitMix64's increment (the golden ratio) and its finalizer's multipliers. */
    static final String GAMMA = "0x9E3779B97F4A7C15L";

    private DropoutEmitter() {}

    static void fields(TypeSpec.Builder type, NetworkPlan plan, Numeric numeric) {
        type.addField(FieldSpec.builder(boolean.class, ENABLED, Modifier.PRIVATE)
                .addJavadoc("Whether computeGradients drops (setDropout); off by default.\n")
                .build());
        type.addField(FieldSpec.builder(boolean.class, DROPPING, Modifier.PRIVATE)
                .addJavadoc("Whether the pass in progress drops: only a computeGradients with dropout enabled.\n")
                .build());
        type.addField(FieldSpec.builder(long.class, STATE, Modifier.PRIVATE)
                .addJavadoc("The SplitMix64 state the masks are drawn from, seeded by setDropout.\n")
                .build());
        for (LayerPlan layer : plan.layers()) {
            if (layer.dropout()) {
                type.addField(FieldSpec.builder(double.class, layer.dropoutRate(), Modifier.PRIVATE)
                        .addJavadoc("$L's dropout rate: $L as declared, or setDropoutRate's.\n", layer.name(),
                                layer.spec().dropout())
                        .initializer("$L", layer.spec().dropout())
                        .build());
            }
        }
    }

    static void layerFields(TypeSpec.Builder type, LayerPlan layer, Numeric numeric) {
        type.addField(FieldSpec.builder(numeric.rows(), layer.mask(), Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("$L's dropout mask of the last dropping pass: 0 or 1 / (1 - rate).\n", layer.name())
                .build());
        type.addField(numeric.rows(), layer.dropped(), Modifier.PRIVATE, Modifier.FINAL);
        type.addField(FieldSpec.builder(numeric.rows(), layer.outputRows(), Modifier.PRIVATE)
                .addJavadoc("What the next layer reads: $L, or $L while dropping.\n", layer.activations(),
                        layer.dropped())
                .build());
    }

    static void allocate(MethodSpec.Builder constructor, LayerPlan layer, Numeric numeric) {
        String t = numeric.keyword();
        constructor.addStatement("this.$N = new $L[maxBatchSize][$L]", layer.mask(), t, layer.units());
        constructor.addStatement("this.$N = new $L[maxBatchSize][$L]", layer.dropped(), t, layer.units());
        constructor.addStatement("this.$N = $N", layer.outputRows(), layer.activations());
    }

    /** Every layer's forward pass, each layer with dropout followed by its mask when dropping. */
    static MethodSpec forwardLayers(NetworkPlan plan) {
        MethodSpec.Builder method = MethodSpec.methodBuilder("forwardLayers")
                .addModifiers(Modifier.PRIVATE)
                .addParameter(int.class, "batchSize");
        for (LayerPlan layer : plan.layers()) {
            method.addStatement("$N(batchSize)", ForwardEmitter.methodName(layer));
            if (layer.dropout()) {
                method.addStatement("$N = $L ? $N(batchSize) : $N", layer.outputRows(), DROPPING, dropName(layer),
                        layer.activations());
            }
        }
        return method.build();
    }

    static String dropName(LayerPlan layer) {
        return "drop" + layer.capitalized();
    }

    /** Draws the layer's masks for the batch and returns the dropped rows. */
    static MethodSpec drop(LayerPlan layer, Numeric numeric) {
        String t = numeric.keyword();
        return MethodSpec.methodBuilder(dropName(layer))
                .addModifiers(Modifier.PRIVATE)
                .returns(numeric.rows())
                .addParameter(int.class, "batchSize")
                .addJavadoc("Inverted dropout on $L: sample by sample, unit by unit, the unit is dropped when the next\n"
                        + "uniform draw is below the rate, else scaled by 1 / (1 - rate).\n", layer.name())
                .addStatement("double rate = $N", layer.dropoutRate())
                .addStatement("$L scale = $L", t, numeric.fromDouble("(1.0 / (1.0 - rate))"))
                .beginControlFlow("for (int s = 0; s < batchSize; s++)")
                .addStatement("$L[] a = $N[s], m = $N[s], out = $N[s]", t, layer.activations(), layer.mask(),
                        layer.dropped())
                .beginControlFlow("for (int j = 0; j < $L; j++)", layer.units())
                .addStatement("m[j] = nextUniform() < rate ? $L : scale", numeric.literal("0"))
                .addStatement("out[j] = a[j] * m[j]")
                .endControlFlow()
                .endControlFlow()
                .addStatement("return $N", layer.dropped())
                .build();
    }

    /** SplitMix64 (Steele, Lea and Flood 2014), as java.util.SplittableRandom mixes: a double in [0, 1). */
    static MethodSpec nextUniform() {
        return MethodSpec.methodBuilder("nextUniform")
                .addModifiers(Modifier.PRIVATE)
                .returns(double.class)
                .addJavadoc("The next double in [0, 1) of the dropout stream: SplitMix64, 53 bits.\n")
                .addStatement("long z = $L += $L", STATE, GAMMA)
                .addStatement("z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L")
                .addStatement("z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL")
                .addStatement("return ((z ^ (z >>> 31)) >>> 11) * 0x1.0p-53")
                .build();
    }

    static MethodSpec setDropout() {
        return MethodSpec.methodBuilder("setDropout")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .addParameter(boolean.class, "enabled")
                .addParameter(long.class, "seed")
                .addStatement("this.$L = enabled", ENABLED)
                .addStatement("this.$L = seed", STATE)
                .build();
    }

    static MethodSpec setDropoutRate(NetworkPlan plan) {
        MethodSpec.Builder method = MethodSpec.methodBuilder("setDropoutRate")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .addParameter(double.class, "rate")
                .beginControlFlow("if (!(rate >= 0.0 && rate < 1.0))")
                .addStatement("throw new $T($S + rate + $S)", IllegalArgumentException.class, "dropout rate is ",
                        ", must be in [0, 1)")
                .endControlFlow();
        for (LayerPlan layer : plan.layers()) {
            if (layer.dropout()) {
                method.addStatement("this.$N = rate", layer.dropoutRate());
            }
        }
        return method.build();
    }

    /** {@code rows[s][j] *= mask[s][j]}: a dropped unit passes no gradient back. */
    static MethodSpec maskRows(Numeric numeric) {
        return MethodSpec.methodBuilder("maskRows")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc("Multiplies each delta row by its dropout mask row: a dropped unit passes no gradient back.\n")
                .addParameter(numeric.rows(), "rows")
                .addParameter(numeric.rows(), "mask")
                .addParameter(int.class, "batchSize")
                .beginControlFlow("for (int s = 0; s < batchSize; s++)")
                .addStatement("$T row = rows[s], m = mask[s]", numeric.array())
                .beginControlFlow("for (int j = 0; j < row.length; j++)")
                .addStatement("row[j] *= m[j]")
                .endControlFlow()
                .endControlFlow()
                .build();
    }
}
