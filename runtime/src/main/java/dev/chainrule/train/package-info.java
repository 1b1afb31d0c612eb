/**
 * The epoch loop: {@link dev.chainrule.train.Trainer} feeds mini-batches of a
 * {@link dev.chainrule.data.Dataset} to a network's {@link dev.chainrule.TrainingStep} at the rate
 * a {@link dev.chainrule.train.LearningRateSchedule} gives each epoch, validates after each epoch,
 * reports to {@link dev.chainrule.train.EpochListener}s (such as
 * {@link dev.chainrule.train.ProgressBar}) and stops when the epoch budget is spent or a
 * {@link dev.chainrule.train.StopCondition} says so. The metrics it reports come from
 * {@link dev.chainrule.metrics}. {@code docs/training.md} describes every option.
 *
 * <p>Epochs are numbered from 1 everywhere in this package: in events, histories, messages,
 * schedules and the shuffling seed.
 */
package dev.chainrule.train;
