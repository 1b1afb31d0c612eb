package dev.chainrule.spark;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Layer;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/** The examples' Iris network: 4 measurements in, 3 species out, one tanh hidden layer (FLOAT). */
@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
abstract class Iris {
    @Input(4) Layer features;
    @Dense(units = 16, activation = Activation.TANH) Layer hidden;
    @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
}
