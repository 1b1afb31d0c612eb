package dev.chainrule.examples.docs;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Layer;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/** docs/dsl.md's spec with the newer activations; the build compiles it. */
// tag::dsl[]
@Network(loss = Loss.MEAN_SQUARED_ERROR)
abstract class Regressor {
    @Input(8) Layer features;
    @Dense(units = 32, activation = Activation.LEAKY_RELU, alpha = 0.2) Layer hidden;
    @Dense(units = 16, activation = Activation.GELU) Layer deeper;
    @Dense(units = 1) Layer value;
}
// end::dsl[]
