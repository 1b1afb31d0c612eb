package dev.chainrule.spark;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Layer;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/** The examples' MNIST network, 784-128-10, for the throughput measurement of docs/spark.md. */
@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
abstract class Mnist {
    @Input(784) Layer pixels;
    @Dense(units = 128, activation = Activation.RELU) Layer hidden;
    @Dense(units = 10, activation = Activation.SOFTMAX) Layer digit;
}
