package dev.chainrule.examples;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Layer;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/** The classic: 2 inputs, 4 sigmoid hidden units, 1 sigmoid output, trained on mean squared error. */
@Network(loss = Loss.MEAN_SQUARED_ERROR)
abstract class Xor {
    @Input(2) Layer input;
    @Dense(units = 4, activation = Activation.SIGMOID) Layer hidden;
    @Dense(units = 1, activation = Activation.SIGMOID) Layer output;
}
