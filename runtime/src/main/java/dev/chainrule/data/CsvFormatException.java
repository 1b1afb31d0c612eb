package dev.chainrule.data;

import java.io.IOException;

/**
 * A CSV file that does not say what {@link Dataset#fromCsv} was told to expect. The message and
 * the getters name the file, the line and the column (both counted from 1, as an editor shows
 * them) and what was found, so the user can go straight to the problem.
 *
 * <p>It is an {@link IOException} because the file, not the program, is wrong: callers that
 * already handle failing reads handle this too.
 */
public final class CsvFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The file or source name. */
    private final String source;
    /** The line, counted from 1. */
    private final long line;
    /** The column, counted from 1, or 0 for the whole line. */
    private final int column;
    /** What is wrong, without the position. */
    private final String problem;

    /**
     * @param source the file name (or the name given to {@link Dataset#fromCsv(java.io.Reader,
     *     String, CsvOption...)})
     * @param line the line, counted from 1
     * @param column the column, counted from 1, or 0 when the problem concerns the whole line
     * @param columnName the column's header name, or {@code null} if it has none
     * @param problem what is wrong, without the position
     */
    CsvFormatException(String source, long line, int column, String columnName, String problem) {
        super(position(source, line, column, columnName) + ": " + problem);
        this.source = source;
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    private static String position(String source, long line, int column, String columnName) {
        StringBuilder s = new StringBuilder(source).append(", line ").append(line);
        if (column > 0) {
            s.append(", column ").append(column);
            if (columnName != null) {
                s.append(" (").append(columnName).append(')');
            }
        }
        return s.toString();
    }

    /** The file (or source name) that failed to parse. */
    public String source() {
        return source;
    }

    /** The line of the problem, counted from 1 (the header, if any, is line 1). */
    public long line() {
        return line;
    }

    /** The column of the problem, counted from 1, or 0 when it concerns the whole line. */
    public int column() {
        return column;
    }

    /** What is wrong, without the position: the message minus its prefix. */
    public String problem() {
        return problem;
    }
}
