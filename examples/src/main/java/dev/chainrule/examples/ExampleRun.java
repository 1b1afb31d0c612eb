package dev.chainrule.examples;

import dev.chainrule.Model;
import dev.chainrule.data.Dataset;
import dev.chainrule.metrics.Evaluation;
import dev.chainrule.metrics.Metric;
import dev.chainrule.metrics.Task;
import dev.chainrule.train.Trainer;
import dev.chainrule.train.TrainingResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The steps every example shares, so that each example states only what is its own: its data,
 * its network, its settings and what it says about the result. An example reads, top to bottom:
 *
 * <pre>{@code
 * IrisNetwork net = new IrisNetwork(SETTINGS.networkSeed());
 * ExampleRun run = new ExampleRun(options, net, SETTINGS);          // prints the network's summary
 * Dataset.ThreeWaySplit split = run.split(iris, "rows", BundledData.IRIS);
 * Scaler scaler = StandardScaler.fit(split.train());                // fitted on the training rows only
 * ExampleRun.Data data = run.scale(split, scaler::transform, "StandardScaler fitted on the training rows");
 * TrainingResult training = run.trainer()                           // the settings, validation and progress
 *         .stopWhen(...)                                            // what only this example sets
 *         .fit(data.train());
 * Evaluation test = Evaluation.of(net, data.test());
 * ...                                                               // print what the example is about
 * Path report = run.write(run.report("Iris", "...", training, Metric.ACCURACY, "cross-entropy")
 *         .result("test accuracy", ...), "iris");                   // the curves, topology and settings are in
 * }</pre>
 */
final class ExampleRun {

    /**
     * What an example chooses besides its data and its network. {@link #DEFAULTS} are the values
     * the examples share; each example changes what it needs with the withers.
     *
     * @param networkSeed the seed of the network's initial weights
     * @param splitSeed the seed of the train/validation/test split
     * @param trainingSeed the seed of the trainer (the per-epoch shuffle)
     * @param trainFraction the share of the rows trained on
     * @param validationFraction the share measured after every epoch; the rest are the test rows
     * @param learningRate the learning rate of SGD, the examples' update rule
     * @param batchSize rows per mini-batch
     * @param epochs the epoch budget
     * @param printEvery the progress bar leaves a line for epoch 1, every this many epochs and the last
     */
    record Settings(long networkSeed, long splitSeed, long trainingSeed, double trainFraction,
            double validationFraction, double learningRate, int batchSize, int epochs, int printEvery) {

        /**
         * Seeds 42 (network) and 7 (split, shuffle); 60% to train on, 20% to validate, 20% to test;
         * SGD at 0.1 in batches of 16 for 100 epochs, a progress line every 10.
         */
        static final Settings DEFAULTS = new Settings(42L, 7L, 7L, 0.6, 0.2, 0.1, 16, 100, 10);

        Settings learningRate(double rate) {
            return new Settings(networkSeed, splitSeed, trainingSeed, trainFraction, validationFraction, rate,
                    batchSize, epochs, printEvery);
        }

        Settings batchSize(int rows) {
            return new Settings(networkSeed, splitSeed, trainingSeed, trainFraction, validationFraction,
                    learningRate, rows, epochs, printEvery);
        }

        Settings epochs(int budget) {
            return new Settings(networkSeed, splitSeed, trainingSeed, trainFraction, validationFraction,
                    learningRate, batchSize, budget, printEvery);
        }

        Settings printEvery(int epochs) {
            return new Settings(networkSeed, splitSeed, trainingSeed, trainFraction, validationFraction,
                    learningRate, batchSize, this.epochs, epochs);
        }
    }

    /** The rows to train on, to validate on after every epoch and to test on once at the end, scaled. */
    record Data(Dataset train, Dataset validation, Dataset test) {}

    private final RunOptions options;
    private final PrintStream out;
    private final Model net;
    private final Settings settings;
    /** The report's settings that describe the data (source, split, scaling), in order. */
    private final Map<String, Object> dataSettings = new LinkedHashMap<>();
    private String rowNoun = "rows";
    private String source = "";
    private Data data;
    private Evaluation before;
    private TrainingResult training;

    /** Starts a run of {@code net}: prints its summary, the first thing every example shows. */
    ExampleRun(RunOptions options, Model net, Settings settings) {
        this.options = Objects.requireNonNull(options, "options");
        this.out = options.out();
        this.net = Objects.requireNonNull(net, "net");
        this.settings = Objects.requireNonNull(settings, "settings");
        out.print(net.summary());
        out.println();
    }

