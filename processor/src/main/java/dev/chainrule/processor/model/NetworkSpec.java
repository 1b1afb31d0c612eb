package dev.chainrule.processor.model;

import dev.chainrule.Loss;
import dev.chainrule.Optimizer;
import dev.chainrule.Precision;
import dev.chainrule.Simd;
import java.util.List;

/**
 * What a {@code @Network} class declares, free of {@code javax.lang.model}: the planner, the
 * emitters and their tests work on this alone.
 *
 * @param packageName the spec's package, empty for the unnamed package
 * @param specNames the spec's simple name, preceded by those of its enclosing classes
 * @param generatedName the simple name of the class to generate
 * @param unrollMaxWeights layers with at most this many weights are unrolled; -1 for the
 *     planner's default
 * @param input the input layer
 * @param dense the dense layers in declaration order; the last is the output layer
 * @param huberDelta the delta of the HUBER loss
 * @param optimizer the update rule
 */
public record NetworkSpec(
        String packageName,
        List<String> specNames,
        String generatedName,
        Loss loss,
        Precision precision,
        Simd simd,
        int unrollMaxWeights,
        InputSpec input,
        List<DenseSpec> dense,
        double huberDelta,
        Optimizer optimizer) {

    public NetworkSpec {
        specNames = List.copyOf(specNames);
        dense = List.copyOf(dense);
    }

    /** A spec with the defaults of the attributes added later (HUBER's delta 1, SGD). */
    public NetworkSpec(String packageName, List<String> specNames, String generatedName, Loss loss,
            Precision precision, Simd simd, int unrollMaxWeights, InputSpec input, List<DenseSpec> dense) {
        this(packageName, specNames, generatedName, loss, precision, simd, unrollMaxWeights, input, dense, 1.0,
                Optimizer.SGD);
    }

    /** The spec's name as written in source, {@code Outer.Inner} for a nested spec. */
    public String specDisplayName() {
        return String.join(".", specNames);
    }

    /** The last dense layer. */
    public DenseSpec output() {
        return dense.get(dense.size() - 1);
    }
}
