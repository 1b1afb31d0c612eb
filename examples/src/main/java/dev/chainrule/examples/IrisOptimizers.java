package dev.chainrule.examples;

import dev.chainrule.Model;
import dev.chainrule.data.Dataset;
import dev.chainrule.data.Scaler;
import dev.chainrule.data.StandardScaler;
import dev.chainrule.train.Trainer;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Plain SGD against Adam on Fisher's iris: the same network ({@link Iris} and {@link IrisAdam}
 * differ only in {@code optimizer}), the same initial weights, the same batches and seeds; after
 * every epoch the accuracy on a held-out 30% is measured, and the example prints the first epoch
 * at which each reaches the accuracy SGD ends with after {@value #EPOCHS} epochs, and where each
 * ends. Not one of the launcher's examples: run its {@code main}, or {@code IrisOptimizersTest}.
 */
public final class IrisOptimizers {

    /** The epochs each optimizer trains for. */
    public static final int EPOCHS = 300;
    /** The share of the rows trained on (a seeded random split); the rest is held out. */
    public static final double TRAIN_FRACTION = 0.7;
    /** IrisExample's seeds and batch size. */
    private static final ExampleRun.Settings IRIS = IrisExample.SETTINGS;
    /** SGD's learning rate: IrisExample's. */
    public static final double SGD_LEARNING_RATE = IRIS.learningRate();
    /** Adam's learning rate: the usual 1e-2 for a small network (PyTorch's default is 1e-3). */
    public static final double ADAM_LEARNING_RATE = 0.01;

    private IrisOptimizers() {}

    /**
     * The outcome.
     *
     * @param target the held-out accuracy SGD ends with, which both are measured against
     * @param sgdEpochs the first epoch at which SGD's held-out accuracy reached the target
     * @param adamEpochs the first epoch at which Adam's did, or -1 if it never did
     * @param sgdAccuracy SGD's held-out accuracy after each epoch
     * @param adamAccuracy Adam's held-out accuracy after each epoch
     */
    public record Result(double target, int sgdEpochs, int adamEpochs, double[] sgdAccuracy, double[] adamAccuracy) {}

    public static void main(String[] args) {
        run(RunOptions.defaults(System.out));
    }

    /** Trains both networks and prints the comparison. */
    public static Result run(RunOptions options) {
        PrintStream out = options.out();
        int epochs = options.epochsOr(EPOCHS);
        Dataset iris = BundledData.iris();
        Dataset.Split split = iris.split(TRAIN_FRACTION, IRIS.splitSeed());
        Scaler scaler = StandardScaler.fit(split.train());
        Dataset train = scaler.transform(split.train());
        Dataset heldOut = scaler.transform(split.test());

        double[] sgdAccuracy = train(new IrisNetwork(IRIS.networkSeed()), SGD_LEARNING_RATE, epochs, train, heldOut);
        double[] adamAccuracy = train(new IrisAdamNetwork(IRIS.networkSeed()), ADAM_LEARNING_RATE, epochs, train,
                heldOut);

        double target = sgdAccuracy[epochs - 1];
        int sgdEpochs = firstReaching(sgdAccuracy, target);
        int adamEpochs = firstReaching(adamAccuracy, target);
        out.printf(Locale.ROOT, "Fisher's iris, %d training and %d held-out rows, batches of %d, %d epochs each,"
                + " the same initial weights%n", train.size(), heldOut.size(), IRIS.batchSize(), epochs);
        out.printf(Locale.ROOT, "held-out accuracy of SGD after %d epochs: %.1f%%%n", epochs, 100 * target);
        out.printf(Locale.ROOT, "  SGD  (learning rate %.2f) first reaches it after %3d epochs%n", SGD_LEARNING_RATE,
                sgdEpochs);
        out.printf(Locale.ROOT, "  Adam (learning rate %.2f) first reaches it after %3s epochs, and ends at %.1f%%%n",
                ADAM_LEARNING_RATE, adamEpochs < 0 ? "no" : Integer.toString(adamEpochs),
                100 * adamAccuracy[epochs - 1]);
        return new Result(target, sgdEpochs, adamEpochs, sgdAccuracy, adamAccuracy);
    }

    /** Trains for {@code epochs} epochs and returns the held-out accuracy after each. */
    private static double[] train(Model net, double learningRate, int epochs, Dataset train, Dataset heldOut) {
        double[] accuracy = new double[epochs];
        Trainer.of(net)
                .learningRate(learningRate)
                .batchSize(IRIS.batchSize())
                .epochs(epochs)
                .seed(IRIS.trainingSeed())
                .listener(event -> accuracy[event.epoch() - 1] = accuracy(net, heldOut))
                .fit(train);
        return accuracy;
    }

    static double accuracy(Model net, Dataset data) {
        int correct = 0;
        for (int row = 0; row < data.size(); row++) {
            if (net.predictClass(data.features(row)) == IrisExample.argmax(data.targets(row))) {
                correct++;
            }
        }
        return (double) correct / data.size();
    }

    /** The first epoch (from 1) whose accuracy reaches {@code target}, or -1. */
    static int firstReaching(double[] accuracy, double target) {
        for (int e = 0; e < accuracy.length; e++) {
            if (accuracy[e] >= target) {
                return e + 1;
            }
        }
        return -1;
    }
}
