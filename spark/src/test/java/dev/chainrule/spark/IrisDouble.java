package dev.chainrule.spark;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Input;
import dev.chainrule.Layer;
import dev.chainrule.Loss;
import dev.chainrule.Network;
import dev.chainrule.Precision;

/**
 * The Iris network in DOUBLE precision: the synchronous trainer is compared with the local one
 * on it, where the rounding of a differently ordered sum is about 1e-16 rather than float's
 * 1e-7, so the stated tolerance can be tight.
 */
@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY, precision = Precision.DOUBLE)
abstract class IrisDouble {
    @Input(4) Layer features;
    @Dense(units = 16, activation = Activation.TANH) Layer hidden;
    @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
}
