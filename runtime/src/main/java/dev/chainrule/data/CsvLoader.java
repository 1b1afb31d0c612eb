package dev.chainrule.data;

import dev.chainrule.data.CsvOption.Column;
import dev.chainrule.data.CsvOption.Settings;
import dev.chainrule.data.CsvOption.TargetKind;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CoderResult;
import java.nio.charset.MalformedInputException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/** Reads a {@link Dataset} from CSV as {@link CsvOption} describes; see {@link Dataset#fromCsv}. */
final class CsvLoader {

    private static final System.Logger LOG = System.getLogger(Dataset.class.getName());
    private static final int PROBLEMS_LOGGED = 3;

    private final String source;
    private final Settings settings;
    private final CsvTokenizer in;

    private List<String> header;
    private int columnCount;
    private int[] featureColumns;
    private int[] targetColumns;

    private double[] features = new double[1024];
    private double[] targets = new double[1024];
    private int rows;

    /** For labels: the first-seen id of each row's label text, and each text's first line. */
    private int[] labelIds = new int[256];
    private final Map<String, Integer> labelIdByText = new HashMap<>();
    private final List<String> labelTexts = new ArrayList<>();
    private final List<Long> labelFirstLine = new ArrayList<>();

    private int skipped;
    private final List<String> skippedProblems = new ArrayList<>();

    private CsvLoader(Reader reader, String source, Settings settings) {
        this.source = source;
        this.settings = settings;
        this.in = new CsvTokenizer(reader, source, settings.delimiter);
    }

    static Dataset load(Path path, Settings settings) throws IOException {
        try (InputStream raw = Files.newInputStream(path)) {
            BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
            buffered.mark(2);
            int b0 = buffered.read();
            int b1 = buffered.read();
            buffered.reset();
            InputStream bytes = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(buffered, 1 << 16) : buffered;
            CharsetDecoder decoder = settings.charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            return load(new StrictReader(bytes, decoder), path.toString(), settings);
        }
    }

    static Dataset load(Reader reader, String source, Settings settings) throws IOException {
        return new CsvLoader(reader, source, settings).read();
    }

    private Dataset read() throws IOException {
        if (!in.next()) {
            throw new CsvFormatException(source, 1, 0, null, "the file is empty; expected "
                    + (settings.header ? "a header line and data" : "data"));
        }
        long firstLine = in.recordLine();
        columnCount = in.fieldCount();
        boolean pending;
        if (settings.header) {
            header = new ArrayList<>(columnCount);
            for (int i = 0; i < columnCount; i++) {
                header.add(in.text(i));
            }
            pending = in.next();
        } else {
            pending = true;
        }
        resolveColumns(firstLine);
        while (pending) {
            readRow();
            pending = in.next();
        }
        if (rows == 0) {
            if (skipped > 0) {
                throw new CsvFormatException(source, firstLine, 0, null, "no valid rows: all " + skipped
                        + " rows were skipped as bad; the first: " + skippedProblems.get(0));
            }
            throw new CsvFormatException(source, firstLine, 0, null, "no data rows after the header");
        }
        if (skipped > 0) {
            LOG.log(System.Logger.Level.WARNING, "skipped " + skipped + " bad " + (skipped == 1 ? "row" : "rows")
                    + " of " + (rows + skipped) + " in " + source + " (CsvOption.skipBadRows); "
                    + (skipped > PROBLEMS_LOGGED ? "the first " + PROBLEMS_LOGGED + ": " : "")
                    + String.join("; ", skippedProblems));
        }
        return build();
    }

    private void resolveColumns(long firstLine) throws CsvFormatException {
        targetColumns = resolve(settings.targets, firstLine);
        if (settings.targetKind != TargetKind.NUMERIC && targetColumns.length != 1) {
            throw new AssertionError("one label column");
        }
        if (settings.features != null) {
            featureColumns = resolve(settings.features, firstLine);
            for (int f : featureColumns) {
                for (int t : targetColumns) {
                    if (f == t) {
                        throw new IllegalArgumentException("column " + describeColumn(f)
                                + " is chosen both as a feature and as a target");
                    }
                }
            }
        } else {
            featureColumns = new int[columnCount - targetColumns.length];
            int k = 0;
            for (int c = 0; c < columnCount; c++) {
                final int column = c;
                if (Arrays.stream(targetColumns).noneMatch(t -> t == column)) {
                    if (k == featureColumns.length) {
                        break;
                    }
                    featureColumns[k++] = c;
                }
            }
            if (featureColumns.length == 0) {
                throw new CsvFormatException(source, firstLine, 0, null, "every column is a target; no column is"
                        + " left for the features");
            }
        }
    }

