package dev.chainrule.metrics;

/**
 * A number that says how well a network does, beside its loss. Which ones an evaluation measures
 * depends on its {@link Task}. All are means over the samples, and for several outputs over the
 * outputs too, as Keras and scikit-learn define them.
 */
public enum Metric {
    /** The fraction of right decisions, 0 to 1; see {@link Task} for what a decision is. */
    ACCURACY("accuracy", true),
    /** The mean over every output of every sample of {@code |ŷ - y|}. */
    MEAN_ABSOLUTE_ERROR("mae", false),
    /**
     * The square root of the mean over every output of every sample of {@code (ŷ - y)²} (Keras's
     * {@code RootMeanSquaredError}; for a network trained on mean squared error, the square root
     * of its loss).
     */
    ROOT_MEAN_SQUARED_ERROR("rmse", false),
    /**
     * The coefficient of determination {@code 1 - Σ(y - ŷ)² / Σ(y - ȳ)²} of each output, averaged
     * over the outputs (scikit-learn's {@code r2_score}, uniform average): 1 is perfect, 0 is no
     * better than predicting the mean, and it can be negative. An output whose targets are all
     * equal counts 1 if it is predicted exactly and 0 otherwise, as scikit-learn does.
     */
    R_SQUARED("r2", true);

    private final String key;
    private final boolean higherIsBetter;

    Metric(String key, boolean higherIsBetter) {
        this.key = key;
        this.higherIsBetter = higherIsBetter;
    }

    /**
     * The short name progress lines and checkpoints use: {@code accuracy}, {@code mae},
     * {@code rmse}, {@code r2}; a validation value is reported as {@code val_} and this name.
     */
    public String key() {
        return key;
    }

    /** Whether a larger value is better (accuracy, R²) or a smaller one (the errors). */
    public boolean higherIsBetter() {
        return higherIsBetter;
    }
}
