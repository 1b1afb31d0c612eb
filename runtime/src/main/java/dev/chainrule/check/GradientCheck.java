package dev.chainrule.check;

import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import dev.chainrule.data.Dataset;
import java.util.Objects;

/**
 * Compares a network's analytic gradient (its generated backward pass) with a numeric one
 * computed by central differences of its loss, parameter by parameter.
 *
 * <p>For the batch {@code (x, y)}, the analytic gradient is that of the mean loss, from
 * {@link TrainingStep#computeGradients(int)}. The numeric gradient of parameter {@code i} is
 * Ridders' extrapolation of central differences in DOUBLE (starting at {@code h} and shrinking
 * it, which reaches nearly the precision of the loss itself), and the plain central difference
 * {@code (L(θ + h·eᵢ) - L(θ - h·eᵢ)) / (2h)} in FLOAT, where the perturbed values are rounded to
 * float and the difference uses the values actually stored. The error of each parameter is
 * {@code |a - b| / max(|a| + |b|, 1e-7)}, so it is relative where gradients are large and
 * absolute (scaled by 1e8) where both are nearly zero.
 *
 * <p><b>Expected error.</b> A correct backward pass on a DOUBLE network gives errors below 1e-6,
 * also for gradients near 1e-6. In FLOAT the loss is only accurate to about 1e-7 relative, so
 * {@code h = 1e-2} must be large against float rounding and small gradients cannot be resolved;
 * judge a FLOAT network by {@link Report#maxScaledError()} (the largest difference relative to
 * the largest gradient), which stays below about 1e-2. A wrong formula shows as an error near 1.
 * A kink (ReLU at exactly 0) inside the step can spoil single parameters of either precision.
 *
 * <p>The check uses {@link Model#setParameters(double[])} on the network itself and restores
 * the original parameters before returning, also when it throws. It relies on a
 * {@link TrainingStep} seeing the parameters of the model that created it as they are when it
 * runs, as generated steps do.
 */
public final class GradientCheck {

    /** The first step of the extrapolation for DOUBLE networks. */
    public static final double DOUBLE_STEP = 1e-2;

    /** The finite-difference step for FLOAT networks, large against float rounding. */
    public static final double FLOAT_STEP = 1e-2;

    private GradientCheck() {}

    /**
     * The largest relative error over all parameters, with the step that suits the network's
     * precision.
     *
     * @throws IllegalArgumentException if {@code x} and {@code y} are not a valid batch for the
     *     network (see {@link Dataset#of}, plus widths equal to the network's input and output size)
     */
    public static double maxRelativeError(Model model, double[][] x, double[][] y) {
        return check(model, x, y).maxRelativeError();
    }

    /** As {@link #maxRelativeError(Model, double[][], double[][])} with the step {@code h}. */
    public static double maxRelativeError(Model model, double[][] x, double[][] y, double h) {
        return check(model, x, y, h).maxRelativeError();
    }

    /** The full comparison with the default step for the network's precision, to see where a gradient is wrong. */
    public static Report check(Model model, double[][] x, double[][] y) {
        Objects.requireNonNull(model, "model is null");
        return check(model, x, y, defaultStep(model));
    }

