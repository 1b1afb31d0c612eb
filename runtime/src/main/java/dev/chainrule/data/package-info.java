/**
 * Training data held the way the trainer reads it: flat, row-major primitive arrays, so feeding a
 * mini-batch to a {@link dev.chainrule.TrainingStep} copies numbers and allocates nothing.
 */
package dev.chainrule.data;
