package dev.chainrule.processor.plan;

import dev.chainrule.Loss;
import dev.chainrule.processor.model.DenseSpec;
import dev.chainrule.processor.model.NetworkSpec;
import java.util.ArrayList;
import java.util.List;

/** Makes every layout and code-shape decision for a valid spec, in one place. */
public final class NetworkPlanner {

    /**
     * Layers with at most this many weights are fully unrolled (unless the spec sets
     * {@code unrollMaxWeights}). The backward pass of an unrolled layer costs about 36 bytes of
     * bytecode per weight (measured by MethodSizeTest: 2.3 KB at 64 weights, 4.6 KB at 128), and a
     * method over the JIT's 8000-byte HugeMethodLimit is never compiled, hence the cap of 128 on
     * what a spec may ask for. Larger layers become tiled loops, which C2 vectorises; the
     * threshold is chosen by UnrollBenchmark (see docs/performance.md).
     */
    public static final int UNROLL_MAX_WEIGHTS = 64;

    /**
     * An unrolled layer with at least this many units loops over them, with its inputs written
     * out in the loop's body, so that C2 vectorises along the units; a narrower layer writes every
     * unit out. Likewise its input gradient loops over its inputs if it has this many (reading a
     * transposed copy of the weights). Both forms add in the same order, so the choice changes
     * speed, not results.
     */
    public static final int UNIT_LOOP_MIN_UNITS = 8;

    /** Rows (inputs, samples or outputs) per pass of a tiled kernel: 4 measured best. */
    public static final int TILE = 4;

    /**
     * A pass gets Vector API kernels only if the dimension it vectorises along has at least this
     * many elements: one 512-bit vector of floats. Narrower dimensions (the 10 units of a
     * classifier's output) run faster in the portable kernels.
     */
    public static final int VECTOR_MIN_WIDTH = 16;

    private NetworkPlanner() {}

    /** Plans with portable kernels only. */
    public static NetworkPlan plan(NetworkSpec spec) {
        return plan(spec, false);
    }

    /**
     * @param vector whether to give tiled layers Vector API kernels (the compilation can see
     *     {@code jdk.incubator.vector} and the spec asked for or allowed them)
     */
    public static NetworkPlan plan(NetworkSpec spec, boolean vector) {
        List<LayerPlan> layers = new ArrayList<>();
        int inputSize = spec.input().size();
        String inputRows = spec.input().name() + "Rows";
        LayerPlan previous = null;
        int offset = 0;
        List<DenseSpec> dense = spec.dense();
        for (int l = 0; l < dense.size(); l++) {
            DenseSpec layer = dense.get(l);
            boolean output = l == dense.size() - 1;
            int unrollLimit = spec.unrollMaxWeights() < 0 ? UNROLL_MAX_WEIGHTS : spec.unrollMaxWeights();
            KernelStyle style = (long) inputSize * layer.units() <= unrollLimit
                    ? KernelStyle.UNROLLED
                    : KernelStyle.TILED;
            boolean needsInputGradient = previous != null;
            boolean lossFromLogits = spec.loss() == Loss.BINARY_CROSS_ENTROPY
                    || spec.loss() == Loss.CATEGORICAL_CROSS_ENTROPY;
            boolean storesPreActivations = (output && lossFromLogits)
                    || ActivationTraits.derivativeNeedsPreActivation(layer.activation());
            // The input gradient multiplies by the previous layer's f': only a derivative that
            // is exact lane by lane keeps the vector kernel bit-identical to the portable one.
            LayerPlan.VectorPasses passes = vector && style == KernelStyle.TILED
                    ? new LayerPlan.VectorPasses(
                            layer.units() >= VECTOR_MIN_WIDTH,
                            layer.units() >= VECTOR_MIN_WIDTH,
                            needsInputGradient && inputSize >= VECTOR_MIN_WIDTH
                                    && ActivationTraits.laneWiseDerivative(previous.activation()))
                    : LayerPlan.VectorPasses.NONE;
            LayerPlan plan = new LayerPlan(
                    layer,
                    l,
                    inputSize,
                    output,
                    style,
                    inputRows,
                    previous,
                    storesPreActivations,
                    offset,
                    passes);
            layers.add(plan);
            offset += plan.weightCount() + layer.units();
            inputSize = layer.units();
            inputRows = plan.outputRows();
            previous = plan;
        }
        return new NetworkPlan(spec, layers, offset);
    }
}
