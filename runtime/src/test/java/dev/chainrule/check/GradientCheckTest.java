package dev.chainrule.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Precision;
import dev.chainrule.testing.LinearModel;
import dev.chainrule.testing.LinearModel.Bug;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GradientCheckTest {

    private static double[][] random(int rows, int cols, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] a = new double[rows][cols];
        for (double[] row : a) {
            for (int j = 0; j < cols; j++) {
                row[j] = random.nextDouble(-1, 1);
            }
        }
        return a;
    }

    private static final double[][] X = random(5, 3, 1L);
    private static final double[][] Y = random(5, 2, 2L);

    @Test
    void correctDoubleGradientPasses() {
        LinearModel model = new LinearModel(3, 2, Precision.DOUBLE, 3L);
        double error = GradientCheck.maxRelativeError(model, X, Y);
        assertTrue(error < 1e-6, "error " + error);
        assertTrue(model.doubleLoads == 5 && model.floatLoads == 0, "rows go through the double overload");
    }

    @Test
    void wrongGradientIsCaughtAndLocated() {
        LinearModel model = new LinearModel(3, 2, Precision.DOUBLE, Bug.HALF_BIAS_GRADIENT, 3L);
        GradientCheck.Report report = GradientCheck.check(model, X, Y);
        assertTrue(report.maxRelativeError() > 0.1, report.toString());
        assertTrue(report.worstParameter() >= 6, "the bias gradients start at 6: " + report);
        assertEquals(report.numeric() / 2, report.analytic(), 1e-6 * Math.abs(report.numeric()), report.toString());
        assertEquals(1.0 / 3, report.maxRelativeError(), 1e-6, "|a - 2a| / (|a| + |2a|)");
        assertEquals(GradientCheck.DOUBLE_STEP, report.h());
        assertEquals(report.maxRelativeError(), GradientCheck.maxRelativeError(model, X, Y));
    }

    @Test
    void floatNetworksPassTheLooserBound() {
        LinearModel model = new LinearModel(3, 2, Precision.FLOAT, 3L);
        GradientCheck.Report report = GradientCheck.check(model, X, Y);
        assertEquals(GradientCheck.FLOAT_STEP, report.h());
        assertTrue(report.maxRelativeError() < 1e-2, report.toString());
        LinearModel buggy = new LinearModel(3, 2, Precision.FLOAT, Bug.HALF_BIAS_GRADIENT, 3L);
        assertTrue(GradientCheck.maxRelativeError(buggy, X, Y) > 0.1);
    }

    @Test
    void explicitStepIsUsed() {
        LinearModel model = new LinearModel(3, 2, Precision.DOUBLE, 3L);
        // the loss is quadratic in the parameters, so central differences are exact up to rounding
        // for any step; a huge step only shows that h is honoured through the report
        GradientCheck.Report report = GradientCheck.check(model, X, Y, 0.5);
        assertEquals(0.5, report.h());
        assertTrue(report.maxRelativeError() < 1e-9, report.toString());
        assertTrue(GradientCheck.maxRelativeError(model, X, Y, 1e-4) < 1e-6);
    }

    @Test
    void restoresTheParameters() {
        LinearModel model = new LinearModel(3, 2, Precision.DOUBLE, 3L);
        double[] before = model.parameters();
        GradientCheck.maxRelativeError(model, X, Y);
        assertArrayEquals(before, model.parameters());
    }

    @Test
    void restoresTheParametersWhenTheLossThrows() {
        LinearModel model = new LinearModel(3, 2, Precision.DOUBLE, 3L);
        double[] before = model.parameters();
        model.lossCallsBeforeFailure = 6; // the analytic pass, then a few perturbed losses
        assertThrows(IllegalStateException.class, () -> GradientCheck.maxRelativeError(model, X, Y));
        assertArrayEquals(before, model.parameters());
    }

    @Test
    void rejectsABatchThatDoesNotFitTheNetwork() {
        LinearModel model = new LinearModel(3, 2, Precision.DOUBLE, 3L);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradientCheck.maxRelativeError(model, random(4, 2, 1L), random(4, 2, 2L)));
        assertTrue(e.getMessage().contains("x has 2 columns"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> GradientCheck.maxRelativeError(model, random(4, 3, 1L), random(3, 2, 2L)));
        assertThrows(IllegalArgumentException.class, () -> GradientCheck.maxRelativeError(model, X, Y, 0.0));
        assertThrows(IllegalArgumentException.class, () -> GradientCheck.maxRelativeError(model, X, Y, Double.NaN));
        LinearModel floatModel = new LinearModel(3, 2, Precision.FLOAT, 3L);
        double[] before = floatModel.parameters();
        IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class,
                () -> GradientCheck.maxRelativeError(floatModel, X, Y, 1e-12));
        assertTrue(tooSmall.getMessage().contains("too small"), tooSmall.getMessage());
        assertArrayEquals(before, floatModel.parameters());
    }

    @Test
    void errorMeasure() {
        assertEquals(0.1 / 2.1, GradientCheck.relativeError(1.0, 1.1), 1e-15);
        assertEquals(0.0, GradientCheck.relativeError(0.0, 0.0));
        assertEquals(1e-3, GradientCheck.relativeError(1e-10, 0.0), 1e-15);
        assertEquals(1.0, GradientCheck.relativeError(-2.0, 2.0));
        assertEquals(1e-2, GradientCheck.defaultStep(Precision.FLOAT));
        assertEquals(1e-2, GradientCheck.defaultStep(Precision.DOUBLE));
    }
}
