package dev.chainrule.processor;

import dev.chainrule.Activation;
import dev.chainrule.Loss;
import dev.chainrule.Precision;
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
        StringBuilder s = new StringBuilder();
        if (!pkg.isEmpty()) {
            s.append("package ").append(pkg).append(";\n\n");
        }
        s.append("import dev.chainrule.*;\n\n");
        s.append("@Network(loss = Loss.").append(loss).append(", precision = Precision.").append(precision);
        if (simd != dev.chainrule.Simd.AUTO) {
            s.append(", simd = Simd.").append(simd);
        }
        s.append(")\n");
        s.append("abstract class ").append(name).append(" {\n");
        s.append("    @Input(").append(inputSize).append(") Layer features;\n");
        for (int l = 0; l < units.length; l++) {
            s.append(String.format(Locale.ROOT, "    @Dense(units = %d, activation = Activation.%s) Layer layer%d;%n",
                    units[l], activations[l], l));
        }
        s.append("}\n");
        return s.toString();
    }
}
