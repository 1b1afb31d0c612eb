package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Activation;
import dev.chainrule.Loss;
import dev.chainrule.Precision;
import dev.chainrule.Simd;
import dev.chainrule.processor.model.DenseSpec;
import dev.chainrule.processor.model.InputSpec;
import dev.chainrule.processor.model.NetworkSpec;
import dev.chainrule.processor.plan.ActivationTraits;
import dev.chainrule.processor.plan.LayerPlan;
import dev.chainrule.processor.plan.NetworkPlan;
import dev.chainrule.processor.plan.NetworkPlanner;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The planner's decisions, on specs built without javac. */
class NetworkPlannerTest {

    private static NetworkSpec spec(Loss loss, int input, Object... layers) {
        List<DenseSpec> dense = new ArrayList<>();
        for (int k = 0; k < layers.length; k += 2) {
            dense.add(new DenseSpec("layer" + k / 2, (Integer) layers[k], (Activation) layers[k + 1]));
        }
        return new NetworkSpec("p", List.of("S"), "SNetwork", loss, Precision.FLOAT, Simd.VECTOR, -1,
                new InputSpec("features", input), dense);
    }

    @Test
    void vectorInputGradientOnlyAfterActivationsWithALaneWiseDerivative() {
        NetworkPlan plan = NetworkPlanner.plan(spec(Loss.CATEGORICAL_CROSS_ENTROPY, 20,
                48, Activation.ELU, 40, Activation.SELU, 36, Activation.SILU, 24, Activation.GELU,
                18, Activation.SOFTPLUS, 17, Activation.TANH, 16, Activation.SOFTMAX), true);
        List<LayerPlan> layers = plan.layers();
        assertFalse(layers.get(0).vector().inputGradient(), "the first layer has no input gradient");
        assertTrue(layers.get(1).vector().inputGradient(), "after ELU");
        assertTrue(layers.get(2).vector().inputGradient(), "after SELU");
        assertFalse(layers.get(3).vector().inputGradient(), "after SILU: its derivative calls exp");
        assertFalse(layers.get(4).vector().inputGradient(), "after GELU: tanh");
        assertFalse(layers.get(5).vector().inputGradient(), "after SOFTPLUS: expm1");
        assertTrue(layers.get(6).vector().inputGradient(), "after TANH");
        for (LayerPlan layer : layers) {
            assertTrue(layer.vector().forward() && layer.vector().weightGradient(), layer.name());
        }
    }

    @Test
    void preActivationsAreKeptWhereTheDerivativeOrTheLossNeedsThem() {
        NetworkPlan plan = NetworkPlanner.plan(spec(Loss.MEAN_SQUARED_ERROR, 3,
                4, Activation.SILU, 4, Activation.GELU, 4, Activation.ELU, 2, Activation.SILU), false);
        List<LayerPlan> layers = plan.layers();
        assertTrue(layers.get(0).storesPreActivations());
        assertEquals("layer0PreActivation", layers.get(0).preActivationRows());
        assertTrue(layers.get(1).storesPreActivations());
        assertFalse(layers.get(2).storesPreActivations(), "ELU's derivative is written in terms of a");
        assertEquals("layer2Activation", layers.get(2).preActivationRows());
        assertTrue(layers.get(3).storesPreActivations());
        assertEquals("layer3Logits", layers.get(3).preActivationRows());

        NetworkPlan logits = NetworkPlanner.plan(spec(Loss.BINARY_CROSS_ENTROPY, 3,
                4, Activation.TANH, 1, Activation.SIGMOID), false);
        assertFalse(logits.layers().get(0).storesPreActivations());
        assertTrue(logits.output().storesPreActivations(), "binary cross-entropy is computed from the logits");
    }

    @Test
    void traitsAgreeWithEachOther() {
        for (Activation activation : Activation.values()) {
            if (ActivationTraits.laneWiseValue(activation)) {
                assertTrue(ActivationTraits.laneWiseDerivative(activation), activation.name());
            }
            if (ActivationTraits.derivativeNeedsPreActivation(activation)) {
                assertFalse(ActivationTraits.laneWiseDerivative(activation), activation.name());
            }
        }
    }
}