    /**
     * The full comparison with the step {@code h}.
     *
     * @throws IllegalArgumentException if {@code h} is not finite and positive or too small to
     *     change a parameter in the network's precision, or the batch is invalid
     */
    public static Report check(Model model, double[][] x, double[][] y, double h) {
        Objects.requireNonNull(model, "model is null");
        if (!(h > 0.0 && Double.isFinite(h))) {
            throw new IllegalArgumentException("h is " + h + ", must be finite and positive");
        }
        Dataset batch = Dataset.of(x, y);
        if (batch.featureCount() != model.inputSize() || batch.targetCount() != model.outputSize()) {
            throw new IllegalArgumentException("x has " + batch.featureCount() + " columns and y has "
                    + batch.targetCount() + ", but the network takes " + model.inputSize()
                    + " inputs and gives " + model.outputSize() + " outputs");
        }
        int n = batch.size();
        TrainingStep step = model.newTrainingStep(n);
        for (int row = 0; row < n; row++) {
            batch.loadInto(step, row, row, Precision.DOUBLE);
        }
        boolean isFloat = model.precision() == Precision.FLOAT;
        double[] original = model.parameters();
        int count = original.length;
        double[] analytic = new double[count];
        step.computeGradients(n);
        step.gradients(analytic);

        double[] theta = original.clone();
        double worstError = 0.0;
        double largestAnalytic = 0.0;
        double largestDifference = 0.0;
        int worst = count == 0 ? -1 : 0;
        double worstNumeric = count == 0 ? Double.NaN : 0.0;
        try {
            for (int i = 0; i < count; i++) {
                double plus = round(original[i] + h, isFloat);
                double minus = round(original[i] - h, isFloat);
                if (plus == minus) {
                    throw new IllegalArgumentException("h " + h + " is too small to move parameter " + i
                            + " (" + original[i] + ") in " + model.precision() + " precision");
                }
                double numeric;
                if (isFloat) {
                    double lossPlus = lossAt(model, step, n, theta, i, plus);
                    double lossMinus = lossAt(model, step, n, theta, i, minus);
                    // Float-rounded steps are not symmetric: divide by the distance really moved.
                    numeric = (lossPlus - lossMinus) / (plus - minus);
                } else {
                    final int parameter = i;
                    numeric = bestOfSteps(v -> lossAt(model, step, n, theta, parameter, v), original[i], h);
                }
                theta[i] = original[i];
                double error = relativeError(analytic[i], numeric);
                largestAnalytic = Math.max(largestAnalytic, Math.abs(analytic[i]));
                largestDifference = Math.max(largestDifference, Math.abs(analytic[i] - numeric));
                if (i == 0 || isWorse(error, worstError)) {
                    worstError = error;
                    worst = i;
                    worstNumeric = numeric;
                }
            }
        } finally {
            model.setParameters(original);
        }
        double scaledError = largestDifference / Math.max(largestAnalytic, 1e-8);
        return new Report(worstError, worst, count == 0 ? Double.NaN : analytic[worst], worstNumeric, h, scaledError);
    }

    /**
     * Ridders' method: central differences at steps h, h/1.4, h/1.4^2, ... extrapolated to a zero
     * step (Richardson), keeping the estimate whose extrapolation error is smallest. It reaches a
     * derivative close to the precision of the loss itself, which a single difference cannot: with
     * a plain central difference, gradients near 1e-6 carry relative errors near 1e-5.
     */
    /**
     * Runs {@link #ridders} from {@code h}, {@code h/10} and {@code h/100} and keeps the estimate
     * with the smallest error estimate. On smooth losses the largest start wins, because large
     * steps carry the least rounding. A start that carries a pre-activation across a ReLU kink
     * gives inconsistent differences and a large error estimate, so a smaller start takes over.
     */
    static double bestOfSteps(java.util.function.DoubleUnaryOperator f, double x, double h) {
        double[] best = null;
        for (double start = h; start >= h * 1e-2; start /= 10) {
            double[] candidate = ridders(f, x, start);
            if (best == null || candidate[1] < best[1]) {
                best = candidate;
            }
            if (best[1] <= 1e-14 + 1e-10 * Math.abs(best[0])) {
                break; // already far below what the check can resolve: smaller starts cannot do better
            }
        }
        return best[0];
    }

