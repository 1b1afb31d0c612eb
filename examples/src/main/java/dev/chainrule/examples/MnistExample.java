package dev.chainrule.examples;

import dev.chainrule.data.Dataset;
import dev.chainrule.data.MinMaxScaler;
import dev.chainrule.data.Scaler;
import dev.chainrule.metrics.Evaluation;
import dev.chainrule.metrics.Metric;
import dev.chainrule.train.TrainingResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * MNIST, the flagship: the {@link Mnist} spec (784 pixels, 128 ReLU units, 10-way softmax)
 * trained on the 60,000 training images — 5,000 of them, stratified, held out for validation —
 * and measured on the 10,000 test images. The data are read streaming from the gzipped CSV files
 * inside the jar. Training shares each mini-batch between two threads and runs the Vector API
 * kernels when the JVM has {@code --add-modules jdk.incubator.vector}.
 */
public final class MnistExample {

    /** The shared settings with batches of 32 for 10 epochs, a progress line for each. */
    static final ExampleRun.Settings SETTINGS = ExampleRun.Settings.DEFAULTS.batchSize(32).epochs(10).printEvery(1);
    /** Training images held out (stratified) to draw the validation curves. */
    public static final int VALIDATION_ROWS = 5_000;
    public static final int THREADS = 2;

    private MnistExample() {}

    /**
     * What the run produced.
     *
     * @param before the untrained network on the validation rows
     * @param test loss, accuracy and confusion matrix on the 10,000 test images
     * @param loading the time spent reading and scaling the data
     */
    public record Result(MnistNetwork network, TrainingResult training, Evaluation before, int trainRows,
            Evaluation test, Duration loading, Path report) {}

    public static void main(String[] args) {
        run(RunOptions.defaults(System.out));
    }

    /** Loads the data, trains, evaluates, prints everything and writes the report. */
    public static Result run(RunOptions options) {
        MnistNetwork net = new MnistNetwork(SETTINGS.networkSeed());
        ExampleRun run = new ExampleRun(options, net, SETTINGS);
        PrintStream out = options.out();
        out.println(net.vectorKernels()
                ? "The Vector API kernels run (jdk.incubator.vector is present)."
                : "The portable kernels run. For the Vector API kernels, about twice as fast, start the JVM with"
                        + " --add-modules jdk.incubator.vector");

        // MNIST has its own test file: the split only holds out validation rows from the training file.
        long start = System.nanoTime();
        out.println("reading " + BundledData.MNIST_TRAIN + " and " + BundledData.MNIST_TEST + " (gzipped CSV) ...");
        // Grey levels 0..255 become 0..1: a fixed min-max scaling, the same for every pixel.
        double[] black = new double[784];
        double[] white = new double[784];
        Arrays.fill(white, 255.0);
        Scaler scaler = MinMaxScaler.of(black, white, 0.0, 1.0);
        Dataset.Split split = scaler.transform(BundledData.mnistTrain())
                .stratifiedSplit(1.0 - (double) VALIDATION_ROWS / 60_000, SETTINGS.splitSeed());
        ExampleRun.Data data = run.use(new ExampleRun.Data(split.train(), split.test(),
                scaler.transform(BundledData.mnistTest())));
        Duration loading = Duration.ofNanos(System.nanoTime() - start);
        out.printf(Locale.ROOT, "data: %,d training images (%,d to train on, %,d to validate), %,d test images,"
                + " read in %s%n%n", data.train().size() + data.validation().size(), data.train().size(),
                data.validation().size(), data.test().size(), Console.seconds(loading));
        run.setting("data", "MNIST, " + BundledData.MNIST_TRAIN + " and " + BundledData.MNIST_TEST
                + ", read streaming from gzipped CSV in " + Console.seconds(loading));
        run.setting("split (stratified, seed " + SETTINGS.splitSeed() + ")", String.format(Locale.ROOT,
                "%,d train / %,d validation (from the training images) / %,d test", data.train().size(),
                data.validation().size(), data.test().size()));
        run.setting("scaling", "grey level / 255 (MinMaxScaler with the range 0..255)");

        TrainingResult training = run.trainer().threads(THREADS).fit(data.train());

        Evaluation test = Evaluation.of(net, data.test());
        out.println();
        out.printf(Locale.ROOT, "trained %d epochs in %s (%s per epoch), kernels: %s%n", training.epochs(),
                Console.seconds(training.elapsed()),
                Console.seconds(training.elapsed().dividedBy(Math.max(1, training.epochs()))),
                net.vectorKernels() ? "Vector API" : "portable Java");
        out.printf(Locale.ROOT, "test loss (cross-entropy): %.4f%n", test.loss());
        out.println("test accuracy: " + Console.accuracy(test));
        out.println();
        Console.printConfusion(out, "digit", test.confusionMatrix());

        TrainingReport report = run.report("MNIST",
                        "Handwritten digits, 28x28 grey levels: 784-128-10 network, ReLU and softmax, "
                        + THREADS + " threads",
                        training, Metric.ACCURACY, "cross-entropy")
                .result("test accuracy", Console.accuracy(test))
                .result("test loss (cross-entropy)", String.format(Locale.ROOT, "%.4f", test.loss()))
                .result("training time", Console.seconds(training.elapsed()) + " for " + training.epochs()
                        + (training.epochs() == 1 ? " epoch" : " epochs"))
                .confusion(test.confusionMatrix())
                .setting("threads", THREADS)
                .setting("kernels", net.vectorKernels() ? "Vector API (jdk.incubator.vector)" : "portable Java");
        Path file = run.write(report, "mnist");
        return new Result(net, training, run.before(), data.train().size(), test, loading, file);
    }
}
