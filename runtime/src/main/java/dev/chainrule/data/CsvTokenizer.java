package dev.chainrule.data;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.util.Arrays;

/**
 * Splits CSV text into records of fields (RFC 4180, see {@link CsvOption}), tracking the line on
 * which each field starts. Fields stay in one reused {@code char[]}, so numeric columns are
 * parsed without creating a {@code String} per value: reading MNIST's 47 million fields is
 * dominated by the decimal conversion, not by garbage.
 */
final class CsvTokenizer {

    private static final int EOF = -1;

    private final Reader in;
    private final String source;
    private final char delimiter;
    private final char[] buffer = new char[1 << 16];
    private int position;
    private int limit;
    private boolean atStart = true;
    private long line = 1;

    /** The current record: field {@code i} is {@code text[start[i] .. end[i])}. */
    private char[] text = new char[256];
    private int length;
    private int[] start = new int[16];
    private int[] end = new int[16];
    private long[] fieldLine = new long[16];
    private int fields;
    private long recordLine;

    CsvTokenizer(Reader in, String source, char delimiter) {
        this.in = in;
        this.source = source;
        this.delimiter = delimiter;
    }

    /** The number of fields of the current record. */
    int fieldCount() {
        return fields;
    }

    /** The line on which the current record starts. */
    long recordLine() {
        return recordLine;
    }

    /** The line on which field {@code i} of the current record starts. */
    long line(int i) {
        return fieldLine[i];
    }

    /** The text of field {@code i}, unquoted and trimmed. */
    String text(int i) {
        return new String(text, start[i], end[i] - start[i]);
    }

    /** Whether field {@code i} is empty. */
    boolean isEmpty(int i) {
        return end[i] == start[i];
    }

    /** Field {@code i} as a number, or NaN if it is not a valid decimal number (see {@link #parse}). */
    double number(int i) {
        return parse(text, start[i], end[i]);
    }

    /**
     * Reads the next record, skipping blank lines.
     *
     * @return false at the end of the input
     */
    boolean next() throws IOException {
        while (true) {
            int c = peek();
            if (c == EOF) {
                return false;
            }
            if (!readRecord()) {
                continue; // a blank line
            }
            return true;
        }
    }

    /** Reads one line's record; false if the line was blank. */
    private boolean readRecord() throws IOException {
        recordLine = line;
        fields = 0;
        length = 0;
        boolean blank = true;
        while (true) {
            skipSpaces();
            addField();
            int c = peek();
            if (c == '"') {
                blank = false;
                readQuoted();
            } else {
                readUnquoted();
                if (end[fields - 1] > start[fields - 1]) {
                    blank = false;
                }
            }
            c = peek();
            if (c == delimiter) {
                blank = false;
                read();
                continue;
            }
            endOfLine();
            return !blank;
        }
    }

    private void addField() {
        if (fields == start.length) {
            start = Arrays.copyOf(start, fields * 2);
            end = Arrays.copyOf(end, fields * 2);
            fieldLine = Arrays.copyOf(fieldLine, fields * 2);
        }
        start[fields] = length;
        end[fields] = length;
        fieldLine[fields] = line;
        fields++;
    }

    /** Scans the buffer directly and copies whole spans: this loop is where a large file's time goes. */
    private void readUnquoted() throws IOException {
        int f = fields - 1;
        char d = delimiter;
        while (position < limit || fill()) {
            char[] b = buffer;
            int p = position;
            int lim = limit;
            while (p < lim) {
                char c = b[p];
                if (c == d || c == '\n' || c == '\r' || c == '"') {
                    break;
                }
                p++;
            }
            appendRange(b, position, p - position);
            position = p;
            if (p < lim) {
                if (b[p] == '"') {
                    throw new CsvFormatException(source, line, f + 1, null, "a quote inside an unquoted field;"
                            + " quote the whole field and double the quotes inside it");
                }
                break;
            }
        }
        int e = length;
        while (e > start[f] && (text[e - 1] == ' ' || text[e - 1] == '\t')) {
            e--;
        }
        end[f] = e;
        length = e;
    }

    private void appendRange(char[] from, int offset, int count) {
        if (length + count > text.length) {
            text = Arrays.copyOf(text, Math.max(text.length * 2, length + count));
        }
        System.arraycopy(from, offset, text, length, count);
        length += count;
    }

    private void readQuoted() throws IOException {
        int f = fields - 1;
        long opened = line;
        read(); // the opening quote
        while (true) {
            int c = read();
            if (c == EOF) {
                throw new CsvFormatException(source, opened, f + 1, null,
                        "the quote that opens this field is never closed");
            }
            if (c == '"') {
                if (peek() == '"') {
                    read();
                    append('"');
                    continue;
                }
                break;
            }
            if (c == '\n') {
                line++;
            } else if (c == '\r') {
                if (peek() == '\n') {
                    read();
                    append('\r');
                    c = '\n';
                }
                line++;
            }
            append((char) c);
        }
        end[f] = length;
        skipSpaces();
        int c = peek();
        if (c != EOF && c != '\n' && c != '\r' && c != delimiter) {
            throw new CsvFormatException(source, line, f + 1, null, "expected a delimiter or the end of the line"
                    + " after the closing quote, found '" + (char) c + "'");
        }
    }

