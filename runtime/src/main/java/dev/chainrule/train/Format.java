package dev.chainrule.train;

import java.time.Duration;
import java.util.Locale;

/** Number formatting shared by messages and progress lines, independent of the default locale. */
final class Format {

    private Format() {}

    /** Six significant digits without trailing zeros: {@code 0.00981}, {@code 0.01}, {@code 1.5e-07}. */
    static String number(double value) {
        if (!Double.isFinite(value) || value == 0.0) {
            return Double.toString(value);
        }
        String s = String.format(Locale.ROOT, "%.6g", value);
        int e = s.indexOf('e');
        String mantissa = e < 0 ? s : s.substring(0, e);
        String exponent = e < 0 ? "" : s.substring(e);
        if (mantissa.indexOf('.') >= 0) {
            int end = mantissa.length();
            while (mantissa.charAt(end - 1) == '0') {
                end--;
            }
            if (mantissa.charAt(end - 1) == '.') {
                end--;
            }
            mantissa = mantissa.substring(0, end);
        }
        return mantissa + exponent;
    }

    /** Seconds with one decimal: {@code 0.8 s}. */
    static String seconds(Duration elapsed) {
        return String.format(Locale.ROOT, "%.1f s", elapsed.toNanos() / 1e9);
    }
}
