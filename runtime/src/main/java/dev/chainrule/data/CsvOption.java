package dev.chainrule.data;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One choice about how {@link Dataset#fromCsv} reads a file. Options are passed as a list, in any
 * order, like {@code OpenOption}s to {@code Files.write}:
 *
 * <pre>{@code
 * Dataset.fromCsv(path, CsvOption.classLabel("species"));                 // header, ',' , one-hot
 * Dataset.fromCsv(path, CsvOption.noHeader(), CsvOption.delimiter(';'),
 *         CsvOption.features(0, 1, 2), CsvOption.targets(3));               // regression
 * }</pre>
 *
 * <p>Defaults: the first line is a header; the delimiter is {@code ','}; the text is UTF-8; the
 * features are every column that is not a target, in file order; bad rows are errors. Exactly
 * one target option is required ({@link #classLabel}, {@link #binaryLabel} or
 * {@link #targets}), because a wrong guess (a class id read as a number to regress on) trains
 * the wrong thing quietly. Giving the same kind of option twice is an error.
 *
 * <p>Columns are chosen by header name, or by index counted from 0 (as in Java arrays and
 * pandas). Messages about a file count lines and columns from 1, as an editor does.
 *
 * <p>The format read is RFC 4180 CSV: fields may be quoted with {@code "} (a quote inside is
 * doubled, and a quoted field may hold delimiters and line breaks); spaces and tabs around a
 * field are ignored; lines end with {@code \n}, {@code \r\n} or {@code \r}; blank lines are
 * skipped; a UTF-8 byte-order mark is ignored. Numbers are decimal, optionally signed, with an
 * optional fraction and exponent ({@code -1.5e-3}); {@code NaN}, infinities, hexadecimal and
 * decimal commas are rejected.
 */
public final class CsvOption {

    private final String description;
    private final Consumer<Settings> apply;

    private CsvOption(String description, Consumer<Settings> apply) {
        this.description = description;
        this.apply = apply;
    }

    /** The first non-blank line names the columns; the default. */
    public static CsvOption header() {
        return new CsvOption("header()", s -> s.set("header", s.header != null, () -> s.header = true));
    }

    /** Every line is data; columns can then only be chosen by index. */
    public static CsvOption noHeader() {
        return new CsvOption("noHeader()", s -> s.set("header", s.header != null, () -> s.header = false));
    }

    /**
     * The character between fields; default {@code ','}. Use {@code ';'} for files from locales
     * with decimal commas, {@code '\t'} for TSV.
     *
     * @throws IllegalArgumentException for {@code '"'}, a line break, or a character that is not
     *     a single UTF-16 unit of text (a surrogate)
     */
    public static CsvOption delimiter(char delimiter) {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r' || Character.isSurrogate(delimiter)) {
            throw new IllegalArgumentException("delimiter " + describe(delimiter) + " cannot separate CSV fields");
        }
        return new CsvOption("delimiter(" + describe(delimiter) + ")",
                s -> s.set("delimiter", s.delimiter != null, () -> s.delimiter = delimiter));
    }

    /** The file's character set; default UTF-8. Bytes that are not valid in it are an error. */
    public static CsvOption charset(Charset charset) {
        Objects.requireNonNull(charset, "charset is null");
        return new CsvOption("charset(" + charset + ")",
                s -> s.set("charset", s.charset != null, () -> s.charset = charset));
    }

    /**
     * The feature columns by header name, in the order the network takes them. Columns that are
     * neither features nor targets are ignored (not even parsed), so an id or comment column
     * does no harm.
     */
    public static CsvOption features(String... names) {
        List<Column> columns = Column.named(names, "features");
        return new CsvOption("features(" + String.join(", ", names) + ")",
                s -> s.set("features", s.features != null, () -> s.features = columns));
    }

    /** The feature columns by index, counted from 0, in the order the network takes them. */
    public static CsvOption features(int... indices) {
        List<Column> columns = Column.indexed(indices, "features");
        return new CsvOption("features(" + Arrays.toString(indices) + ")",
                s -> s.set("features", s.features != null, () -> s.features = columns));
    }

    /**
     * The column holding a class label, numeric ({@code 0}, {@code 2}) or text
     * ({@code "setosa"}). Each distinct label becomes a class; the targets are one-hot (one
     * column per class), as categorical cross-entropy with a softmax output expects; the class
     * names are kept ({@link Dataset#classNames()}). Classes are ordered by value when every
     * label is a number (so 2 comes before 10), otherwise by text ({@code String.compareTo}),
     * unless {@link #classes} fixes them.
     */
    public static CsvOption classLabel(String name) {
        Column column = Column.named(new String[] {name}, "classLabel").get(0);
        return target("classLabel(" + name + ")", TargetKind.ONE_HOT, List.of(column));
    }

    /** {@link #classLabel(String)}, with the column chosen by index, counted from 0. */
    public static CsvOption classLabel(int index) {
        Column column = Column.indexed(new int[] {index}, "classLabel").get(0);
        return target("classLabel(" + index + ")", TargetKind.ONE_HOT, List.of(column));
    }

    /**
     * The column holding a label with exactly two classes, as one 0/1 target: what binary
     * cross-entropy with one sigmoid output expects. The first class (in the order
     * {@link #classLabel(String)} describes, or as {@link #classes} fixes it) becomes 0, the
     * second 1; both names are kept.
     */
    public static CsvOption binaryLabel(String name) {
        Column column = Column.named(new String[] {name}, "binaryLabel").get(0);
        return target("binaryLabel(" + name + ")", TargetKind.BINARY, List.of(column));
    }

    /** {@link #binaryLabel(String)}, with the column chosen by index, counted from 0. */
    public static CsvOption binaryLabel(int index) {
        Column column = Column.indexed(new int[] {index}, "binaryLabel").get(0);
        return target("binaryLabel(" + index + ")", TargetKind.BINARY, List.of(column));
    }

    /**
     * Numeric target columns by header name, read as numbers: regression targets, or any
     * targets already encoded.
     */
    public static CsvOption targets(String... names) {
        return target("targets(" + String.join(", ", names) + ")", TargetKind.NUMERIC,
                Column.named(names, "targets"));
    }

    /** Numeric target columns by index, counted from 0. */
    public static CsvOption targets(int... indices) {
        return target("targets(" + Arrays.toString(indices) + ")", TargetKind.NUMERIC,
                Column.indexed(indices, "targets"));
    }

    /**
     * Fixes the classes of a {@link #classLabel} or {@link #binaryLabel} column and their order:
     * class {@code i} is {@code names[i]}. A label that is not one of them is an error on its
     * line. Use it to read a test file with the classes of the training file,
     * {@code CsvOption.classes(train.classNames())}, so that a class missing from one file does
     * not shift the indices. A label matches a name when the texts are equal or both are the
     * same number ({@code "1.0"} matches {@code "1"}).
     *
     * @throws IllegalArgumentException if fewer than two names are given or they repeat
     */
    public static CsvOption classes(String... names) {
        return classes(Arrays.asList(names));
    }

    /** {@link #classes(String...)} from a list, such as another dataset's {@link Dataset#classNames()}. */
    public static CsvOption classes(List<String> names) {
        Objects.requireNonNull(names, "names is null");
        List<String> copy = List.copyOf(names);
        if (copy.size() < 2) {
            throw new IllegalArgumentException("classes needs at least two names, got " + copy);
        }
        if (new java.util.HashSet<>(copy).size() != copy.size()) {
            throw new IllegalArgumentException("class names must be distinct: " + copy);
        }
        return new CsvOption("classes(" + String.join(", ", copy) + ")",
                s -> s.set("classes", s.classes != null, () -> s.classes = copy));
    }

    /**
     * Skips rows that fail to parse (a malformed number, a missing value, a wrong number of
     * columns, a label outside {@link #classes}) instead of failing. One warning is logged
     * through {@link System.Logger} (logger {@code dev.chainrule.data.Dataset}) with the number
     * of rows skipped and the first few problems. If every row is bad, loading still fails.
     */
    public static CsvOption skipBadRows() {
        return skipBadRows(problem -> {});
    }

    /**
     * {@link #skipBadRows()}, and hands each skipped row's problem to {@code onSkip} (the
     * exception that would otherwise have been thrown), to count, collect or log them.
     */
    public static CsvOption skipBadRows(Consumer<? super CsvFormatException> onSkip) {
        Objects.requireNonNull(onSkip, "onSkip is null");
        return new CsvOption("skipBadRows()", s -> s.set("skipBadRows", s.onSkip != null, () -> s.onSkip = onSkip));
    }

    private static CsvOption target(String description, TargetKind kind, List<Column> columns) {
        return new CsvOption(description, s -> s.set("target", s.targetKind != null, () -> {
            s.targetKind = kind;
            s.targets = columns;
        }));
    }

    private static String describe(char c) {
        switch (c) {
            case '\t':
                return "'\\t'";
            case '\n':
                return "'\\n'";
            case '\r':
                return "'\\r'";
            default:
                return Character.isISOControl(c) || Character.isSurrogate(c)
                        ? String.format("'\\u%04x'", (int) c) : "'" + c + "'";
        }
    }

    /** The option as it was written, for messages: {@code delimiter(';')}. */
    @Override
    public String toString() {
        return "CsvOption." + description;
    }

    /** How the target columns become targets. */
    enum TargetKind {
        ONE_HOT,
        BINARY,
        NUMERIC
    }

    /** A column chosen by name ({@code index < 0}) or by index ({@code name == null}). */
    record Column(String name, int index) {

        static List<Column> named(String[] names, String option) {
            Objects.requireNonNull(names, option + ": names is null");
            if (names.length == 0) {
                throw new IllegalArgumentException(option + " needs at least one column");
            }
            List<Column> columns = new ArrayList<>();
            for (String name : names) {
                Objects.requireNonNull(name, option + ": a column name is null");
                if (columns.contains(new Column(name, -1))) {
                    throw new IllegalArgumentException(option + " names column '" + name + "' twice");
                }
                columns.add(new Column(name, -1));
            }
            return List.copyOf(columns);
        }

        static List<Column> indexed(int[] indices, String option) {
            Objects.requireNonNull(indices, option + ": indices is null");
            if (indices.length == 0) {
                throw new IllegalArgumentException(option + " needs at least one column");
            }
            List<Column> columns = new ArrayList<>();
            for (int index : indices) {
                if (index < 0) {
                    throw new IllegalArgumentException(option + ": column index " + index
                            + " is negative; indices count from 0");
                }
                if (columns.contains(new Column(null, index))) {
                    throw new IllegalArgumentException(option + " names column index " + index + " twice");
                }
                columns.add(new Column(null, index));
            }
            return List.copyOf(columns);
        }

        @Override
        public String toString() {
            return name != null ? "'" + name + "'" : "index " + index;
        }
    }

    /** The options of one {@code fromCsv} call, checked for conflicts, with defaults filled in. */
    static final class Settings {
        Boolean header;
        Character delimiter;
        Charset charset;
        List<Column> features;
        TargetKind targetKind;
        List<Column> targets;
        List<String> classes;
        Consumer<? super CsvFormatException> onSkip;
        private final List<String> given = new ArrayList<>();
        private final List<String> givenBy = new ArrayList<>();
        private String current;

        static Settings of(CsvOption... options) {
            Objects.requireNonNull(options, "options is null");
            Settings s = new Settings();
            for (CsvOption option : options) {
                Objects.requireNonNull(option, "an option is null");
                s.current = option.toString();
                option.apply.accept(s);
            }
            if (s.header == null) {
                s.header = true;
            }
            if (s.delimiter == null) {
                s.delimiter = ',';
            }
            if (s.charset == null) {
                s.charset = StandardCharsets.UTF_8;
            }
            if (s.targetKind == null) {
                throw new IllegalArgumentException("say which column holds the targets: CsvOption.classLabel(\"label\")"
                        + " (classes, one-hot), CsvOption.binaryLabel(\"label\") (two classes, one 0/1 target) or"
                        + " CsvOption.targets(\"y\") (numbers, for regression)");
            }
            if (s.classes != null && s.targetKind == TargetKind.NUMERIC) {
                throw new IllegalArgumentException("CsvOption.classes applies to classLabel or binaryLabel, not to"
                        + " numeric targets");
            }
            if (s.classes != null && s.targetKind == TargetKind.BINARY && s.classes.size() != 2) {
                throw new IllegalArgumentException("binaryLabel needs exactly two classes, but classes names "
                        + s.classes.size() + ": " + s.classes);
            }
            if (!s.header) {
                for (List<Column> list : Arrays.asList(s.features, s.targets)) {
                    if (list != null) {
                        for (Column c : list) {
                            if (c.name != null) {
                                throw new IllegalArgumentException("column " + c + " is chosen by name, but with"
                                        + " CsvOption.noHeader() the columns have no names; choose it by index");
                            }
                        }
                    }
                }
            }
            return s;
        }

        void set(String what, boolean alreadySet, Runnable action) {
            if (alreadySet) {
                String first = givenBy.get(given.indexOf(what));
                throw new IllegalArgumentException("conflicting CSV options: " + first + " and " + current
                        + " both set the " + what);
            }
            given.add(what);
            givenBy.add(current);
            action.run();
        }
    }
}
