/**
 * The epoch loop: {@link dev.chainrule.train.Trainer} feeds mini-batches of a
 * {@link dev.chainrule.data.Dataset} to a network's {@link dev.chainrule.TrainingStep}, reports
 * each epoch to {@link dev.chainrule.train.EpochListener}s and stops when the epoch budget is
 * spent or a {@link dev.chainrule.train.StopCondition} says so.
 *
 * <p>Epochs are numbered from 1 everywhere in this package: in events, histories, messages and
 * the shuffling seed.
 */
package dev.chainrule.train;
