package dev.chainrule.examples;

import dev.chainrule.metrics.ConfusionMatrix;
import dev.chainrule.metrics.Evaluation;
import dev.chainrule.metrics.Metric;
import dev.chainrule.train.TrainingResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A training report: one self-contained HTML file (no scripts, no fonts or styles from the
 * network, nothing to download) with the results, the loss and metric curves per epoch drawn as
 * inline SVG, the confusion matrix of a classifier, the topology and the settings. Open it in any
 * browser, offline.
 *
 * <pre>{@code
 * Path file = new TrainingReport("Iris", "4-16-3 tanh/softmax network")
 *         .result("test accuracy", "27/30 = 90.00%")
 *         .curves(training, Metric.ACCURACY, "cross-entropy")    // a TrainingResult with validation
 *         .confusion(test.confusionMatrix())
 *         .topology(net.summary())
 *         .setting("learning rate", "0.1")
 *         .write(Path.of("target", "reports"), "iris");
 * }</pre>
 */
public final class TrainingReport {

    /** The two series of every chart: training, then validation. */
    private static final String[] COLOURS = {"#1f77b4", "#e8710a"};
    private static final int WIDTH = 560;
    private static final int HEIGHT = 300;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 16;
    private static final int BOTTOM = 44;

    private final String title;
    private final String subtitle;
    private final Map<String, String> results = new LinkedHashMap<>();
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private double[][] lossCurves;
    private double[][] metricCurves;
    private Metric metric;
    private String lossName = "loss";
    private String[] seriesNames = {"training", "validation"};
    private Evaluation baseline;
    private ConfusionMatrix confusion;
    private String topology;
    private double[] scatterActual;
    private double[] scatterPredicted;
    private String scatterUnit;

    /**
     * @param title the example's name, for example {@code "MNIST"}
     * @param subtitle one line on the network and the data
     */
    public TrainingReport(String title, String subtitle) {
        this.title = Objects.requireNonNull(title, "title");
        this.subtitle = Objects.requireNonNull(subtitle, "subtitle");
    }

    /** A headline result, shown large at the top (for example test accuracy). */
    public TrainingReport result(String name, String value) {
        results.put(name, value);
        return this;
    }

    /** A setting of the run (learning rate, epochs, split, seed ...), listed in the order given. */
    public TrainingReport setting(String name, Object value) {
        settings.put(name, String.valueOf(value));
        return this;
    }

    /** A sentence shown under the charts, to say how something was measured. */
    public TrainingReport note(String sentence) {
        notes.add(sentence);
        return this;
    }

    /**
     * The per-epoch curves to draw, from a run that validated ({@code Trainer.validation}): the
     * training and validation loss, and the training and validation values of {@code metric}.
     * {@code lossName} labels the loss axis.
     *
     * @throws IllegalArgumentException if the run has no validation losses or did not record
     *     {@code metric}
     */
    public TrainingReport curves(TrainingResult training, Metric metric, String lossName) {
        if (training.validationLoss().length != training.epochs()) {
            throw new IllegalArgumentException("the run has no validation loss per epoch; train with Trainer.validation");
        }
        this.lossCurves = new double[][] {training.trainLoss(), training.validationLoss()};
        this.metricCurves = new double[][] {training.trainMetric(metric), training.validationMetric(metric)};
        this.metric = metric;
        this.lossName = Objects.requireNonNull(lossName, "lossName");
        return this;
    }

    /** The network before training, on the validation rows: shown as a sentence under the charts. */
    public TrainingReport baseline(Evaluation beforeTraining) {
        this.baseline = Objects.requireNonNull(beforeTraining, "beforeTraining");
        return this;
    }

    /** Names the two series of the charts, {@code "training"} and {@code "validation"} unless given. */
    public TrainingReport seriesNames(String train, String validation) {
        this.seriesNames = new String[] {train, validation};
        return this;
    }

    /** The confusion matrix of a classifier on its test rows, with its class names. */
    public TrainingReport confusion(ConfusionMatrix confusion) {
        this.confusion = Objects.requireNonNull(confusion, "confusion");
        return this;
    }

