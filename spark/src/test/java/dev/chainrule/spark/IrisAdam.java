package dev.chainrule.spark;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Layer;
import dev.chainrule.Loss;
import dev.chainrule.Network;
import dev.chainrule.Optimizer;
import dev.chainrule.Precision;

/** Iris with Adam, in DOUBLE: an update rule with state, which the driver's step keeps. */
@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY, precision = Precision.DOUBLE, optimizer = Optimizer.ADAM)
abstract class IrisAdam {
    @Input(4) Layer features;
    @Dense(units = 16, activation = Activation.TANH) Layer hidden;
    @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
}
