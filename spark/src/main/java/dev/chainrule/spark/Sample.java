package dev.chainrule.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One training row of a Spark {@code JavaRDD}: the features a network takes and the targets it
 * should give (one-hot rows for a classifier trained on categorical cross-entropy, the value for
 * a regression). A plain record of two arrays, so Spark ships it with its default serializer;
 * the network itself never travels.
 *
 * <p>The arrays are not copied: do not change them after handing the sample to Spark.
 *
 * @param features the inputs, one per {@code Model.inputSize()}
 * @param targets the expected outputs, one per {@code Model.outputSize()}
 */
public record Sample(double[] features, double[] targets) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Checks that neither array is null; their lengths are checked against the network by the trainer. */
    public Sample {
        Objects.requireNonNull(features, "features is null");
        Objects.requireNonNull(targets, "targets is null");
    }

    /**
     * A classifier's row: the features and a one-hot target of {@code classCount} values with a 1
     * at {@code label}.
     *
     * @throws IllegalArgumentException unless {@code 0 <= label < classCount}
     */
    public static Sample ofLabel(double[] features, int label, int classCount) {
        if (label < 0 || label >= classCount) {
            throw new IllegalArgumentException("label is " + label + ", must be in 0.." + (classCount - 1)
                    + " for " + classCount + " classes");
        }
        double[] targets = new double[classCount];
        targets[label] = 1.0;
        return new Sample(features, targets);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sample s && Arrays.equals(features, s.features) && Arrays.equals(targets, s.targets);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(features) + Arrays.hashCode(targets);
    }

    @Override
    public String toString() {
        return "Sample(" + Arrays.toString(features) + " -> " + Arrays.toString(targets) + ")";
    }
}
