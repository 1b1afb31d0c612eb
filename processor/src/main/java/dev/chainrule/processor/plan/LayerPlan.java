package dev.chainrule.processor.plan;

import dev.chainrule.Activation;
import dev.chainrule.processor.model.DenseSpec;

/**
 * Every decision about one dense layer: its sizes, kernel style, which buffers it needs and where
 * its parameters sit in the public order. The names of its arrays are derived here, once.
 *
 * @param index the position among the dense layers, 0 for the first
 * @param inputSize the number of inputs (the previous layer's units or the input size)
 * @param inputRows the name of the buffer holding this layer's input rows
 * @param previous the plan of the previous dense layer, null for the first layer
 * @param storesPreActivations whether the pre-activations {@code z} are kept beside the
 *     activations: for the output layer when its loss is computed from the logits, and for any
 *     layer whose activation's derivative is written in terms of {@code z}
 *     ({@link ActivationTraits#derivativeNeedsPreActivation})
 * @param weightOffset where the weights start in the public parameter order (biases follow)
 * @param vector which passes use Vector API kernels (in the network's nested kernel class) when
 *     the module is present at run time
 */
public record LayerPlan(
        DenseSpec spec,
        int index,
        int inputSize,
        boolean output,
        KernelStyle style,
        String inputRows,
        LayerPlan previous,
        boolean storesPreActivations,
        int weightOffset,
        VectorPasses vector) {

    /**
     * The passes of a layer with Vector API kernels. Each vectorises along one dimension: the
     * forward pass and the weight gradient along units, the input gradient along inputs.
     */
    public record VectorPasses(boolean forward, boolean weightGradient, boolean inputGradient) {

        static final VectorPasses NONE = new VectorPasses(false, false, false);

        public boolean any() {
            return forward || weightGradient || inputGradient;
        }
    }

    public String name() {
        return spec.name();
    }

    public int units() {
        return spec.units();
    }

    public Activation activation() {
        return spec.activation();
    }

    /** The activation's parameter (LEAKY_RELU's slope, ELU's alpha) with defaults applied; NaN if none. */
    public double alpha() {
        return spec.resolvedAlpha();
    }

    /**
     * Whether the kernels of an unrolled layer loop over its units, which are wide enough to
     * vectorise along ({@link NetworkPlanner#UNIT_LOOP_MIN_UNITS}), instead of writing each out.
     */
    public boolean loopsOverUnits() {
        return style == KernelStyle.UNROLLED && units() >= NetworkPlanner.UNIT_LOOP_MIN_UNITS;
    }

    /**
     * Whether the input gradient of an unrolled layer loops over its inputs, which are wide
     * enough to vectorise along ({@link NetworkPlanner#UNIT_LOOP_MIN_UNITS}), reading the
     * weights by unit (the weights themselves if {@link #unitMajor}, else the transposed copy),
     * instead of writing each input out.
     */
    public boolean loopsOverInputs() {
        return style == KernelStyle.UNROLLED && needsInputGradient()
                && inputSize >= NetworkPlanner.UNIT_LOOP_MIN_UNITS;
    }

    /**
     * Whether the network keeps a {@code [unit][input]} copy of the weights, which the input
     * gradient reads row by row: every tiled layer but the first, and unrolled ones that loop over
     * their inputs ({@link #loopsOverInputs}) unless their weights are ordered by unit already
     * ({@link #unitMajor}).
     */
    public boolean keepsTransposed() {
        return needsInputGradient() && (style == KernelStyle.TILED || (loopsOverInputs() && !unitMajor()));
    }

    /**
     * Whether the layer's weights, their gradients and the update rule's state for them are
     * ordered by unit ({@code [unit][input]}) instead of by input ({@code [input][unit]}): an
     * unrolled layer too narrow to loop over its units ({@link NetworkPlanner#UNIT_LOOP_MIN_UNITS})
     * but with inputs enough to loop over. Its kernels then run along the inputs: the weight
     * gradient in a loop over them, the input gradient on the weights themselves, with no
     * transposed copy to refresh.
     */
    public boolean unitMajor() {
        return style == KernelStyle.UNROLLED
                && units() < NetworkPlanner.UNIT_LOOP_MIN_UNITS
                && inputSize >= NetworkPlanner.UNIT_LOOP_MIN_UNITS;
    }

    /**
     * Whether the weight arrays (weights, their gradient, the update rule's state) hold the whole
     * layer in one row, {@code [1][inputs x units]}: every unrolled layer. Its kernels index the row
     * with constant offsets, and the update and the other passes over the parameters run over
     * the whole layer in one loop, which C2 vectorises; rows of a few units or inputs never
     * reach the vectorised part of a loop (measured on iris-like at batch 1: 151 against 134 ns
     * per sample).
     */
    public boolean singleRow() {
        return style == KernelStyle.UNROLLED;
    }

    /** The number of rows of the weight arrays: 1 if {@link #singleRow}, else the inputs. */
    public int weightRows() {
        return singleRow() ? 1 : inputSize;
    }

    /** The length of each row of the weight arrays: all the weights if {@link #singleRow}, else the units. */
    public int weightRowLength() {
        return singleRow() ? inputSize * units() : units();
    }

    /** The layout of the weight arrays, for comments. */
    public String weightLayout() {
        if (!singleRow()) {
            return "[input][unit]";
        }
        return unitMajor() ? "one-row [unit][input]" : "one-row [input][unit]";
    }

    /**
     * Where the weight from input {@code i} to unit {@code j} sits in the row of a
     * {@link #singleRow} layer.
     */
    public int weightIndex(int i, int j) {
        return unitMajor() ? j * inputSize + i : i * units() + j;
    }

    /**
     * The element of {@code array} (weights, their gradient or state) from input {@code i} to
     * unit {@code j}, where {@code i} and {@code j} are expressions.
     */
    public String weightElement(String array, String i, String j) {
        if (!singleRow()) {
            return array + "[" + i + "][" + j + "]";
        }
        return unitMajor()
                ? array + "[0][" + times(j, inputSize) + " + " + i + "]"
                : array + "[0][" + times(i, units()) + " + " + j + "]";
    }

    /** {@code index * factor}, or {@code index} alone for a factor of 1. */
    private static String times(String index, int factor) {
        return factor == 1 ? index : index + " * " + factor;
    }

    /**
     * {@code base + index} as an index expression, leaving out a base of 0: {@code j},
     * {@code 16 + j}.
     */
    public static String offset(int base, String index) {
        return base == 0 ? index : base + " + " + index;
    }

    /** Whether the layer drops outputs while training ({@code @Dense(dropout)} above 0). */
    public boolean dropout() {
        return spec.hasDropout();
    }

    /** The step's field holding the layer's current dropout rate (a {@code double}). */
    public String dropoutRate() {
        return name() + "DropoutRate";
    }

    /** The rows of the dropout mask: 0 or {@code 1 / (1 - rate)} per sample and unit. */
    public String mask() {
        return name() + "Mask";
    }

    /** The rows of the activations times the mask, what the next layer reads while dropping. */
    public String dropped() {
        return name() + "Dropped";
    }

    /**
     * The rows the next layer reads: the activations, or for a layer with dropout a field that
     * points at the activations or, while dropping, at {@link #dropped()}.
     */
    public String outputRows() {
        return dropout() ? name() + "Output" : activations();
    }

    /** The previous layer's activation, null for the first layer. */
    public Activation previousActivation() {
        return previous == null ? null : previous.activation();
    }

    /** The name of the previous layer's delta buffer, null for the first layer. */
    public String previousDelta() {
        return previous == null ? null : previous.delta();
    }

    /**
     * Whether the step keeps a softmax layer's {@code sum_k exp(z_k - max z)} per sample, for the
     * loss: a softmax output whose loss is computed from the logits.
     */
    public boolean keepsExpSum() {
        return storesPreActivations && activation() == Activation.SOFTMAX;
    }

    /** Whether the backward pass computes the gradient with respect to this layer's input. */
    public boolean needsInputGradient() {
        return previous != null;
    }

    public int weightCount() {
        return inputSize * units();
    }

    public int biasOffset() {
        return weightOffset + weightCount();
    }

    /** The layer's name with its first letter in upper case, for method names. */
    public String capitalized() {
        return Character.toUpperCase(name().charAt(0)) + name().substring(1);
    }

    public String weights() {
        return name() + "Weights";
    }

    public String weightsTransposed() {
        return name() + "WeightsT";
    }

    public String biases() {
        return name() + "Biases";
    }

    public String activations() {
        return name() + "Activation";
    }

    /**
     * The rows of pre-activations {@code z} kept beside the activations (when
     * {@link #storesPreActivations()}): the logits of the output layer, the pre-activations of a
     * hidden one.
     */
    public String preActivations() {
        return name() + (output ? "Logits" : "PreActivation");
    }

    public String expSum() {
        return name() + "ExpSum";
    }

    public String delta() {
        return name() + "Delta";
    }

    public String weightGradient() {
        return name() + "WeightGradient";
    }

    public String biasGradient() {
        return name() + "BiasGradient";
    }

    /**
     * The network's array of one of the update rule's states ({@code Optimizer.stateNames()},
     * such as {@code exp_avg}) for this layer's weights: {@code hiddenWeightsExpAvg}.
     */
    public String weightsState(String stateName) {
        return weights() + capitalizedCamel(stateName);
    }

    /** As {@link #weightsState} for the biases: {@code hiddenBiasesExpAvg}. */
    public String biasesState(String stateName) {
        return biases() + capitalizedCamel(stateName);
    }

    /** {@code exp_avg_sq} as {@code ExpAvgSq}. */
    public static String capitalizedCamel(String snake) {
        StringBuilder s = new StringBuilder();
        for (String word : snake.split("_")) {
            s.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return s.toString();
    }

    /** The rows the forward pass writes its weighted sums into before the activation. */
    public String preActivationRows() {
        return storesPreActivations ? preActivations() : activations();
    }
}
