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

    // The same networks in DOUBLE precision.

    @Network(loss = Loss.MEAN_SQUARED_ERROR, precision = Precision.DOUBLE)
    abstract static class XorDouble {
        @Input(2) Layer input;
        @Dense(units = 4, activation = Activation.SIGMOID) Layer hidden;
        @Dense(units = 1, activation = Activation.SIGMOID) Layer output;
    }

    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY, precision = Precision.DOUBLE)
    abstract static class IrisLikeDouble {
        @Input(4) Layer input;
        @Dense(units = 16, activation = Activation.RELU) Layer hidden;
        @Dense(units = 3, activation = Activation.SOFTMAX) Layer output;
    }

    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY, precision = Precision.DOUBLE)
    abstract static class DigitsLikeDouble {
        @Input(64) Layer input;
        @Dense(units = 32, activation = Activation.RELU) Layer hidden;
        @Dense(units = 10, activation = Activation.SOFTMAX) Layer output;
    }

    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY, precision = Precision.DOUBLE)
    abstract static class MnistSizeDouble {
        @Input(784) Layer input;
        @Dense(units = 128, activation = Activation.RELU) Layer hidden;
        @Dense(units = 10, activation = Activation.SOFTMAX) Layer output;
    }

    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY, precision = Precision.DOUBLE)
    abstract static class DeepDouble {
        @Input(784) Layer input;
        @Dense(units = 256, activation = Activation.RELU) Layer hidden1;
        @Dense(units = 128, activation = Activation.RELU) Layer hidden2;
        @Dense(units = 10, activation = Activation.SOFTMAX) Layer output;
    }

    /** The network for a task name ({@code xor}, {@code iris}, {@code digits}, {@code mnist}, {@code deep}). */
    static dev.chainrule.Model network(String name, Precision precision, long seed) {
        boolean f = precision == Precision.FLOAT;
        return switch (name) {
            case "xor" -> f ? new Tasks_XorNetwork(seed) : new Tasks_XorDoubleNetwork(seed);
            case "iris" -> f ? new Tasks_IrisLikeNetwork(seed) : new Tasks_IrisLikeDoubleNetwork(seed);
            case "digits" -> f ? new Tasks_DigitsLikeNetwork(seed) : new Tasks_DigitsLikeDoubleNetwork(seed);
            case "mnist" -> f ? new Tasks_MnistSizeNetwork(seed) : new Tasks_MnistSizeDoubleNetwork(seed);
            case "deep" -> f ? new Tasks_DeepNetwork(seed) : new Tasks_DeepDoubleNetwork(seed);
            default -> throw new IllegalArgumentException("unknown task " + name);
        };
    }

    /** The learning rate bench-peers uses for the task. */
    static double learningRate(String name, int batch) {
        return switch (name) {
            case "xor" -> 2.0;
            case "iris" -> batch == 1 ? 0.01 : 0.05;
            case "mnist" -> batch == 1 ? 0.005 : 0.05;
            default -> 0.05;
        };
    }
}
