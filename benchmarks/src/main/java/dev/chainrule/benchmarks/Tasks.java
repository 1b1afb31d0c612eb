package dev.chainrule.benchmarks;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Layer;
import dev.chainrule.Loss;
import dev.chainrule.Network;
import dev.chainrule.Precision;

/**
 * The networks of the side-by-side comparison with other libraries (bench-peers), each in
 * both precisions: the same topologies, activations and losses as its tasks.
 */
final class Tasks {

    private Tasks() {}

    @Network(loss = Loss.MEAN_SQUARED_ERROR)
    abstract static class Xor {
        @Input(2) Layer input;
        @Dense(units = 4, activation = Activation.SIGMOID) Layer hidden;
        @Dense(units = 1, activation = Activation.SIGMOID) Layer output;
    }

    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
    abstract static class IrisLike {
        @Input(4) Layer input;
        @Dense(units = 16, activation = Activation.RELU) Layer hidden;
        @Dense(units = 3, activation = Activation.SOFTMAX) Layer output;
    }

    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
    abstract static class DigitsLike {
        @Input(64) Layer input;
        @Dense(units = 32, activation = Activation.RELU) Layer hidden;
        @Dense(units = 10, activation = Activation.SOFTMAX) Layer output;
    }

    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
    abstract static class MnistSize {
        @Input(784) Layer input;
        @Dense(units = 128, activation = Activation.RELU) Layer hidden;
        @Dense(units = 10, activation = Activation.SOFTMAX) Layer output;
    }

    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
    abstract static class Deep {
        @Input(784) Layer input;
        @Dense(units = 256, activation = Activation.RELU) Layer hidden1;
        @Dense(units = 128, activation = Activation.RELU) Layer hidden2;
        @Dense(units = 10, activation = Activation.SOFTMAX) Layer output;
    }

    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY, precision = Precision.DOUBLE)
    abstract static class MnistSizeDouble {
        @Input(784) Layer input;
        @Dense(units = 128, activation = Activation.RELU) Layer hidden;
        @Dense(units = 10, activation = Activation.SOFTMAX) Layer output;
    }
}