    /** Returns the derivative and the estimate of its error. */
    static double[] ridders(java.util.function.DoubleUnaryOperator f, double x, double h) {
        final int rows = 10;
        final double shrink = 1.4;
        final double shrink2 = shrink * shrink;
        double[][] table = new double[rows][rows];
        double step = h;
        // Each difference carries rounding of about (a few ulps of the loss) / step: an error
        // estimate is never taken as smaller than that, or equal, quantised losses at tiny steps
        // would look like a perfect estimate.
        double lossScale = Math.max(1.0, Math.abs(f.applyAsDouble(x)));
        table[0][0] = (f.applyAsDouble(x + step) - f.applyAsDouble(x - step)) / (2 * step);
        double best = table[0][0];
        double bestError = Double.MAX_VALUE;
        for (int i = 1; i < rows; i++) {
            step /= shrink;
            table[0][i] = (f.applyAsDouble(x + step) - f.applyAsDouble(x - step)) / (2 * step);
            double factor = shrink2;
            for (int j = 1; j <= i; j++) {
                table[j][i] = (table[j - 1][i] * factor - table[j - 1][i - 1]) / (factor - 1);
                factor *= shrink2;
                double error = Math.max(Math.max(Math.abs(table[j][i] - table[j - 1][i]),
                        Math.abs(table[j][i] - table[j - 1][i - 1])), 1e-15 * lossScale / step);
                if (error <= bestError) {
                    bestError = error;
                    best = table[j][i];
                }
            }
            // Once the highest-order estimate gets worse, rounding has taken over: stop.
            if (Math.abs(table[i][i] - table[i - 1][i - 1]) >= 2 * bestError) {
                break;
            }
        }
        return new double[] {best, bestError};
    }

    private static double lossAt(Model model, TrainingStep step, int n, double[] theta, int i, double value) {
        theta[i] = value;
        model.setParameters(theta);
        return step.loss(n);
    }

    /** The step for this network: {@link #defaultStep(Precision)}. */
    public static double defaultStep(Model model) {
        return defaultStep(model.precision());
    }

    /** The step used for a network of the given precision: {@link #FLOAT_STEP} or {@link #DOUBLE_STEP}. */
    public static double defaultStep(Precision precision) {
        return precision == Precision.FLOAT ? FLOAT_STEP : DOUBLE_STEP;
    }

    /**
     * Below this, {@code |a| + |b|} no longer scales the error. Differences of a double loss
     * resolve a derivative to about 5e-14 (measured with this check's extrapolation), so a correct
     * gradient of 1e-8 would score 2e-6 against a floor of 1e-8; with 1e-7 every correct gradient
     * scores below 1e-6, and a gradient wrong by more than 1e-13 still shows.
     */
    public static final double ERROR_FLOOR = 1e-7;

    /** The error measure of this check: {@code |a - b| / max(|a| + |b|, ERROR_FLOOR)}. */
    public static double relativeError(double a, double b) {
        return Math.abs(a - b) / Math.max(Math.abs(a) + Math.abs(b), ERROR_FLOOR);
    }

    /** NaN (a non-finite loss) is worse than any number, and the first NaN is kept. */
    private static boolean isWorse(double error, double worst) {
        return !Double.isNaN(worst) && (Double.isNaN(error) || error > worst);
    }

    private static double round(double value, boolean toFloat) {
        return toFloat ? (float) value : value;
    }

    /**
     * The outcome of a check: the largest error and the parameter where it occurred.
     *
     * @param maxRelativeError the largest error over all parameters (0 for a network without
     *     parameters; NaN if a loss was not finite)
     * @param worstParameter the index, in public parameter order, of the parameter with that
     *     error ({@code -1} for a network without parameters)
     * @param analytic the backward pass's gradient for that parameter
     * @param numeric the central-difference gradient for that parameter
     * @param h the finite-difference step used (the first step of the extrapolation in DOUBLE)
     * @param maxScaledError the largest {@code |a - b|} over all parameters divided by the largest
     *     {@code |a|}: the measure for FLOAT networks, whose smallest gradients are below the
     *     resolution of a float loss
     */
    public record Report(double maxRelativeError, int worstParameter, double analytic, double numeric, double h,
            double maxScaledError) {

        /** One line naming the worst parameter and both gradients. */
        @Override
        public String toString() {
            return "GradientCheck.Report(max relative error " + maxRelativeError + " at parameter "
                    + worstParameter + ": analytic " + analytic + ", numeric " + numeric + ", h " + h
                    + "; max difference / largest gradient " + maxScaledError + ")";
        }
    }
}