    private int[] resolve(List<Column> columns, long firstLine) throws CsvFormatException {
        int[] out = new int[columns.size()];
        for (int i = 0; i < out.length; i++) {
            Column column = columns.get(i);
            if (column.name() != null) {
                int found = header.indexOf(column.name());
                if (found < 0) {
                    throw new CsvFormatException(source, firstLine, 0, null, "no column named '" + column.name()
                            + "' in the header" + suggestion(column.name()) + "; the columns are: "
                            + String.join(", ", header));
                }
                if (header.lastIndexOf(column.name()) != found) {
                    throw new CsvFormatException(source, firstLine, 0, null, "the header has more than one column"
                            + " named '" + column.name() + "' (columns " + (found + 1) + " and "
                            + (header.lastIndexOf(column.name()) + 1) + "); choose it by index");
                }
                out[i] = found;
            } else {
                if (column.index() >= columnCount) {
                    throw new CsvFormatException(source, firstLine, 0, null, "column index " + column.index()
                            + " (counting from 0) is beyond the " + columnCount + " columns of this line");
                }
                out[i] = column.index();
            }
        }
        return out;
    }

    private String suggestion(String name) {
        for (String h : header) {
            if (h.equalsIgnoreCase(name) || h.trim().equals(name.trim())) {
                return " (did you mean '" + h + "'?)";
            }
        }
        return "";
    }

    private String describeColumn(int c) {
        return header != null ? "'" + header.get(c) + "'" : "index " + c;
    }

    private String nameOf(int c) {
        return header != null ? header.get(c) : null;
    }

    private void readRow() throws IOException {
        try {
            parseRow();
        } catch (CsvFormatException e) {
            if (settings.onSkip == null) {
                throw e;
            }
            skipped++;
            if (skippedProblems.size() < PROBLEMS_LOGGED) {
                skippedProblems.add("line " + e.line() + (e.column() > 0 ? ", column " + e.column() : "") + ": "
                        + e.problem());
            }
            settings.onSkip.accept(e);
        }
    }

    private void parseRow() throws CsvFormatException {
        int fields = in.fieldCount();
        if (fields != columnCount) {
            String expected = "expected " + columnCount + " (" + (settings.header ? "as in the header" : "as in the"
                    + " first line") + ")";
            if (fields < columnCount) {
                throw new CsvFormatException(source, in.recordLine(), fields + 1, nameOf(fields), "the line has "
                        + fields + (fields == 1 ? " column, " : " columns, ") + expected + "; this one is missing");
            }
            throw new CsvFormatException(source, in.recordLine(), columnCount + 1, null, "the line has " + fields
                    + " columns, " + expected + "; this one is extra");
        }
        int nf = featureColumns.length;
        int nt = targetWidth();
        ensureCapacity(nf, nt);
        int fBase = rows * nf;
        for (int i = 0; i < nf; i++) {
            features[fBase + i] = number(featureColumns[i]);
        }
        if (settings.targetKind == TargetKind.NUMERIC) {
            int tBase = rows * targetColumns.length;
            for (int i = 0; i < targetColumns.length; i++) {
                targets[tBase + i] = number(targetColumns[i]);
            }
        } else {
            labelIds[rows] = labelId(targetColumns[0]);
        }
        rows++;
    }

    private int targetWidth() {
        return settings.targetKind == TargetKind.NUMERIC ? targetColumns.length : 0;
    }

    private void ensureCapacity(int nf, int nt) {
        long needF = (long) (rows + 1) * nf;
        long needT = (long) (rows + 1) * nt;
        if (needF > Integer.MAX_VALUE - 8 || needT > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(source + ": more values than one Java array can hold ("
                    + (rows + 1) + " rows of " + nf + " features)");
        }
        if (needF > features.length) {
            features = Arrays.copyOf(features, (int) Math.min(Integer.MAX_VALUE - 8L, Math.max(needF, 2L * features.length)));
        }
        if (needT > targets.length) {
            targets = Arrays.copyOf(targets, (int) Math.min(Integer.MAX_VALUE - 8L, Math.max(needT, 2L * targets.length)));
        }
        if (rows == labelIds.length && nt == 0) {
            labelIds = Arrays.copyOf(labelIds, (int) Math.min(Integer.MAX_VALUE - 8L, 2L * labelIds.length));
        }
    }

