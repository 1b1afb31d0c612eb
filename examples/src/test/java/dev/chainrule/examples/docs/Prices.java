package dev.chainrule.examples.docs;

import dev.chainrule.Activation;
import dev.chainrule.Dense;
import dev.chainrule.Init;
import dev.chainrule.Input;
import dev.chainrule.Layer;
import dev.chainrule.Loss;
import dev.chainrule.Network;
import dev.chainrule.Optimizer;
import dev.chainrule.Precision;

/** docs/dsl.md's spec with most attributes; the build compiles it and {@code DocsTest} checks the page shows it. */
// tag::dsl[]
@Network(loss = Loss.HUBER, huberDelta = 0.5, optimizer = Optimizer.ADAM, precision = Precision.DOUBLE)
abstract class Prices {
    @Input(12) Layer features;
    @Dense(units = 64, activation = Activation.LEAKY_RELU, alpha = 0.1, dropout = 0.2) Layer hidden;
    @Dense(units = 32, activation = Activation.SELU) Layer deeper;       // LeCun normal by default
    @Dense(units = 1, init = Init.ZEROS) Layer price;
}
// end::dsl[]
