package dev.chainrule.internal;

/**
 * {@code exp} and {@code log} in {@code float}, for the sigmoid and softmax of FLOAT networks.
 *
 * <p>{@code (float) Math.exp(x)} is correct to the last bit of a {@code double}, more than a
 * {@code float} can hold, and HotSpot calls it as a stub that clobbers every vector register: in
 * an unrolled layer every call spills and reloads the sums around it. These are plain arithmetic
 * the JIT inlines and schedules with the rest of the layer. Both are within 1 ulp of the exact
 * result (FloatMathTest measures every 61st float of their fast range), equal the rounded
 * {@code double} result for most arguments, and fall back to {@code Math} outside their fast
 * range, so infinities, NaN, zeros and subnormal results are exactly what {@code Math} gives.
 */
public final class FloatMath {

    private static final float LOG2_E = 1.44269504f;

    /** ln 2 in two parts: the high part has trailing zero bits, so {@code k * LN2_HIGH} is exact. */
    private static final float LN2_HIGH = 0.693145751953125f;

    private static final float LN2_LOW = 1.428606765330187e-6f;

    /** 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer, in the low bits. */
    private static final float ROUNDER = 12582912f;

    /** The bits of {@link #ROUNDER}: subtracted from a rounded sum's bits, they leave the integer. */
    private static final int ROUNDER_BITS = 0x4B400000;

    /** 1/n! for the Taylor polynomial of e^r, highest degree first. */
    private static final float INV_7_FACTORIAL = 1f / 5040;
    private static final float INV_6_FACTORIAL = 1f / 720;
    private static final float INV_5_FACTORIAL = 1f / 120;
    private static final float INV_4_FACTORIAL = 1f / 24;
    private static final float INV_3_FACTORIAL = 1f / 6;

    /** The bits of a float's significand, and of the exponent field. */
    private static final int SIGNIFICAND_MASK = 0x007FFFFF;
    private static final int EXPONENT_ONE = 0x3F800000;
    private static final int EXPONENT_BIAS = 127;

    /** The bits of sqrt(2) with exponent 0: significands above it are halved, so m lies in [sqrt(1/2), sqrt(2)). */
    private static final int SQRT_2_BITS = 0x3FB504F3;

    private FloatMath() {}

    /**
     * e^x, within 1 ulp. For -87 &lt;= x &lt;= 88 (results from about 1.6e-38 to 1.7e38, all
     * normal floats): x = k ln 2 + r with k = round(x / ln 2) and |r| &lt;= ln 2 / 2, then
     * e^x = 2^k e^r with e^r by its Taylor polynomial of degree 7 (the first term left out is
     * below 2^-27 of the result). Elsewhere {@code (float) Math.exp(x)}.
     */
    public static float exp(float x) {
        if (!(x >= -87f && x <= 88f)) {
            return (float) Math.exp(x); // overflow, underflow to subnormals or zero, NaN
        }
        float rounded = Math.fma(x, LOG2_E, ROUNDER);
        int k = Float.floatToRawIntBits(rounded) - ROUNDER_BITS;
        float kf = rounded - ROUNDER;
        float r = Math.fma(kf, -LN2_HIGH, x);
        r = Math.fma(kf, -LN2_LOW, r);
        float p = INV_7_FACTORIAL;
        p = Math.fma(p, r, INV_6_FACTORIAL);
        p = Math.fma(p, r, INV_5_FACTORIAL);
        p = Math.fma(p, r, INV_4_FACTORIAL);
        p = Math.fma(p, r, INV_3_FACTORIAL);
        p = Math.fma(p, r, 0.5f);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        // 2^k as a float: k + 127 in the exponent field, 1 <= k + 127 <= 254 in this range
        return p * Float.intBitsToFloat((k + EXPONENT_BIAS) << 23);
    }

    /**
     * The natural logarithm, within 1 ulp. For normal positive finite x: x = 2^e m with
     * sqrt(1/2) &lt;= m &lt; sqrt(2), f = m - 1, s = f / (2 + f), so that
     * log(1 + f) = 2 atanh(s) = 2s + 2s^3/3 + 2s^5/5 + ...; written as
     * f - (f^2/2 - s (f^2/2 + R)) with R = 2s^2/3 + 2s^4/5 + 2s^6/7 + 2s^8/9, which keeps the
     * exact f as the leading term (|s| &lt;= 0.1716, the next term is below 2^-27 of the result);
     * then log x = e ln 2 + log(1 + f). Elsewhere (zero, negative, subnormal, infinite, NaN)
     * {@code (float) Math.log(x)}.
     */
    public static float log(float x) {
        if (!(x >= Float.MIN_NORMAL && x < Float.POSITIVE_INFINITY)) {
            return (float) Math.log(x);
        }
        int bits = Float.floatToRawIntBits(x);
        int e = (bits >>> 23) - EXPONENT_BIAS;
        int significand = (bits & SIGNIFICAND_MASK) | EXPONENT_ONE;
        if (significand > SQRT_2_BITS) {
            significand -= 1 << 23; // m / 2, one more power of two
            e++;
        }
        float f = Float.intBitsToFloat(significand) - 1f;
        float s = f / (2f + f);
        float z = s * s;
        float r = 2f / 9;
        r = Math.fma(r, z, 2f / 7);
        r = Math.fma(r, z, 2f / 5);
        r = Math.fma(r, z, 2f / 3);
        r *= z;
        float halfSquare = 0.5f * f * f;
        float log1p = f - (halfSquare - s * (halfSquare + r));
        float ef = e;
        return Math.fma(ef, LN2_HIGH, Math.fma(ef, LN2_LOW, log1p));
    }
}