    /** Kept small, so that the JIT inlines it into the per-row loop; errors go to {@link #numberError}. */
    private double number(int column) throws CsvFormatException {
        double v = in.number(column);
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw numberError(column, v);
        }
        return v;
    }

    private CsvFormatException numberError(int column, double v) {
        String text = in.text(column);
        String lower = text.toLowerCase(Locale.ROOT);
        String why;
        if (text.isEmpty()) {
            why = "missing value (the field is empty)";
        } else if (Double.isInfinite(v)) {
            why = "the number \"" + abbreviate(text) + "\" is too large for a double";
        } else if (lower.equals("nan") || lower.equals("na") || lower.equals("n/a") || lower.equals("null")
                || lower.equals("?") || lower.equals("none")) {
            why = "missing value: found \"" + text + "\"; every value must be a finite number";
        } else if (lower.matches("[+-]?(inf|infinity)")) {
            why = "found \"" + text + "\"; every value must be a finite number";
        } else if (text.matches("[+-]?[0-9]*,[0-9]+")) {
            why = "expected a number, found \"" + text + "\" (decimal commas are not supported; use '.')";
        } else {
            why = "expected a number, found \"" + abbreviate(text) + "\"";
        }
        return new CsvFormatException(source, in.line(column), column + 1, nameOf(column), why);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    private int labelId(int column) throws CsvFormatException {
        String text = in.text(column);
        if (text.isEmpty()) {
            throw new CsvFormatException(source, in.line(column), column + 1, nameOf(column),
                    "missing class label (the field is empty)");
        }
        if (settings.classes != null) {
            int index = classIndex(settings.classes, text);
            if (index < 0) {
                throw new CsvFormatException(source, in.line(column), column + 1, nameOf(column), "class label \""
                        + abbreviate(text) + "\" is not one of the classes " + settings.classes
                        + " given with CsvOption.classes");
            }
            return index;
        }
        Integer id = labelIdByText.get(text);
        if (id == null) {
            id = labelTexts.size();
            labelIdByText.put(text, id);
            labelTexts.add(text);
            labelFirstLine.add(in.line(column));
        }
        return id;
    }

    /** The index of {@code label} in {@code classes}: equal text, or the same number. */
    private static int classIndex(List<String> classes, String label) {
        int index = classes.indexOf(label);
        if (index >= 0) {
            return index;
        }
        double value = numberOrNaN(label);
        if (!Double.isNaN(value)) {
            for (int i = 0; i < classes.size(); i++) {
                if (numberOrNaN(classes.get(i)) == value) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static double numberOrNaN(String text) {
        char[] chars = text.toCharArray();
        double v = CsvTokenizer.parse(chars, 0, chars.length);
        return Double.isInfinite(v) ? Double.NaN : v;
    }

    private Dataset build() throws CsvFormatException {
        int nf = featureColumns.length;
        List<String> featureNames = new ArrayList<>();
        if (header != null) {
            for (int c : featureColumns) {
                featureNames.add(header.get(c));
            }
        }
        double[] f = Arrays.copyOf(features, rows * nf);
        if (settings.targetKind == TargetKind.NUMERIC) {
            double[] t = Arrays.copyOf(targets, rows * targetColumns.length);
            return Dataset.ofFlat(rows, nf, targetColumns.length, f, t, featureNames, List.of());
        }
        List<String> classNames;
        int[] classOf; // class index of each row
        if (settings.classes != null) {
            classNames = settings.classes;
            classOf = Arrays.copyOf(labelIds, rows);
        } else {
            int[] idToClass = new int[labelTexts.size()];
            classNames = orderClasses(idToClass);
            classOf = new int[rows];
            for (int r = 0; r < rows; r++) {
                classOf[r] = idToClass[labelIds[r]];
            }
        }
        int column = targetColumns[0];
        int classCount = classNames.size();
        if (settings.targetKind == TargetKind.BINARY) {
            if (classCount != 2) {
                throw new CsvFormatException(source, classCount > 2 ? labelFirstLine.get(2) : 1, column + 1,
                        nameOf(column), "binaryLabel needs exactly two classes, but the column has " + classCount
                                + ": " + classNames + (classCount == 1 ? "; name both with CsvOption.classes" : ""));
            }
            double[] t = new double[rows];
            for (int r = 0; r < rows; r++) {
                t[r] = classOf[r];
            }
            return Dataset.ofFlat(rows, nf, 1, f, t, featureNames, classNames);
        }
        if (classCount < 2) {
            throw new CsvFormatException(source, labelFirstLine.get(0), column + 1, nameOf(column),
                    "the class label column has only one class, " + classNames + "; a classifier needs at least two"
                            + " (name them all with CsvOption.classes if this file lacks some)");
        }
        if ((long) rows * classCount > Integer.MAX_VALUE - 8) {
            throw new CsvFormatException(source, 1, column + 1, nameOf(column), "the class label column has "
                    + classCount + " distinct values; one-hot targets for " + rows + " rows would not fit in an"
                    + " array. Is it really a class label? For numbers to regress on use CsvOption.targets");
        }
        double[] t = new double[rows * classCount];
        for (int r = 0; r < rows; r++) {
            t[r * classCount + classOf[r]] = 1.0;
        }
        return Dataset.ofFlat(rows, nf, classCount, f, t, featureNames, classNames);
    }

    /**
     * Orders the distinct labels: by value if all are numbers (equal values merged, named by
     * their shortest form), else by text. Fills {@code idToClass} and returns the class names.
     */
    private List<String> orderClasses(int[] idToClass) {
        boolean numeric = true;
        double[] values = new double[labelTexts.size()];
        for (int id = 0; id < values.length && numeric; id++) {
            values[id] = numberOrNaN(labelTexts.get(id));
            numeric = !Double.isNaN(values[id]);
        }
        if (numeric) {
            TreeMap<Double, Integer> byValue = new TreeMap<>();
            for (double v : values) {
                byValue.put(v == 0.0 ? 0.0 : v, 0); // -0 and 0 are one class
            }
            List<String> names = new ArrayList<>();
            for (Map.Entry<Double, Integer> e : byValue.entrySet()) {
                e.setValue(names.size());
                names.add(canonical(e.getKey()));
            }
            for (int id = 0; id < values.length; id++) {
                idToClass[id] = byValue.get(values[id] == 0.0 ? 0.0 : values[id]);
            }
            return List.copyOf(names);
        }
        List<String> sorted = new ArrayList<>(labelTexts);
        sorted.sort(null);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            index.put(sorted.get(i), i);
        }
        for (int id = 0; id < idToClass.length; id++) {
            idToClass[id] = index.get(labelTexts.get(id));
        }
        return List.copyOf(sorted);
    }

    /**
     * Decodes bytes strictly, like an {@code InputStreamReader} with a reporting decoder, but
     * hands out the text before a malformed byte first and throws only on the next read, so the
     * error's line number is the line of the bad byte.
     */
    private static final class StrictReader extends Reader {
        private final InputStream in;
        private final CharsetDecoder decoder;
        private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16);
        private boolean eof;
        private boolean flushed;
        private CharacterCodingException pending;

        StrictReader(InputStream in, CharsetDecoder decoder) {
            this.in = in;
            this.decoder = decoder;
            bytes.flip();
        }

        @Override
        public int read(char[] cbuf, int off, int len) throws IOException {
            if (pending != null) {
                throw pending;
            }
            if (flushed) {
                return -1;
            }
            CharBuffer out = CharBuffer.wrap(cbuf, off, len);
            while (true) {
                CoderResult result = decoder.decode(bytes, out, eof);
                if (result.isError()) {
                    pending = new MalformedInputException(result.length());
                    if (out.position() > off) {
                        return out.position() - off;
                    }
                    throw pending;
                }
                if (result.isOverflow()) {
                    return out.position() - off;
                }
                if (eof) {
                    decoder.flush(out);
                    flushed = true;
                    int n = out.position() - off;
                    return n == 0 ? -1 : n;
                }
                if (out.position() > off && bytes.hasRemaining()) {
                    return out.position() - off;
                }
                bytes.compact();
                int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
                if (n < 0) {
                    eof = true;
                } else {
                    bytes.position(bytes.position() + n);
                }
                bytes.flip();
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private static String canonical(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
