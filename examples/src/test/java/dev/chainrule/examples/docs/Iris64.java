package dev.chainrule.examples.docs;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Layer;
import dev.chainrule.Loss;
import dev.chainrule.Network;
import dev.chainrule.Precision;

/** The FAQ's DOUBLE network. */
// tag::double[]
@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY, precision = Precision.DOUBLE)
abstract class Iris64 {
    @Input(4) Layer features;
    @Dense(units = 16, activation = Activation.TANH) Layer hidden;
    @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
}
// end::double[]
