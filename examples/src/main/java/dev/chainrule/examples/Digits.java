package dev.chainrule.examples;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Layer;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/** The 8x8 digits: 64 pixel counts in, 10 digits out, one tanh hidden layer of 32 units. */
@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
abstract class Digits {
    @Input(64) Layer pixels;
    @Dense(units = 32, activation = Activation.TANH) Layer hidden;
    @Dense(units = 10, activation = Activation.SOFTMAX) Layer digit;
}
