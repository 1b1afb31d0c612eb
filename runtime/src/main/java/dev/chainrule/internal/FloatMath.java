package dev.chainrule.internal;

/**
 * {@code exp} in {@code float}, for the sigmoid and softmax of FLOAT networks.
 *
 * <p>{@code (float) Math.exp(x)} is correct to the last bit of a {@code double}, more than a
 * {@code float} can hold, and HotSpot calls it as a stub that clobbers every vector register: in
 * an unrolled layer every call spills and reloads the sums around it. These are plain arithmetic
 * the JIT inlines and schedules with the rest of the layer. It is within 1 ulp of the exact
 * result (FloatMathTest measures every 61st float of its fast range), equals the rounded
 * {@code double} result for most arguments, and falls back to {@code Math} outside its fast
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

    /** The exponent field's bias. */
    private static final int EXPONENT_BIAS = 127;

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
}
