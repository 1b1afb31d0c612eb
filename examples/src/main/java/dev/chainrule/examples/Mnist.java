package dev.chainrule.examples;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Layer;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/** MNIST: 28x28 = 784 grey levels in, 10 digits out, one ReLU hidden layer of 128 units. */
@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
abstract class Mnist {
    @Input(784) Layer pixels;
    @Dense(units = 128, activation = Activation.RELU) Layer hidden;
    @Dense(units = 10, activation = Activation.SOFTMAX) Layer digit;
}