    /** Predicted against actual values of a regression's test rows, drawn as a scatter plot. */
    public TrainingReport scatter(double[] actual, double[] predicted, String unit) {
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException(actual.length + " actual values, " + predicted.length + " predicted");
        }
        this.scatterActual = actual.clone();
        this.scatterPredicted = predicted.clone();
        this.scatterUnit = unit;
        return this;
    }

    /** The network's layer table, {@code net.summary()}. */
    public TrainingReport topology(String summary) {
        this.topology = summary;
        return this;
    }

    /**
     * Writes {@code <name>.html} into {@code directory}, creating the directory if needed.
     *
     * @return the file written
     * @throws UncheckedIOException if it cannot be written
     */
    public Path write(Path directory, String name) {
        Path file = directory.resolve(name + ".html");
        try {
            Files.createDirectories(directory);
            Files.writeString(file, html(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training report " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /** The whole page. */
    public String html() {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>").append(escape(title)).append(" - chainrule training report</title>\n")
                .append("<style>\n")
                .append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;")
                .append("max-width:1180px;padding:0 1em;color:#222}\n")
                .append("h1{margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}\n")
                .append(".sub{color:#555;margin-top:0}\n")
                .append(".results{display:flex;flex-wrap:wrap;gap:1em}\n")
                .append(".card{border:1px solid #ddd;border-radius:6px;padding:.6em 1em;min-width:12em}\n")
                .append(".card .v{font-size:1.5em;font-weight:600}.card .k{color:#555}\n")
                .append(".charts{display:flex;flex-wrap:wrap;gap:1.5em}\n")
                .append("figure{width:fit-content}figcaption{text-align:center;color:#555;margin-top:.2em}\n")
                .append(".foot{color:#555;margin-top:2.5em;border-top:1px solid #ddd;padding-top:.6em}\n")
                .append("table{border-collapse:collapse}td,th{padding:.25em .6em;border:1px solid #ddd}\n")
                .append("th{background:#f4f4f4;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}\n")
                .append("pre{background:#f7f7f7;padding:.8em;border-radius:6px;overflow-x:auto}\n")
                .append("svg text{font-family:system-ui,sans-serif;font-size:12px;fill:#333}\n")
                .append("</style>\n</head>\n<body>\n");
        h.append("<h1>").append(escape(title)).append("</h1>\n");
        h.append("<p class=\"sub\">").append(escape(subtitle)).append("</p>\n");

        if (!results.isEmpty()) {
            h.append("<div class=\"results\">\n");
            results.forEach((k, v) -> h.append("<div class=\"card\"><div class=\"v\">").append(escape(v))
                    .append("</div><div class=\"k\">").append(escape(k)).append("</div></div>\n"));
            h.append("</div>\n");
        }
        if (lossCurves != null && lossCurves[0].length > 0) {
            String metricName = metric.key().replace("r2", "R²");
            h.append("<h2>Learning curves</h2>\n<div class=\"charts\">\n");
            h.append(lineChart("loss per epoch", lossName, lossCurves, true, false));
            h.append(lineChart(metricName + " per epoch", metricName, metricCurves, false,
                    metric == Metric.ACCURACY));
            h.append("</div>\n");
            if (baseline != null) {
                h.append("<p>Before training (epoch 0, not drawn), on the validation rows: ")
                        .append(escape(readable(baseline.summary()))).append(".</p>\n");
            }
        }
        for (String note : notes) {
            h.append("<p>").append(escape(note)).append("</p>\n");
        }
        if (scatterActual != null) {
            h.append("<h2>Predictions on the test rows</h2>\n").append(scatterChart());
        }
        if (confusion != null) {
            h.append("<h2>Confusion matrix (test rows)</h2>\n").append(confusionTable());
        }
        if (topology != null) {
            h.append("<h2>Topology</h2>\n<pre>").append(escape(topology)).append("</pre>\n");
        }
        if (!settings.isEmpty()) {
            h.append("<h2>Settings</h2>\n<table>\n");
            settings.forEach((k, v) -> h.append("<tr><th>").append(escape(k)).append("</th><td>").append(escape(v))
                    .append("</td></tr>\n"));
            h.append("</table>\n");
        }
        h.append("<p class=\"foot\">Written by the chainrule examples. This page is self-contained: ")
                .append("it loads nothing from the network.</p>\n</body>\n</html>\n");
        return h.toString();
    }

    /**
     * A line chart of the training and validation series ({@code series[0]}, {@code series[1]},
     * index {@code i} being epoch {@code i + 1}) against the epoch.
     */
    private String lineChart(String caption, String yLabel, double[][] series, boolean fromZero, boolean percent) {
        int epochs = series[0].length;
        double lo = fromZero ? 0 : Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] values : series) {
            for (double v : values) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        Axis x = Axis.of(1, Math.max(epochs, 2), true, false);
        Axis y = Axis.of(lo, hi, false, percent);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<figure style=\"margin:0\">\n<svg xmlns=\"http://www.w3.org/2000/svg\""
                + " class=\"curve\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">\n",
                WIDTH, HEIGHT, WIDTH, HEIGHT, escape(caption)));
        axes(s, x, y, "epoch", yLabel);
        for (int k = 0; k < series.length; k++) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < epochs; i++) {
                if (Double.isFinite(series[k][i])) {
                    line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.pixel(i + 1), y.pixel(series[k][i])));
                }
            }
            s.append(String.format(Locale.ROOT, "<polyline class=\"series\" fill=\"none\" stroke=\"%s\""
                    + " stroke-width=\"2\" stroke-linejoin=\"round\" points=\"%s\"/>\n", COLOURS[k], line.toString().strip()));
            if (epochs <= 60) {
                for (int i = 0; i < epochs; i++) {
                    if (Double.isFinite(series[k][i])) {
                        s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\">"
                                + "<title>epoch %d: %s</title></circle>\n",
                                x.pixel(i + 1), y.pixel(series[k][i]), COLOURS[k], i + 1, number(series[k][i])));
                    }
                }
            }
        }
        // The legend goes in a corner the curves have left: at the bottom if they end high.
        boolean endsHigh = y.pixel(series[0][epochs - 1]) < (TOP + HEIGHT - BOTTOM) / 2.0;
        String[] legend = new String[2];
        int longest = 0;
        for (int k = 0; k < 2; k++) {
            double last = series[k][epochs - 1];
            legend[k] = seriesNames[k] + " (last " + (percent
                    ? String.format(Locale.ROOT, "%.2f%%", 100 * last) : number(last)) + ")";
            longest = Math.max(longest, legend[k].length());
        }
        int lx = WIDTH - RIGHT - 36 - (int) (6.6 * longest);   // about 6.6 pixels per character at 12px
        for (int k = 0; k < 2; k++) {
            int ly = (endsHigh ? HEIGHT - BOTTOM - 36 : TOP) + 14 + 18 * k;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\""
                    + " stroke-width=\"3\"/><text x=\"%d\" y=\"%d\">%s</text>\n",
                    lx, ly - 4, lx + 22, ly - 4, COLOURS[k], lx + 28, ly, escape(legend[k])));
        }
        s.append("</svg>\n<figcaption>").append(escape(caption)).append("</figcaption>\n</figure>\n");
        return s.toString();
    }

    /** Predicted against actual values, with the diagonal of perfect predictions. */
    private String scatterChart() {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < scatterActual.length; i++) {
            lo = Math.min(lo, Math.min(scatterActual[i], scatterPredicted[i]));
            hi = Math.max(hi, Math.max(scatterActual[i], scatterPredicted[i]));
        }
        Axis x = Axis.of(lo, hi, true, false);
        Axis y = Axis.of(lo, hi, false, false);
        StringBuilder s = new StringBuilder();
        s.append("<figure style=\"margin:0\">\n");
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"scatter\" width=\"%d\""
                + " height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"predicted against actual\">\n",
                WIDTH, HEIGHT, WIDTH, HEIGHT));
        axes(s, x, y, "actual " + scatterUnit, "predicted " + scatterUnit);
        s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\""
                + " stroke-dasharray=\"4 3\"/>\n", x.pixel(x.min), y.pixel(x.min), x.pixel(x.max), y.pixel(x.max)));
        for (int i = 0; i < scatterActual.length; i++) {
            s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\""
                    + " fill-opacity=\"0.6\"/>\n", x.pixel(scatterActual[i]), y.pixel(scatterPredicted[i]), COLOURS[0]));
        }
        return s.append("</svg>\n<figcaption>one dot per test row; on the dashed line, the prediction is exact")
                .append("</figcaption>\n</figure>\n").toString();
    }

    /** Grid lines, tick labels and axis titles. */
    private static void axes(StringBuilder s, Axis x, Axis y, String xLabel, String yLabel) {
        for (double t : y.ticks) {
            double py = y.pixel(t);
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                    LEFT, py, WIDTH - RIGHT, py, LEFT - 6, py + 4, y.label(t)));
        }
        for (double t : x.ticks) {
            double px = x.pixel(t);
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e5e5e5\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                    px, TOP, px, HEIGHT - BOTTOM, px, HEIGHT - BOTTOM + 16, x.label(t)));
        }
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\""
                + " stroke=\"#999\"/>\n", LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                (LEFT + WIDTH - RIGHT) / 2, HEIGHT - 8, escape(xLabel)));
        s.append(String.format(Locale.ROOT, "<text transform=\"translate(14 %d) rotate(-90)\" text-anchor=\"middle\">"
                + "%s</text>\n", (TOP + HEIGHT - BOTTOM) / 2, escape(yLabel)));
    }

    /** The matrix as a table, each cell shaded by its share of the true class's rows. */
    private String confusionTable() {
        int n = confusion.classCount();
        List<String> names = confusion.classNames();
        StringBuilder t = new StringBuilder("<table class=\"confusion\">\n<tr><th>actual \\ predicted</th>");
        for (String name : names) {
            t.append("<th>").append(escape(name)).append("</th>");
        }
        t.append("<th>recall</th></tr>\n");
        for (int r = 0; r < n; r++) {
            long total = 0;
            for (int c = 0; c < n; c++) {
                total += confusion.count(r, c);
            }
            t.append("<tr><th>").append(escape(names.get(r))).append("</th>");
            for (int c = 0; c < n; c++) {
                long count = confusion.count(r, c);
                double share = total == 0 ? 0 : (double) count / total;
                String rgb = r == c ? "46,160,67" : "214,39,40";
                t.append(String.format(Locale.ROOT, "<td class=\"n\" style=\"background:rgba(%s,%.2f)\">%d</td>",
                        rgb, count == 0 ? 0.0 : 0.08 + 0.7 * share, count));
            }
            t.append(String.format(Locale.ROOT, "<td class=\"n\">%s</td></tr>\n",
                    total == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * confusion.count(r, r) / total)));
        }
        return t.append("</table>\n").toString();
    }

    /** A numeric axis with "nice" ticks (steps of 1, 2 or 5 times a power of ten) mapped to pixels. */
    private static final class Axis {
        final double min;
        final double max;
        final double step;
        final List<Double> ticks = new ArrayList<>();
        final boolean horizontal;
        final boolean percent;

        private Axis(double min, double max, double step, boolean horizontal, boolean percent) {
            this.min = min;
            this.max = max;
            this.step = step;
            this.horizontal = horizontal;
            this.percent = percent;
            long count = Math.round((max - min) / step);
            for (long i = 0; i <= count; i++) {
                ticks.add(min + i * step);
            }
        }

        /** An axis from about {@code lo} to {@code hi}; whole steps if {@code horizontal}, labels in % if {@code percent}. */
        static Axis of(double lo, double hi, boolean horizontal, boolean percent) {
            if (!(hi > lo)) {
                double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
                lo -= pad;
                hi += pad;
            }
            double raw = (hi - lo) / 5;
            double power = Math.pow(10, Math.floor(Math.log10(raw)));
            double step = raw / power <= 1 ? power : raw / power <= 2 ? 2 * power : raw / power <= 5 ? 5 * power
                    : 10 * power;
            if (horizontal) {
                step = Math.max(1, Math.round(step));   // whole epochs
            }
            return new Axis(Math.floor(lo / step) * step, Math.ceil(hi / step) * step, step, horizontal, percent);
        }

        double pixel(double v) {
            double f = (v - min) / (max - min);
            return horizontal ? LEFT + f * (WIDTH - LEFT - RIGHT) : HEIGHT - BOTTOM - f * (HEIGHT - TOP - BOTTOM);
        }

        String label(double v) {
            double shown = percent ? 100 * v : v;
            double shownStep = percent ? 100 * step : step;
            int decimals = (int) Math.max(0, Math.ceil(-Math.log10(shownStep) - 1e-9));
            return String.format(Locale.ROOT, "%." + decimals + "f", Math.abs(v) < step / 1e6 ? 0.0 : shown)
                    + (percent ? "%" : "");
        }
    }

    /**
     * An evaluation's one-line summary for a sentence: {@code loss 1.6, mae 1.1, rmse 1.3, r2 -0.55}
     * becomes {@code loss 1.6, MAE 1.1, RMSE 1.3, R² -0.55}.
     */
    static String readable(String summary) {
        return (" " + summary.replace("  ", ", ")).replace(" mae ", " MAE ").replace(" rmse ", " RMSE ")
                .replace(" r2 ", " R² ").strip();
    }

    /** A value for a legend or tooltip: four significant digits. */
    private static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : "-";
    }

    /** Escapes text for HTML and SVG. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
