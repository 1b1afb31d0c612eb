package dev.chainrule.examples;

import dev.chainrule.data.Dataset;
import dev.chainrule.data.MinMaxScaler;
import dev.chainrule.data.Scaler;
import dev.chainrule.metrics.Evaluation;
import dev.chainrule.metrics.Metric;
import dev.chainrule.train.Trainer;
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

    /** The seed of the network's initial weights. */
    public static final long NETWORK_SEED = 42L;
    /** The seed of the train/validation split. */
    public static final long SPLIT_SEED = 7L;
    /** The seed of the trainer (the per-epoch shuffle). */
    public static final long TRAINING_SEED = 7L;
    /** Training images held out (stratified) to draw the validation curves. */
    public static final int VALIDATION_ROWS = 5_000;
    public static final double LEARNING_RATE = 0.1;
    public static final int BATCH_SIZE = 32;
    public static final int EPOCHS = 10;
    public static final int THREADS = 2;

    private MnistExample() {}

    /**
     * What the run produced.
     *
     * @param network the trained network
     * @param training the loss and accuracy of every epoch, on the training and validation rows
     * @param before the untrained network on the validation rows
     * @param trainRows the number of training rows
     * @param test loss, accuracy and confusion matrix on the 10,000 test images
     * @param loading the time spent reading and scaling the data
     * @param report the HTML training report written
     */
    public record Result(MnistNetwork network, TrainingResult training, Evaluation before, int trainRows,
            Evaluation test, Duration loading, Path report) {}

    public static void main(String[] args) {
        run(RunOptions.defaults(System.out));
    }

    /** Runs with the default settings, printing to {@code out}. */
    public static Result run(PrintStream out) {
        return run(RunOptions.defaults(out));
    }

    /** Loads the data, trains, evaluates, prints everything and writes the report. */
    public static Result run(RunOptions options) {
        PrintStream out = options.out();
        MnistNetwork net = new MnistNetwork(NETWORK_SEED);
        out.print(net.summary());
        out.println(net.vectorKernels()
                ? "The Vector API kernels run (jdk.incubator.vector is present)."
                : "The portable kernels run. For the Vector API kernels, about twice as fast, start the JVM with"
                        + " --add-modules jdk.incubator.vector");
        out.println();

        long start = System.nanoTime();
        out.println("reading " + BundledData.MNIST_TRAIN + " and " + BundledData.MNIST_TEST + " (gzipped CSV) ...");
        // Grey levels 0..255 become 0..1: a fixed min-max scaling, the same for every pixel.
        double[] black = new double[784];
        double[] white = new double[784];
        Arrays.fill(white, 255.0);
        Scaler scaler = MinMaxScaler.of(black, white, 0.0, 1.0);
        Dataset.Split split = scaler.transform(BundledData.mnistTrain())
                .stratifiedSplit(1.0 - (double) VALIDATION_ROWS / 60_000, SPLIT_SEED);
        Dataset train = split.train();
        Dataset validation = split.test();
        Dataset testRows = scaler.transform(BundledData.mnistTest());
        Duration loading = Duration.ofNanos(System.nanoTime() - start);
        out.printf(Locale.ROOT, "data: %,d training images (%,d to train on, %,d to validate), %,d test images,"
                + " read in %s%n%n", train.size() + validation.size(), train.size(), validation.size(), testRows.size(),
                Console.seconds(loading));

        Evaluation before = Evaluation.of(net, validation);
        Console.printBaseline(out, before);
        int epochs = options.epochsOr(EPOCHS);
        TrainingResult training = Trainer.of(net)
                .learningRate(LEARNING_RATE)
                .batchSize(BATCH_SIZE)
                .epochs(epochs)
                .seed(TRAINING_SEED)
                .threads(THREADS)
                .validation(validation)
                .listener(options.progress(1))
                .fit(train);

        Evaluation test = Evaluation.of(net, testRows);
        out.println();
        out.printf(Locale.ROOT, "trained %d epochs in %s (%s per epoch), kernels: %s%n", training.epochs(),
                Console.seconds(training.elapsed()),
                Console.seconds(training.elapsed().dividedBy(Math.max(1, training.epochs()))),
                net.vectorKernels() ? "Vector API" : "portable Java");
        out.printf(Locale.ROOT, "test loss (cross-entropy): %.4f%n", test.loss());
        out.println("test accuracy: " + Console.accuracy(test));
        out.println();
        Console.printConfusion(out, "digit", test.confusionMatrix());

        Path report = new TrainingReport("MNIST",
                        "Handwritten digits, 28x28 grey levels: 784-128-10 network, ReLU and softmax, "
                        + THREADS + " threads")
                .result("test accuracy", Console.accuracy(test))
                .result("test loss (cross-entropy)", String.format(Locale.ROOT, "%.4f", test.loss()))
                .result("training time", Console.seconds(training.elapsed()) + " for " + training.epochs()
                        + (training.epochs() == 1 ? " epoch" : " epochs"))
                .curves(training, Metric.ACCURACY, "cross-entropy")
                .baseline(before)
                .note("Training loss and accuracy: the means over each epoch's mini-batches, measured while the"
                        + " parameters changed. Validation: after each epoch, on the "
                        + String.format(Locale.ROOT, "%,d", validation.size())
                        + " training images held out from training.")
                .confusion(test.confusionMatrix())
                .topology(net.summary())
                .setting("data", "MNIST, " + BundledData.MNIST_TRAIN + " and " + BundledData.MNIST_TEST
                        + ", read streaming from gzipped CSV in " + Console.seconds(loading))
                .setting("split (stratified, seed " + SPLIT_SEED + ")", String.format(Locale.ROOT,
                        "%,d train / %,d validation (from the training images) / %,d test", train.size(),
                        validation.size(), testRows.size()))
                .setting("scaling", "grey level / 255 (MinMaxScaler with the range 0..255)")
                .setting("network seed", NETWORK_SEED)
                .setting("optimizer", "SGD, learning rate " + LEARNING_RATE)
                .setting("batch size", BATCH_SIZE)
                .setting("epoch budget", epochs)
                .setting("threads", THREADS)
                .setting("kernels", net.vectorKernels() ? "Vector API (jdk.incubator.vector)" : "portable Java")
                .setting("trainer seed", TRAINING_SEED)
                .setting("stop reason", training.stopReason())
                .write(options.reportDirectory(), "mnist");
        out.println();
        out.println("report: " + report.toAbsolutePath().normalize());
        return new Result(net, training, before, train.size(), test, loading, report);
    }
}
