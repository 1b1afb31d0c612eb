package dev.chainrule.examples;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Layer;
import dev.chainrule.Loss;
import dev.chainrule.Network;

/**
 * Breast Cancer Wisconsin (Diagnostic): 30 measurements of cell nuclei in, the probability that
 * the mass is benign out (one sigmoid unit, binary cross-entropy).
 */
@Network(loss = Loss.BINARY_CROSS_ENTROPY)
abstract class BreastCancer {
    @Input(30) Layer measurements;
    @Dense(units = 16, activation = Activation.TANH) Layer hidden;
    @Dense(units = 1, activation = Activation.SIGMOID) Layer benign;
}
