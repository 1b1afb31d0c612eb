package dev.chainrule.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Which of a partition's rows each mini-batch of one epoch takes, in which order: the rows of
 * batch {@code b} are {@code order[start[b]] .. order[start[b + 1] - 1]} (local row numbers of
 * the {@link Block}). Made once per epoch and cached beside the block, so a step's task finds
 * its rows without scanning the partition.
 */
final class EpochPlan implements Serializable {

    private static final long serialVersionUID = 1L;

    final Block block;
    final int[] order;
    final int[] start;

    private EpochPlan(Block block, int[] order, int[] start) {
        this.block = block;
        this.order = order;
        this.start = start;
    }

    /** The number of batches the plan has (some may be empty in this partition). */
    int batches() {
        return start.length - 1;
    }

    /** The rows of batch {@code b} in this partition. */
    int size(int b) {
        return start[b + 1] - start[b];
    }

    /**
     * The synchronous plan: the epoch's global order is the local trainer's (a permutation of
     * every row; {@code position[row]} is where global row {@code row} comes in it), cut into
     * batches of {@code batchSize}. This partition's rows of each batch are listed in the order
     * they come in the global order, as the local trainer loads them into its step's slots.
     *
     * @param firstRow the global number of this partition's first row
     * @param rows the number of rows of the whole dataset
     */
    static EpochPlan synchronous(Block block, long firstRow, int[] position, int rows, int batchSize) {
        int m = block.rows;
        long[] keyed = new long[m];
        for (int r = 0; r < m; r++) {
            keyed[r] = ((long) position[(int) (firstRow + r)] << 32) | r;
        }
        Arrays.sort(keyed); // by position in the global order
        int batches = (rows + batchSize - 1) / batchSize;
        int[] order = new int[m];
        int[] start = new int[batches + 1];
        for (int i = 0; i < m; i++) {
            order[i] = (int) keyed[i];
            int batch = (int) (keyed[i] >>> 32) / batchSize;
            start[batch + 1]++;
        }
        for (int b = 0; b < batches; b++) {
            start[b + 1] += start[b];
        }
        return new EpochPlan(block, order, start);
    }

    /**
     * The parameter-averaging plan: the partition visits its own rows in a fresh seeded order each
     * epoch (a Fisher–Yates shuffle as the local trainer's, driven by a stream derived from the
     * epoch's seed and the partition), in local batches of {@code batchSize}.
     */
    static EpochPlan local(Block block, long epochSeed, boolean shuffle, int batchSize) {
        int m = block.rows;
        int[] order = new int[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        if (shuffle) {
            SplittableRandom random = new SplittableRandom(SparkTrainer.mix(epochSeed + block.partition * SparkTrainer.GOLDEN));
            for (int i = m - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        int batches = (m + batchSize - 1) / batchSize;
        int[] start = new int[batches + 1];
        for (int b = 0; b <= batches; b++) {
            start[b] = Math.min(m, b * batchSize);
        }
        return new EpochPlan(block, order, start);
    }
}
