package dev.chainrule.metrics;

import dev.chainrule.Loss;
import dev.chainrule.Model;
import java.util.List;
import java.util.Objects;

/**
 * What a network's outputs mean, which decides the metrics that make sense for it. Usually
 * chosen from the loss ({@link #of(Model)}); choose explicitly when the loss does not say, for
 * example for a classifier trained on mean squared error, as the classic backpropagation
 * recipe does.
 */
public enum Task {
    /**
     * One class per sample. With two or more outputs the predicted class is the index of the
     * largest output and the true class the index of the largest target (the hot column of a
     * one-hot row); ties go to the lower index. With one output (a sigmoid giving the probability
     * of class 1) an output above 0.5 predicts class 1, and a target above 0.5 is class 1.
     * Metrics: {@link Metric#ACCURACY}, and a {@link ConfusionMatrix}.
     */
    CLASSIFICATION,
    /**
     * Each output is an independent yes/no (several sigmoid outputs): an output above 0.5 says
     * yes, and a target above 0.5 is a yes. Metrics: {@link Metric#ACCURACY}, the fraction of all
     * output decisions that are right (Keras's {@code binary_accuracy}), and one 2×2
     * {@link ConfusionMatrix} per output.
     */
    MULTI_LABEL,
    /**
     * Outputs are numbers to get close to. Metrics: {@link Metric#MEAN_ABSOLUTE_ERROR},
     * {@link Metric#ROOT_MEAN_SQUARED_ERROR} and {@link Metric#R_SQUARED}.
     */
    REGRESSION;

    /**
     * The task a loss implies: categorical cross-entropy is {@link #CLASSIFICATION}; binary
     * cross-entropy is {@link #CLASSIFICATION} with one output and {@link #MULTI_LABEL} with
     * several; every other loss (mean squared error and the other regression losses) is
     * {@link #REGRESSION}.
     */
    public static Task forLoss(Loss loss, int outputCount) {
        Objects.requireNonNull(loss, "loss is null");
        switch (loss) {
            case CATEGORICAL_CROSS_ENTROPY:
                return CLASSIFICATION;
            case BINARY_CROSS_ENTROPY:
                return outputCount == 1 ? CLASSIFICATION : MULTI_LABEL;
            default:
                return REGRESSION;
        }
    }

    /** The task the network's loss and output count imply; see {@link #forLoss}. */
    public static Task of(Model model) {
        Objects.requireNonNull(model, "model is null");
        return forLoss(model.loss(), model.outputSize());
    }

    /** The metrics an {@link Evaluation} of this task measures, in the order reports list them. */
    public List<Metric> metrics() {
        return this == REGRESSION
                ? List.of(Metric.MEAN_ABSOLUTE_ERROR, Metric.ROOT_MEAN_SQUARED_ERROR, Metric.R_SQUARED)
                : List.of(Metric.ACCURACY);
    }
}
