package dev.chainrule.benchmarks;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Layer;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/**
 * Small networks generated twice, every layer unrolled ({@code unrollMaxWeights = 128}) and every
 * layer tiled ({@code 0}), to choose the planner's unroll threshold by measurement.
 */
final class UnrollSpecs {

    private UnrollSpecs() {}

    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY, unrollMaxWeights = 128)
    abstract static class IrisUnrolled {
        @Input(4) Layer input;
        @Dense(units = 16, activation = Activation.RELU) Layer hidden;
        @Dense(units = 3, activation = Activation.SOFTMAX) Layer output;
    }

    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY, unrollMaxWeights = 0)
    abstract static class IrisTiled {
        @Input(4) Layer input;
        @Dense(units = 16, activation = Activation.RELU) Layer hidden;
        @Dense(units = 3, activation = Activation.SOFTMAX) Layer output;
    }

    @Network(loss = Loss.MEAN_SQUARED_ERROR, unrollMaxWeights = 128)
    abstract static class EightsUnrolled {
        @Input(8) Layer input;
        @Dense(units = 8, activation = Activation.RELU) Layer hidden1;
        @Dense(units = 8, activation = Activation.RELU) Layer hidden2;
        @Dense(units = 8, activation = Activation.LINEAR) Layer output;
    }

    @Network(loss = Loss.MEAN_SQUARED_ERROR, unrollMaxWeights = 0)
    abstract static class EightsTiled {
        @Input(8) Layer input;
        @Dense(units = 8, activation = Activation.RELU) Layer hidden1;
        @Dense(units = 8, activation = Activation.RELU) Layer hidden2;
        @Dense(units = 8, activation = Activation.LINEAR) Layer output;
    }

    @Network(loss = Loss.MEAN_SQUARED_ERROR, unrollMaxWeights = 128)
    abstract static class WideUnrolled {
        @Input(16) Layer input;
        @Dense(units = 8, activation = Activation.RELU) Layer hidden1;
        @Dense(units = 16, activation = Activation.RELU) Layer hidden2;
        @Dense(units = 8, activation = Activation.LINEAR) Layer output;
    }

    @Network(loss = Loss.MEAN_SQUARED_ERROR, unrollMaxWeights = 0)
    abstract static class WideTiled {
        @Input(16) Layer input;
        @Dense(units = 8, activation = Activation.RELU) Layer hidden1;
        @Dense(units = 16, activation = Activation.RELU) Layer hidden2;
        @Dense(units = 8, activation = Activation.LINEAR) Layer output;
    }

    @Network(loss = Loss.MEAN_SQUARED_ERROR, unrollMaxWeights = 128)
    abstract static class XorUnrolled {
        @Input(2) Layer input;
        @Dense(units = 4, activation = Activation.SIGMOID) Layer hidden;
        @Dense(units = 1, activation = Activation.SIGMOID) Layer output;
    }

    @Network(loss = Loss.MEAN_SQUARED_ERROR, unrollMaxWeights = 0)
    abstract static class XorTiled {
        @Input(2) Layer input;
        @Dense(units = 4, activation = Activation.SIGMOID) Layer hidden;
        @Dense(units = 1, activation = Activation.SIGMOID) Layer output;
    }

    static dev.chainrule.Model network(String shape, String style) {
        boolean unrolled = style.equals("unrolled");
        return switch (shape) {
            case "2-4-1" -> unrolled ? new UnrollSpecs_XorUnrolledNetwork(1L) : new UnrollSpecs_XorTiledNetwork(1L);
            case "4-16-3" -> unrolled ? new UnrollSpecs_IrisUnrolledNetwork(1L) : new UnrollSpecs_IrisTiledNetwork(1L);
            case "8-8-8-8" -> unrolled ? new UnrollSpecs_EightsUnrolledNetwork(1L) : new UnrollSpecs_EightsTiledNetwork(1L);
            case "16-8-16-8" -> unrolled ? new UnrollSpecs_WideUnrolledNetwork(1L) : new UnrollSpecs_WideTiledNetwork(1L);
            default -> throw new IllegalArgumentException(shape);
        };
    }
}
