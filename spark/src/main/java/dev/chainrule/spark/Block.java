package dev.chainrule.spark;

import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;

/**
 * The rows of one partition in flat row-major arrays, in the network's precision: what the
 * trainer caches on the executors, one object per partition, so a step loads samples without
 * touching a Spark row or a per-row object. Built once per {@code fit}; a row that does not fit
 * the network is recorded (not thrown), so that the driver can report it without Spark
 * retrying a task that can never succeed.
 */
final class Block implements Serializable {

    private static final long serialVersionUID = 1L;

    final int partition;
    final int rows;
    final int inputs;
    final int outputs;
    /** The rows in the network's precision: either the float or the double pair is non-null. */
    private final float[] floatFeatures;
    private final float[] floatTargets;
    private final double[] doubleFeatures;
    private final double[] doubleTargets;
    /** The first row that does not fit the network, in words, or null. */
    final String problem;

    private Block(int partition, int rows, int inputs, int outputs, float[] floatFeatures, float[] floatTargets,
            double[] doubleFeatures, double[] doubleTargets, String problem) {
        this.partition = partition;
        this.rows = rows;
        this.inputs = inputs;
        this.outputs = outputs;
        this.floatFeatures = floatFeatures;
        this.floatTargets = floatTargets;
        this.doubleFeatures = doubleFeatures;
        this.doubleTargets = doubleTargets;
        this.problem = problem;
    }

    /**
     * Collects a partition's samples, checking each against the network's sizes. FLOAT networks
     * get the values rounded to float once here, as the local trainer's
     * {@code Dataset.prepare(FLOAT)} copy does, so both trainers feed identical inputs.
     */
    static Block of(int partition, Iterator<Sample> samples, int inputs, int outputs, Precision precision) {
        double[] x = new double[Math.max(16, inputs * 16)];
        double[] y = new double[Math.max(16, outputs * 16)];
        int rows = 0;
        while (samples.hasNext()) {
            Sample s;
            try {
                s = samples.next();
            } catch (Rows.BadRow bad) {
                return new Block(partition, rows, inputs, outputs, null, null, null, null,
                        "row " + rows + " of partition " + partition + " " + bad.getMessage());
            }
            String problem = s == null ? "is null"
                    : s.features().length != inputs ? "has " + s.features().length + " features, but the network takes "
                            + inputs + " inputs"
                    : s.targets().length != outputs ? "has " + s.targets().length + " targets, but the network gives "
                            + outputs + " outputs"
                    : nonFinite(s.features(), "feature") != null ? nonFinite(s.features(), "feature")
                    : nonFinite(s.targets(), "target");
            if (problem != null) {
                return new Block(partition, rows, inputs, outputs, null, null, null, null,
                        "row " + rows + " of partition " + partition + " " + problem);
            }
            if ((rows + 1) * inputs > x.length) {
                x = Arrays.copyOf(x, Math.max((rows + 1) * inputs, 2 * x.length));
            }
            if ((rows + 1) * outputs > y.length) {
                y = Arrays.copyOf(y, Math.max((rows + 1) * outputs, 2 * y.length));
            }
            System.arraycopy(s.features(), 0, x, rows * inputs, inputs);
            System.arraycopy(s.targets(), 0, y, rows * outputs, outputs);
            rows++;
        }
        if (precision == Precision.FLOAT) {
            return new Block(partition, rows, inputs, outputs, toFloat(x, rows * inputs), toFloat(y, rows * outputs),
                    null, null, null);
        }
        return new Block(partition, rows, inputs, outputs, null, null, Arrays.copyOf(x, rows * inputs),
                Arrays.copyOf(y, rows * outputs), null);
    }

    /** Names the first NaN or infinite value, or returns null. */
    private static String nonFinite(double[] values, String what) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                return "has " + what + " " + i + " = " + values[i] + ", but every value must be finite";
            }
        }
        return null;
    }

    private static float[] toFloat(double[] values, int count) {
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    /** Loads local row {@code row} into a slot of {@code step}. */
    void load(TrainingStep step, int slot, int row) {
        if (floatFeatures != null) {
            step.load(slot, floatFeatures, row * inputs, floatTargets, row * outputs);
        } else {
            step.load(slot, doubleFeatures, row * inputs, doubleTargets, row * outputs);
        }
    }
}
