package dev.chainrule.train;

import dev.chainrule.Model;

/**
 * The parameters of the best epoch so far by one {@link Monitor}, for
 * {@link Trainer#restoreBest(Monitor)}: copied only when an epoch strictly improves on the best,
 * so a run costs one parameter copy per improving epoch.
 */
final class BestParameters {

    private final Monitor monitor;
    private int epoch;
    private double value = Double.NaN;
    private double[] parameters;

    BestParameters(Monitor monitor) {
        this.monitor = monitor;
    }

    /** Looks at the history's latest epoch; if its loss is the lowest so far, copies the network's parameters. */
    void consider(TrainingHistory history, Model model) {
        int latest = history.epochs();
        double v = monitor.value(history, latest);
        if (!Double.isNaN(v) && (epoch == 0 || v < value)) {
            epoch = latest;
            value = v;
            parameters = model.parameters();
        }
    }

    /** Takes over a checkpoint's best. */
    void restore(int epoch, double value, double[] parameters) {
        this.epoch = epoch;
        this.value = value;
        this.parameters = parameters.clone();
    }

    Monitor monitor() {
        return monitor;
    }

    /** The best epoch so far, or 0 if no epoch had a loss to compare. */
    int epoch() {
        return epoch;
    }

    double value() {
        return value;
    }

    /** The best epoch's parameters (not a copy). */
    double[] parameters() {
        return parameters;
    }
}
