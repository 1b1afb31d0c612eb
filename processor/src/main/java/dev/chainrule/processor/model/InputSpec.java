package dev.chainrule.processor.model;

/** An {@code @Input} field: its name and number of features. */
public record InputSpec(String name, int size) {}
