package dev.chainrule.examples;

import dev.chainrule.Model;
import dev.chainrule.data.Dataset;
import dev.chainrule.train.EpochEvent;
import dev.chainrule.train.EpochListener;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Records, after every epoch, what the training report plots: the training loss (the trainer's,
 * the mean over the epoch's batches), the validation loss, and a metric on both the training and
 * the validation rows — accuracy for a classifier, R² for a regression — measured with the
 * parameters at the end of the epoch. It also measures the network before training, the baseline.
 * On the epochs a {@code ProgressPrinter.every(n)} prints, it prints the validation numbers under
 * the printer's line:
 *
 * <pre>{@code
 * LearningCurves curves = LearningCurves.start(net, LearningCurves.Kind.ACCURACY, train, validation, out, 5);
 * Trainer.of(net).listener(ProgressPrinter.to(out).every(5)).listener(curves).fit(train);
 * }</pre>
 *
 * <p>The examples measure validation themselves until the trainer's validation lands; then this
 * listener reads the numbers from the trainer instead of computing them.
 */
public final class LearningCurves implements EpochListener {

    /** One epoch's numbers; the metric is NaN for a network without one. */
    public record Point(int epoch, double trainLoss, double validationLoss, double trainMetric,
            double validationMetric) {}

    /** What the metric is: accuracy for classifiers, R² for regressions. */
    public enum Kind {
        ACCURACY("accuracy"),
        R_SQUARED("R²");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** How reports and progress lines name the metric. */
        public String label() {
            return label;
        }
    }

    private final Model model;
    private final Kind kind;
    private final Dataset trainRows;
    private final Dataset validation;
    private final PrintStream out;
    private final int every;
    private final Point before;
    private final List<Point> points = new ArrayList<>();

    private LearningCurves(Model model, Kind kind, Dataset trainRows, Dataset validation, PrintStream out,
            int every) {
        this.model = Objects.requireNonNull(model, "model");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.trainRows = Objects.requireNonNull(trainRows, "trainRows");
        this.validation = Objects.requireNonNull(validation, "validation");
        this.out = out;
        if (every < 1) {
            throw new IllegalArgumentException("every is " + every + ", must be at least 1");
        }
        this.every = every;
        this.before = measure(0, Double.NaN);
    }

    /**
     * Measures the network before training (the baseline the curves should leave behind: for a
     * softmax over 10 classes a loss near ln 10 = 2.30 and an accuracy near 10%), prints it, and
     * returns a listener to pass to {@code Trainer.listener}.
     *
     * @param model the network about to be trained
     * @param kind the metric to measure
     * @param trainRows the training rows the training metric is measured on: all of them, or for
     *     a large set a fixed sample (the per-epoch cost is one forward pass over these rows)
     * @param validation the rows to validate on
     * @param out where to print, or {@code null} to print nothing
     * @param every print on epoch 1 and every {@code every}-th epoch, as the progress printer does
     */
    public static LearningCurves start(Model model, Kind kind, Dataset trainRows, Dataset validation,
            PrintStream out, int every) {
        LearningCurves curves = new LearningCurves(model, kind, trainRows, validation, out, every);
        if (out != null) {
            Point p = curves.before;
            out.println(String.format(Locale.ROOT, "before training: validation loss %.6f, %s %s; training %s %s",
                    p.validationLoss(), kind.label(), curves.format(p.validationMetric()), kind.label(),
                    curves.format(p.trainMetric())));
        }
        return curves;
    }

    /**
     * The network's numbers now. {@code trainLoss} is the trainer's epoch mean when there is one;
     * before training, the loss of the training rows measured here.
     */
    private Point measure(int epoch, double trainLoss) {
        if (kind == Kind.ACCURACY) {
            Metrics.Classification t = Metrics.classify(model, trainRows);
            Metrics.Classification v = Metrics.classify(model, validation);
            return new Point(epoch, Double.isNaN(trainLoss) ? t.loss() : trainLoss, v.loss(), t.accuracy(),
                    v.accuracy());
        }
        Metrics.Regression t = Metrics.regress(model, trainRows);
        Metrics.Regression v = Metrics.regress(model, validation);
        return new Point(epoch, Double.isNaN(trainLoss) ? t.loss() : trainLoss, v.loss(), t.rSquared(),
                v.rSquared());
    }

    @Override
    public void onEpoch(EpochEvent event) {
        Point point = measure(event.epoch(), event.trainLoss());
        points.add(point);
        int epoch = event.epoch();
        if (out != null && (epoch == 1 || epoch % every == 0 || epoch == event.epochs())) {
            out.println(line(point));
        }
    }

    /** The progress line, for example {@code   validation loss 0.081234, accuracy 97.50%; training accuracy 98.10%}. */
    String line(Point p) {
        return String.format(Locale.ROOT, "  validation loss %.6f, %s %s; training %s %s",
                p.validationLoss(), kind.label(), format(p.validationMetric()), kind.label(), format(p.trainMetric()));
    }

    /** A metric value as printed: a percentage for accuracy, a plain number for R². */
    public String format(double metric) {
        return kind == Kind.ACCURACY
                ? String.format(Locale.ROOT, "%.2f%%", 100.0 * metric)
                : String.format(Locale.ROOT, "%.4f", metric);
    }

    /** The metric measured. */
    public Kind kind() {
        return kind;
    }

    /** The number of training rows the training metric is measured on. */
    public int trainRowsMeasured() {
        return trainRows.size();
    }

    /** The network before training, as epoch 0 (its training loss measured on the training rows). */
    public Point before() {
        return before;
    }

    /** Every epoch recorded so far, in order. */
    public List<Point> points() {
        return List.copyOf(points);
    }
}
