package dev.chainrule.examples.docs.optimizers;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Layer;
import dev.chainrule.Loss;
import dev.chainrule.Network;
import dev.chainrule.Optimizer;

/** docs/optimizers.md's spec: the Iris network with Adam; the build compiles it. */
// tag::spec[]
@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY, optimizer = Optimizer.ADAM)
abstract class Iris {
    @Input(4) Layer features;
    @Dense(units = 16, activation = Activation.TANH) Layer hidden;
    @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
}
// end::spec[]
