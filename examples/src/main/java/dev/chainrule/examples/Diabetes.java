package dev.chainrule.examples;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Layer;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/**
 * Diabetes progression: 10 baseline measurements in, one number out (a linear output unit,
 * mean squared error): a regression.
 */
@Network(loss = Loss.MEAN_SQUARED_ERROR)
abstract class Diabetes {
    @Input(10) Layer baseline;
    @Dense(units = 16, activation = Activation.TANH) Layer hidden;
    @Dense(units = 1, activation = Activation.LINEAR) Layer progression;
}
