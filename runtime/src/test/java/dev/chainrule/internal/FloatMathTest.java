package dev.chainrule.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class FloatMathTest {

    /** Every 61st bit pattern: a prime stride, so the low significand bits vary across the sweep. */
    private static final int STRIDE = 61;

    /** Measured in units in the last place of the exact result's float neighbourhood. */
    private record Worst(double ulps, float at, long checked, long sameAsMath) {}

    private interface FloatFunction {
        float apply(float x);
    }

    private static Worst sweep(float from, float to, FloatFunction function, DoubleUnaryOperator exact) {
        double worst = 0;
        float worstAt = Float.NaN;
        long checked = 0;
        long same = 0;
        for (float x = from; x <= to; x = next(x)) {
            double want = exact.applyAsDouble(x);
            float got = function.apply(x);
            double ulps = Math.abs(got - want) / Math.ulp((float) want);
            if (ulps > worst) {
                worst = ulps;
                worstAt = x;
            }
            if (got == (float) want) {
                same++;
            }
            checked++;
        }
        return new Worst(worst, worstAt, checked, same);
    }

    /** The float {@value #STRIDE} bit patterns above x in value. */
    private static float next(float x) {
        int bits = Float.floatToRawIntBits(x);
        if (x < 0) {
            int magnitude = (bits & 0x7FFFFFFF) - STRIDE; // towards zero
            return magnitude <= 0 ? 0f : -Float.intBitsToFloat(magnitude);
        }
        return Float.intBitsToFloat(bits + STRIDE);
    }

    @Test
    void expIsWithinOneUlpOverItsFastRange() {
        Worst worst = sweep(-87f, 88f, FloatMath::exp, Math::exp);
        assertTrue(worst.checked() > 30_000_000, "checked " + worst.checked());
        assertTrue(worst.ulps() < 1.0, "exp is " + worst.ulps() + " ulp off at " + worst.at());
        assertTrue(worst.sameAsMath() > 0.9 * worst.checked(),
                worst.sameAsMath() + " of " + worst.checked() + " equal (float) Math.exp");
    }

    @Test
    void exactPointsAreExact() {
        assertEquals(1f, FloatMath.exp(0f));
        assertEquals(1f, FloatMath.exp(-0f));
    }

    @Test
    void outsideTheFastRangeTheyAreMathsResults() {
        float[] expArguments = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 88.0001f, 88.72283f,
            88.7229f, 100f, Float.MAX_VALUE, -87.0001f, -100f, -103.9f, -104f, -200f, -Float.MAX_VALUE};
        for (float x : expArguments) {
            assertEquals((float) Math.exp(x), FloatMath.exp(x), "exp(" + x + ")");
        }
    }

    @Test
    void expAtTheEdgesOfItsFastRangeIsFiniteAndClose() {
        for (float x : new float[] {-87f, 88f, Math.nextUp(-87f), Math.nextDown(88f)}) {
            float got = FloatMath.exp(x);
            double want = Math.exp(x);
            assertTrue(Float.isFinite(got) && got > 0, "exp(" + x + ") = " + got);
            assertTrue(Math.abs(got - want) < Math.ulp((float) want), "exp(" + x + ") = " + got + ", exact " + want);
        }
    }
}
