package dev.chainrule.examples;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Layer;
import dev.chainrule.Loss;
import dev.chainrule.Network;
import dev.chainrule.Optimizer;

/** The {@link Iris} network trained with Adam instead of plain SGD: only the update step differs. */
@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY, optimizer = Optimizer.ADAM)
abstract class IrisAdam {
    @Input(4) Layer features;
    @Dense(units = 16, activation = Activation.TANH) Layer hidden;
    @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
}