    private void skipSpaces() throws IOException {
        while (true) {
            int c = peek();
            if ((c == ' ' || c == '\t') && c != delimiter) {
                read();
            } else {
                return;
            }
        }
    }

    private void endOfLine() throws IOException {
        int c = read();
        if (c == '\r') {
            if (peek() == '\n') {
                read();
            }
            line++;
        } else if (c == '\n') {
            line++;
        }
    }

    private void append(char c) {
        if (length == text.length) {
            text = Arrays.copyOf(text, length * 2);
        }
        text[length++] = c;
    }

    private int peek() throws IOException {
        if (position == limit && !fill()) {
            return EOF;
        }
        return buffer[position];
    }

    private int read() throws IOException {
        if (position == limit && !fill()) {
            return EOF;
        }
        return buffer[position++];
    }

    private boolean fill() throws IOException {
        int n;
        try {
            n = in.read(buffer, 0, buffer.length);
            while (n == 0) {
                n = in.read(buffer, 0, buffer.length);
            }
        } catch (CharacterCodingException e) {
            throw new CsvFormatException(source, line, 0, null,
                    "bytes that are not valid text in the file's character set (UTF-8 unless CsvOption.charset says"
                            + " otherwise)");
        }
        if (n < 0) {
            limit = position = 0;
            return false;
        }
        position = 0;
        limit = n;
        if (atStart) {
            atStart = false;
            if (buffer[0] == '\uFEFF') {
                position = 1; // a byte-order mark
                return position < limit || fill();
            }
        }
        return true;
    }

    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22
    };

    /**
     * Parses {@code [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?} exactly as
     * {@link Double#parseDouble} would (correctly rounded), or returns NaN if the text is not of
     * that form. Short numbers take Clinger's fast path: a mantissa of at most 15 digits is exact
     * in a double, as is {@code 10^k} for {@code k <= 22}, so one correctly rounded division or
     * multiplication gives the correctly rounded result; anything longer goes to
     * {@code Double.parseDouble}. A result too large for a double comes back infinite.
     */
    static double parse(char[] s, int from, int to) {
        int i = from;
        if (i == to) {
            return Double.NaN;
        }
        boolean negative = false;
        if (s[i] == '+' || s[i] == '-') {
            negative = s[i] == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int significant = 0;
        int fractionDigits = 0;
        boolean any = false;
        while (i < to && s[i] >= '0' && s[i] <= '9') {
            any = true;
            if (significant > 0 || s[i] != '0') {
                significant++;
            }
            if (significant <= 18) {
                mantissa = mantissa * 10 + (s[i] - '0');
            }
            digits++;
            i++;
        }
        if (i < to && s[i] == '.') {
            i++;
            while (i < to && s[i] >= '0' && s[i] <= '9') {
                any = true;
                if (significant > 0 || s[i] != '0') {
                    significant++;
                }
                if (significant <= 18) {
                    mantissa = mantissa * 10 + (s[i] - '0');
                }
                digits++;
                fractionDigits++;
                i++;
            }
        }
        if (!any) {
            return Double.NaN;
        }
        int exponent = 0;
        boolean hasExponent = false;
        if (i < to && (s[i] == 'e' || s[i] == 'E')) {
            hasExponent = true;
            i++;
            boolean negativeExponent = false;
            if (i < to && (s[i] == '+' || s[i] == '-')) {
                negativeExponent = s[i] == '-';
                i++;
            }
            int expStart = i;
            while (i < to && s[i] >= '0' && s[i] <= '9') {
                if (exponent < 100_000) {
                    exponent = exponent * 10 + (s[i] - '0');
                }
                i++;
            }
            if (i == expStart) {
                return Double.NaN;
            }
            if (negativeExponent) {
                exponent = -exponent;
            }
        }
        if (i != to) {
            return Double.NaN;
        }
        if (significant <= 15 && fractionDigits <= 22 && !hasExponent) {
            double m = mantissa;
            double v = fractionDigits == 0 ? m : m / POWERS_OF_TEN[fractionDigits];
            return negative ? -v : v;
        }
        if (significant <= 15 && hasExponent) {
            int e = exponent - fractionDigits;
            double m = mantissa;
            if (e >= 0 && e <= 22) {
                double v = m * POWERS_OF_TEN[e];
                return negative ? -v : v;
            }
            if (e < 0 && e >= -22) {
                double v = m / POWERS_OF_TEN[-e];
                return negative ? -v : v;
            }
        }
        return Double.parseDouble(new String(s, from, to - from));
    }
}
