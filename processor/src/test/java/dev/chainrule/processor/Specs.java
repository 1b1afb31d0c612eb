package dev.chainrule.processor;

import dev.chainrule.Activation;
import dev.chainrule.Loss;
import dev.chainrule.Precision;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes the source of {@code @Network} specs for tests, so that topologies can be generated. */
final class Specs {

    private Specs() {}

    /**
     * A spec {@code package pkg; abstract class name} with an input of {@code inputSize} and one
     * dense layer per entry of {@code units}, named {@code layer0, layer1, ...}.
     */
    static String source(String pkg, String name, Loss loss, Precision precision, int inputSize, int[] units,
            Activation[] activations) {
        return source(pkg, name, loss, precision, dev.chainrule.Simd.AUTO, inputSize, units, activations);
    }

    /** As above, with the kernels chosen by {@code simd}. */
    static String source(String pkg, String name, Loss loss, Precision precision, dev.chainrule.Simd simd,
            int inputSize, int[] units, Activation[] activations) {
        String network = "loss = Loss." + loss + ", precision = Precision." + precision
                + (simd != dev.chainrule.Simd.AUTO ? ", simd = Simd." + simd : "");
        return source(pkg, name, network, inputSize, dense(units, activations));
    }

    /** The {@code @Dense} attributes of layers with these units and activations. */
    static List<String> dense(int[] units, Activation[] activations) {
        List<String> layers = new ArrayList<>();
        for (int l = 0; l < units.length; l++) {
            layers.add(String.format(Locale.ROOT, "units = %d, activation = Activation.%s", units[l], activations[l]));
        }
        return layers;
    }

    /**
     * The most general form: {@code networkAttributes} go into {@code @Network(...)}, and each
     * entry of {@code denseAttributes} into the {@code @Dense(...)} of one layer, named
     * {@code layer0, layer1, ...}.
     */
    static String source(String pkg, String name, String networkAttributes, int inputSize,
            List<String> denseAttributes) {
        StringBuilder s = new StringBuilder();
        if (!pkg.isEmpty()) {
            s.append("package ").append(pkg).append(";\n\n");
        }
        s.append("import dev.chainrule.*;\n\n");
        s.append("@Network(").append(networkAttributes).append(")\n");
        s.append("abstract class ").append(name).append(" {\n");
        s.append("    @Input(").append(inputSize).append(") Layer features;\n");
        for (int l = 0; l < denseAttributes.size(); l++) {
            s.append(String.format(Locale.ROOT, "    @Dense(%s) Layer layer%d;%n", denseAttributes.get(l), l));
        }
        s.append("}\n");
        return s.toString();
    }
}
