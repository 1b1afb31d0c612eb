package dev.chainrule.testing;

import dev.chainrule.Layer;
import dev.chainrule.Loss;
import dev.chainrule.Model;
import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * A test double that records what the trainer feeds it. One input, one output; a row's single
 * feature is taken as its id, so {@link #batches} shows which rows each step saw. Each
 * {@code computeGradients} returns the next scripted loss (1.0 once the script runs out).
 */
public final class ScriptedModel implements Model {

    private final Precision precision;
    private final double[] losses;
    private int next;

    /** The row ids of each step's batch, in order. */
    public final List<int[]> batches = new ArrayList<>();
    /** The learning rate of each {@code applyGradients} call. */
    public final List<Double> applied = new ArrayList<>();
    /** The {@code maxBatchSize} of every step created. */
    public final List<Integer> stepSizes = new ArrayList<>();
    public int floatLoads;
    public int doubleLoads;
    /** Called with the 1-based step number at the start of each {@code computeGradients}. */
    public IntConsumer onStep = step -> {};
    /** What {@code gradientSquaredNorm} returns: set it to NaN to script a diverged gradient. */
    public double squaredGradientNorm;

    public ScriptedModel(Precision precision, double... losses) {
        this.precision = precision;
        this.losses = losses.clone();
    }

    /** The row ids of steps {@code fromStep..toStep-1} (0-based), concatenated: the order the rows were visited. */
    public int[] visitedRows(int fromStep, int toStep) {
        return batches.subList(fromStep, toStep).stream().flatMapToInt(Arrays::stream).toArray();
    }

    @Override
    public int inputSize() {
        return 1;
    }

    @Override
    public int outputSize() {
        return 1;
    }

    @Override
    public int parameterCount() {
        return 1;
    }

    @Override
    public Precision precision() {
        return precision;
    }

    @Override
    public Loss loss() {
        return Loss.MEAN_SQUARED_ERROR;
    }

    @Override
    public List<Layer> layers() {
        return List.of();
    }

    @Override
    public void predictInto(double[] input, double[] output) {
        output[0] = 0.0;
    }

    @Override
    public double[] parameters() {
        return new double[1];
    }

    @Override
    public void setParameters(double[] parameters) {}

    @Override
    public Model copy() {
        return new ScriptedModel(precision, losses);
    }

    @Override
    public TrainingStep newTrainingStep(int maxBatchSize) {
        stepSizes.add(maxBatchSize);
        return new TrainingStep() {
            final int[] rows = new int[maxBatchSize];

            @Override
            public int maxBatchSize() {
                return maxBatchSize;
            }

            @Override
            public void load(int slot, float[] f, int fo, float[] t, int to) {
                floatLoads++;
                rows[slot] = (int) f[fo];
            }

            @Override
            public void load(int slot, double[] f, int fo, double[] t, int to) {
                doubleLoads++;
                rows[slot] = (int) f[fo];
            }

            @Override
            public void loadInput(int slot, double[] f, int fo) {
                rows[slot] = (int) f[fo];
            }

            @Override
            public void forward(int batchSize) {}

            @Override
            public double loss(int batchSize) {
                return 1.0;
            }

            @Override
            public double computeGradients(int batchSize) {
                if (batchSize < 1 || batchSize > maxBatchSize) {
                    throw new IllegalArgumentException("batch size " + batchSize);
                }
                onStep.accept(batches.size() + 1);
                batches.add(Arrays.copyOf(rows, batchSize));
                return next < losses.length ? losses[next++] : 1.0;
            }

            @Override
            public void applyGradients(double learningRate) {
                applied.add(learningRate);
            }

            @Override
            public void scaleGradients(double factor) {}

            @Override
            public void addGradients(TrainingStep other, double factor) {}

            @Override
            public void setUpdateSettings(dev.chainrule.UpdateSettings settings) {}

            @Override
            public void setDropout(boolean enabled, long seed) {}

            @Override
            public double gradientSquaredNorm() {
                return squaredGradientNorm;
            }

            @Override
            public void gradients(double[] out) {
                out[0] = 0.0;
            }

            @Override
            public void output(int slot, double[] out) {
                out[0] = 0.0;
            }
        };
    }

    /** A dataset of {@code n} rows whose single feature is the row's id. */
    public static dev.chainrule.data.Dataset rows(int n) {
        double[][] x = new double[n][];
        double[][] y = new double[n][];
        for (int i = 0; i < n; i++) {
            x[i] = new double[] {i};
            y[i] = new double[] {0.0};
        }
        return dev.chainrule.data.Dataset.of(x, y);
    }
}
