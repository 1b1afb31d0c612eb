package dev.chainrule.examples.docs.optimizers;

import dev.chainrule.Model;
import dev.chainrule.data.Dataset;
import dev.chainrule.train.Trainer;

/** The run-time settings of docs/optimizers.md, compiled by the build and run by {@code DocSnippetsTest}. */
public final class OptimizerSnippets {

    private OptimizerSnippets() {}

    /** Trains a fresh Adam network on {@code train} with the page's settings. */
    public static Model tune(Dataset train) {
        IrisNetwork net = new IrisNetwork(42L);
        // tag::settings[]
        Trainer.of(net)
                .learningRate(0.01)
                .betas(0.9, 0.999).epsilon(1e-8).weightDecay(1e-4)   // or .updateSettings(UpdateSettings...)
                .clipGradientNorm(1.0)
                .fit(train);
        // end::settings[]
        return net;
    }
}
