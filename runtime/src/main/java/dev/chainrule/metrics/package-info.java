/**
 * How well a network does on a dataset: {@link dev.chainrule.metrics.Evaluation#of} computes the
 * network's loss and the metrics that fit its task (accuracy and a
 * {@link dev.chainrule.metrics.ConfusionMatrix} for classifiers; MAE, RMSE and R² for regression).
 *
 * <p>A package of its own rather than part of {@code dev.chainrule.train}: evaluating is not
 * training. It serves a test set after training, a model loaded from a file
 * ({@code Model.evaluate}), and the trainer's per-epoch validation alike, and it depends on
 * nothing in the training loop. The trainer uses the same code, so its last validation loss
 * equals {@code Evaluation.of(net, validation).loss()} bit for bit.
 */
package dev.chainrule.metrics;
