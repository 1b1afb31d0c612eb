package dev.chainrule.processor.model;

import dev.chainrule.Activation;

/** A {@code @Dense} field: its name, number of units and activation. */
public record DenseSpec(String name, int units, Activation activation) {}
