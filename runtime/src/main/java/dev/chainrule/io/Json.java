package dev.chainrule.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough JSON for the safetensors header (the runtime has no dependencies): a strict
 * parser (RFC 8259; duplicate keys and nesting deeper than {@link #MAX_DEPTH} are rejected, so a
 * crafted header cannot blow the stack) and string quoting for the writer.
 *
 * <p>Values come back as {@code Map<String, Object>} (in file order), {@code List<Object>},
 * {@code String}, {@link Number}, {@code Boolean} or {@link #NULL}.
 */
final class Json {

    /** JSON's {@code null}, distinct from a missing key. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    static final int MAX_DEPTH = 64;

    /** A number as written; {@link #longValue()} reads an integer exactly or fails. */
    record Number(String text) {
        /** The value if the text is an integer literal that fits a {@code long}, else null. */
        Long longValue() {
            if (!text.matches("-?[0-9]{1,19}")) {
                return null;
            }
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                return null;
            }
        }

        /** The number as written in the JSON. */
        @Override
        public String toString() {
            return text;
        }
    }

    /** A syntax error and where it is. */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;
        final int offset;

        SyntaxException(String message, int offset) {
            super(message + " at character " + offset);
            this.offset = offset;
        }
    }

    private final String s;
    private int i;

    private Json(String s) {
        this.s = s;
    }

    /** Parses one JSON value that fills {@code text} (surrounding whitespace allowed). */
    static Object parse(String text) throws SyntaxException {
        Json p = new Json(text);
        p.space();
        Object v = p.value(0);
        p.space();
        if (p.i != text.length()) {
            throw new SyntaxException("unexpected " + p.describe() + " after the JSON value", p.i);
        }
        return v;
    }

    private Object value(int depth) throws SyntaxException {
        if (depth > MAX_DEPTH) {
            throw new SyntaxException("nesting deeper than " + MAX_DEPTH + " levels", i);
        }
        if (i >= s.length()) {
            throw new SyntaxException("unexpected end of the header, expected a value", i);
        }
        char c = s.charAt(i);
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", NULL);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw new SyntaxException("unexpected " + describe() + ", expected a value", i);
        }
    }

    private Map<String, Object> object(int depth) throws SyntaxException {
        i++;
        Map<String, Object> map = new LinkedHashMap<>();
        space();
        if (peek() == '}') {
            i++;
            return map;
        }
        while (true) {
            space();
            if (peek() != '"') {
                throw new SyntaxException("unexpected " + describe() + ", expected a key in quotes", i);
            }
            int at = i;
            String key = string();
            space();
            expect(':');
            space();
            Object v = value(depth + 1);
            if (map.containsKey(key)) {
                throw new SyntaxException("duplicate key \"" + key + "\"", at);
            }
            map.put(key, v);
            space();
            char c = peek();
            i++;
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                i--;
                throw new SyntaxException("unexpected " + describe() + ", expected ',' or '}'", i);
            }
        }
    }

    private List<Object> array(int depth) throws SyntaxException {
        i++;
        List<Object> list = new ArrayList<>();
        space();
        if (peek() == ']') {
            i++;
            return Collections.unmodifiableList(list);
        }
        while (true) {
            space();
            list.add(value(depth + 1));
            space();
            char c = peek();
            i++;
            if (c == ']') {
                return Collections.unmodifiableList(list);
            }
            if (c != ',') {
                i--;
                throw new SyntaxException("unexpected " + describe() + ", expected ',' or ']'", i);
            }
        }
    }

    private String string() throws SyntaxException {
        int start = i;
        i++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (i >= s.length()) {
                throw new SyntaxException("unterminated string", start);
            }
            char c = s.charAt(i++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw new SyntaxException("control character " + String.format("U+%04X", (int) c)
                        + " inside a string", i - 1);
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (i >= s.length()) {
                throw new SyntaxException("unterminated string", start);
            }
            char e = s.charAt(i++);
            switch (e) {
                case '"':
                case '\\':
                case '/':
                    out.append(e);
                    break;
                case 'b':
                    out.append('\b');
                    break;
                case 'f':
                    out.append('\f');
                    break;
                case 'n':
                    out.append('\n');
                    break;
                case 'r':
                    out.append('\r');
                    break;
                case 't':
                    out.append('\t');
                    break;
                case 'u':
                    if (i + 4 > s.length()) {
                        throw new SyntaxException("truncated \\u escape", i - 2);
                    }
                    int code = 0;
                    for (int k = 0; k < 4; k++) {
                        int d = Character.digit(s.charAt(i + k), 16);
                        if (d < 0) {
                            throw new SyntaxException("bad \\u escape", i - 2);
                        }
                        code = code * 16 + d;
                    }
                    i += 4;
                    out.append((char) code);
                    break;
                default:
                    throw new SyntaxException("bad escape \\" + e, i - 2);
            }
        }
    }

    private Number number() throws SyntaxException {
        int start = i;
        if (peek() == '-') {
            i++;
        }
        if (peek() == '0') {
            i++;
        } else if (peek() >= '1' && peek() <= '9') {
            while (peek() >= '0' && peek() <= '9') {
                i++;
            }
        } else {
            throw new SyntaxException("malformed number", start);
        }
        if (peek() == '.') {
            i++;
            if (!(peek() >= '0' && peek() <= '9')) {
                throw new SyntaxException("malformed number", start);
            }
            while (peek() >= '0' && peek() <= '9') {
                i++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            i++;
            if (peek() == '+' || peek() == '-') {
                i++;
            }
            if (!(peek() >= '0' && peek() <= '9')) {
                throw new SyntaxException("malformed number", start);
            }
            while (peek() >= '0' && peek() <= '9') {
                i++;
            }
        }
        return new Number(s.substring(start, i));
    }

    private Object literal(String word, Object value) throws SyntaxException {
        if (!s.startsWith(word, i)) {
            throw new SyntaxException("unexpected " + describe() + ", expected a value", i);
        }
        i += word.length();
        return value;
    }

    private void expect(char c) throws SyntaxException {
        if (peek() != c) {
            throw new SyntaxException("unexpected " + describe() + ", expected '" + c + "'", i);
        }
        i++;
    }

    private char peek() {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    private void space() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                i++;
            } else {
                return;
            }
        }
    }

    private String describe() {
        if (i >= s.length()) {
            return "end of the header";
        }
        char c = s.charAt(i);
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("character U+%04X", (int) c);
    }

    /** {@code value} as a JSON string literal, with quotes. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (int k = 0; k < value.length(); k++) {
            char c = value.charAt(k);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append('"').toString();
    }
}