    /**
     * Splits {@code all} with the settings' fractions and seed: stratified when its rows are
     * classes (so each class keeps its share of every part), at random otherwise.
     *
     * @param noun what a row is, for the output ("rows", "patients")
     * @param source where the rows came from
     */
    Dataset.ThreeWaySplit split(Dataset all, String noun, String source) {
        boolean stratified = all.hasClassTargets();
        Dataset.ThreeWaySplit split = stratified
                ? all.stratifiedSplit(settings.trainFraction(), settings.validationFraction(), settings.splitSeed())
                : all.split(settings.trainFraction(), settings.validationFraction(), settings.splitSeed());
        rowNoun = noun;
        this.source = source;
        setting("data", String.format(Locale.ROOT, "%,d rows of %s", all.size(), source));
        setting("split (" + (stratified ? "stratified, " : "") + "seed " + settings.splitSeed() + ")",
                String.format(Locale.ROOT, "%,d train / %,d validation / %,d test", split.train().size(),
                        split.validation().size(), split.test().size()));
        return split;
    }

    /**
     * The three parts of {@code split} through {@code scale} (a scaler fitted on the training
     * rows, so that nothing is learnt from the other rows); prints their sizes.
     *
     * @param scaling how, for the report's settings
     */
    Data scale(Dataset.ThreeWaySplit split, UnaryOperator<Dataset> scale, String scaling) {
        setting("scaling", scaling);
        use(new Data(scale.apply(split.train()), scale.apply(split.validation()), scale.apply(split.test())));
        out.printf(Locale.ROOT, "data: %,d %s from %s: %,d to train on, %,d to validate, %,d to test%n%n",
                data.train().size() + data.validation().size() + data.test().size(), rowNoun, source,
                data.train().size(), data.validation().size(), data.test().size());
        return data;
    }

    /** The data to train, validate and test on, for an example that prepares it itself. */
    Data use(Data prepared) {
        this.data = Objects.requireNonNull(prepared, "prepared");
        return data;
    }

    /** A line of the report's settings, after those {@link #split} and {@link #scale} write. */
    void setting(String name, Object value) {
        dataSettings.put(name, value);
    }

    /** {@link #trainer(Task)} with the task the network's loss implies. */
    Trainer trainer() {
        return trainer(Task.of(net));
    }

    /**
     * Prints how the untrained network does on the validation rows, then returns a trainer with
     * the settings (learning rate, batch size, epoch budget or the command line's, seed) that
     * measures {@code task}'s metrics on the validation rows after every epoch and prints its
     * progress. The example adds what is its own and calls {@code fit}.
     */
    Trainer trainer(Task task) {
        if (data == null) {
            throw new IllegalStateException("no data yet: call scale or use first");
        }
        before = Evaluation.of(net, data.validation(), task);
        Console.printBaseline(out, before);
        return Trainer.of(net)
                .learningRate(settings.learningRate())
                .batchSize(settings.batchSize())
                .epochs(epochBudget())
                .seed(settings.trainingSeed())
                .metrics(task)
                .validation(data.validation())   // measured after every epoch, never trained on
                .listener(options.progress(settings.printEvery()));
    }

    /** The untrained network on the validation rows, as {@link #trainer} printed it. */
    Evaluation before() {
        return before;
    }

    /** The epoch budget: the settings', unless the command line gave one. */
    int epochBudget() {
        return options.epochsOr(settings.epochs());
    }

    /**
     * Prints the final training loss, the number of epochs and the time (the progress bar has
     * already said why training stopped).
     */
    void printTraining(TrainingResult result, String lossName) {
        out.println();
        out.printf(Locale.ROOT, "final training loss (%s): %.6f after %d epochs, in %s%n", lossName,
                result.finalLoss(), result.epochs(), Console.seconds(result.elapsed()));
    }

    /**
     * A training report with what every example shows: the curves of {@code result} (the loss and
     * {@code metric}, training and validation), the untrained network, how they were measured,
     * the topology, and the settings so far. The example adds its results, its confusion matrix
     * or scatter plot and its own settings, then calls {@link #write}.
     */
    TrainingReport report(String title, String subtitle, TrainingResult result, Metric metric, String lossName) {
        this.training = result;
        String metricName = metric == Metric.ACCURACY ? "accuracy" : "R²";
        TrainingReport report = new TrainingReport(title, subtitle)
                .curves(result, metric, lossName)
                .baseline(before)
                .note("Training loss and " + metricName + ": measured on each epoch's mini-batches while the"
                        + " parameters changed. Validation: the " + data.validation().size()
                        + " validation rows, after each epoch.")
                .topology(net.summary());
        dataSettings.forEach(report::setting);
        return report.setting("network seed", settings.networkSeed())
                .setting("optimizer", "SGD, learning rate " + settings.learningRate())
                .setting("batch size", settings.batchSize())
                .setting("epoch budget", epochBudget());
    }

    /**
     * Adds the trainer's seed, the stop reason and the training time to the report's settings,
     * writes it as {@code <name>.html} into the report directory and prints where.
     */
    Path write(TrainingReport report, String name) {
        Path file = report.setting("trainer seed", settings.trainingSeed())
                .setting("stop reason", training.stopReason())
                .setting("training time", Console.seconds(training.elapsed()))
                .write(options.reportDirectory(), name);
        out.println();
        out.println("report: " + file.toAbsolutePath().normalize());
        return file;
    }
}
