package dev.chainrule.processor.plan;

import dev.chainrule.processor.model.NetworkSpec;
import java.util.List;

/** A spec with every layout and code-shape decision made; what the emitters read. */
public record NetworkPlan(NetworkSpec spec, List<LayerPlan> layers, int parameterCount) {

    /** Whether any layer has Vector API kernels, so that the network has a kernel class. */
    public boolean vector() {
        return layers.stream().anyMatch(layer -> layer.vector().any());
    }

    public NetworkPlan {
        layers = List.copyOf(layers);
    }

    /** Whether any layer has dropout. */
    public boolean dropout() {
        return layers.stream().anyMatch(LayerPlan::dropout);
    }

    public LayerPlan output() {
        return layers.get(layers.size() - 1);
    }

    /** The name of the buffer holding the input rows. */
    public String inputRows() {
        return spec.input().name() + "Rows";
    }

    public int inputSize() {
        return spec.input().size();
    }

    public int outputSize() {
        return output().units();
    }
}
