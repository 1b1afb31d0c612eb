package dev.chainrule.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import dev.chainrule.testing.ScriptedModel;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

class DatasetTest {

    private static Dataset ids(int n) {
        return ScriptedModel.rows(n);
    }

    private static Set<Integer> rowIds(Dataset d) {
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < d.size(); i++) {
            ids.add((int) d.features(i)[0]);
        }
        return ids;
    }

    @Test
    void storesRowsFlatAndRowMajor() {
        Dataset d = Dataset.of(new double[][] {{1, 2}, {3, 4}, {5, 6}}, new double[][] {{7}, {8}, {9}});
        assertEquals(3, d.size());
        assertEquals(2, d.featureCount());
        assertEquals(1, d.targetCount());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, d.featureArray());
        assertArrayEquals(new double[] {7, 8, 9}, d.targetArray());
        assertArrayEquals(new double[] {3, 4}, d.features(1));
        assertArrayEquals(new double[] {9}, d.targets(2));
    }

    @Test
    void copiesInOnTheWayInAndOut() {
        double[][] x = {{1, 2}};
        double[][] y = {{3}};
        Dataset d = Dataset.of(x, y);
        x[0][0] = 100;
        y[0][0] = 100;
        d.features(0)[1] = 100;
        d.targets(0)[0] = 100;
        assertArrayEquals(new double[] {1, 2}, d.features(0));
        assertArrayEquals(new double[] {3}, d.targets(0));
    }

    @Test
    void rowAccessorsCheckTheIndex() {
        Dataset d = ids(3);
        assertThrows(IndexOutOfBoundsException.class, () -> d.features(3));
        assertThrows(IndexOutOfBoundsException.class, () -> d.targets(-1));
    }

    @Test
    void rejectsAnEmptyDataset() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(new double[0][], new double[0][]));
        assertTrue(e.getMessage().contains("at least one row"), e.getMessage());
    }

    @Test
    void rejectsDifferentRowCounts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(new double[][] {{1}, {2}, {3}}, new double[][] {{1}, {2}}));
        assertTrue(e.getMessage().contains("features has 3 rows"), e.getMessage());
        assertTrue(e.getMessage().contains("targets has 2"), e.getMessage());
    }

    @Test
    void raggedRowsNameTheRowAndBothWidths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(new double[][] {{1, 2}, {3, 4}, {5, 6, 7}}, new double[][] {{1}, {2}, {3}}));
        assertEquals("features row 2 has 3 values, expected 2 (the width of row 0)", e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(new double[][] {{1}, {2}}, new double[][] {{1, 2}, {3}}));
        assertEquals("targets row 1 has 1 values, expected 2 (the width of row 0)", e.getMessage());
    }

    @Test
    void rejectsNullAndEmptyRows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(new double[][] {{1}, null}, new double[][] {{1}, {2}}));
        assertTrue(e.getMessage().contains("features row 1 is null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(new double[][] {{}, {}}, new double[][] {{1}, {2}}));
        assertTrue(e.getMessage().contains("features row 0 is empty"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Dataset.of(null, new double[][] {{1}}));
    }

    @Test
    void nonFiniteValuesNameRowAndColumn() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(new double[][] {{1, 2}, {3, Double.NaN}}, new double[][] {{1}, {2}}));
        assertTrue(e.getMessage().contains("features row 1, column 1 is NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(new double[][] {{1}, {2}}, new double[][] {{Double.NEGATIVE_INFINITY}, {2}}));
        assertTrue(e.getMessage().contains("targets row 0, column 0 is -Infinity"), e.getMessage());
    }

    @Test
    void labelsBecomeOneHotTargets() {
        Dataset d = Dataset.ofLabels(new double[][] {{0.5}, {1.5}, {2.5}}, new int[] {2, 0, 1}, 3);
        assertEquals(3, d.targetCount());
        assertArrayEquals(new double[] {0, 0, 1, 1, 0, 0, 0, 1, 0}, d.targetArray());
        assertArrayEquals(new double[] {1.5}, d.features(1));
    }

    @Test
    void labelOutOfRangeNamesTheRow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.ofLabels(new double[][] {{0}, {1}, {2}}, new int[] {0, 1, 3}, 3));
        assertEquals("label 3 of row 2 is outside 0..2 (classCount 3)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.ofLabels(new double[][] {{0}, {1}}, new int[] {-1, 1}, 2));
        assertTrue(e.getMessage().contains("row 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Dataset.ofLabels(new double[][] {{0}, {1}}, new int[] {0}, 2));
        assertThrows(IllegalArgumentException.class,
                () -> Dataset.ofLabels(new double[][] {{0}}, new int[] {0}, 0));
    }

    @Test
    void splitIsDeterministicDisjointAndCovering() {
        Dataset d = ids(10);
        Dataset.Split a = d.split(0.7, 42L);
        Dataset.Split b = d.split(0.7, 42L);
        assertEquals(7, a.train().size());
        assertEquals(3, a.test().size());
        assertArrayEquals(a.train().featureArray(), b.train().featureArray());
        assertArrayEquals(a.test().featureArray(), b.test().featureArray());

        Set<Integer> train = rowIds(a.train());
        Set<Integer> test = rowIds(a.test());
        assertEquals(7, train.size());
        assertEquals(3, test.size());
        train.retainAll(test);
        assertTrue(train.isEmpty(), "train and test share rows " + train);
        Set<Integer> all = rowIds(a.train());
        all.addAll(test);
        assertEquals(rowIds(d), all);
    }

    @Test
    void splitFollowsTheDocumentedShuffle() {
        Dataset d = ids(20);
        SplittableRandom random = new SplittableRandom(5L);
        int[] order = new int[20];
        for (int i = 0; i < 20; i++) {
            order[i] = i;
        }
        for (int i = 19; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        Dataset.Split s = d.split(0.75, 5L);
        double[] expectedTrain = Arrays.stream(order, 0, 15).asDoubleStream().toArray();
        double[] expectedTest = Arrays.stream(order, 15, 20).asDoubleStream().toArray();
        assertArrayEquals(expectedTrain, s.train().featureArray());
        assertArrayEquals(expectedTest, s.test().featureArray());
    }

    @Test
    void differentSeedsGiveDifferentSplits() {
        Dataset d = ids(50);
        assertFalse(Arrays.equals(d.split(0.5, 1L).train().featureArray(), d.split(0.5, 2L).train().featureArray()));
    }

    @Test
    void splitRejectsBadFractionsAndEmptyParts() {
        Dataset d = ids(10);
        for (double f : new double[] {0.0, 1.0, -0.5, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.split(f, 1L));
            assertTrue(e.getMessage().contains("strictly between 0 and 1"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.split(0.01, 1L));
        assertTrue(e.getMessage().contains("training part empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> d.split(0.99, 1L));
        assertTrue(e.getMessage().contains("test part empty"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ids(1).split(0.5, 1L));
    }

    @Test
    void subsetAndShuffled() {
        Dataset d = Dataset.of(new double[][] {{0, 0}, {1, 10}, {2, 20}}, new double[][] {{0}, {1}, {2}});
        Dataset s = d.subset(new int[] {2, 0, 2});
        assertArrayEquals(new double[] {2, 20, 0, 0, 2, 20}, s.featureArray());
        assertArrayEquals(new double[] {2, 0, 2}, s.targetArray());
        assertThrows(IndexOutOfBoundsException.class, () -> d.subset(new int[] {3}));
        assertThrows(IllegalArgumentException.class, () -> d.subset(new int[0]));

        Dataset big = ids(30);
        Dataset shuffled = big.shuffled(9L);
        assertEquals(rowIds(big), rowIds(shuffled));
        assertArrayEquals(shuffled.featureArray(), big.shuffled(9L).featureArray());
        assertNotEquals(Arrays.toString(big.featureArray()), Arrays.toString(shuffled.featureArray()));
    }

    @Test
    void floatCopyIsMadeOnceAndMatchesTheDoubles() {
        Dataset d = Dataset.of(new double[][] {{0.1, 1e-3}, {1.0 / 3, -7}}, new double[][] {{0.2}, {2.0 / 3}});
        float[] f = d.floatFeatureArray();
        float[] t = d.floatTargetArray();
        assertArrayEquals(new float[] {0.1f, 1e-3f, (float) (1.0 / 3), -7f}, f);
        assertArrayEquals(new float[] {0.2f, (float) (2.0 / 3)}, t);
        assertSame(f, d.floatFeatureArray());
        assertSame(t, d.floatTargetArray());
    }

    @Test
    void floatCopyIsCreatedOnceUnderConcurrency() throws Exception {
        for (int round = 0; round < 20; round++) {
            Dataset d = ids(1000);
            int threads = 8;
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<float[]>> futures = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    Callable<float[]> task = () -> {
                        go.await();
                        return d.floatFeatureArray();
                    };
                    futures.add(pool.submit(task));
                }
                go.countDown();
                float[] first = futures.get(0).get();
                for (Future<float[]> f : futures) {
                    assertSame(first, f.get());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void valuesTooLargeForFloatAreReportedWhenTheCopyIsMade() {
        Dataset d = Dataset.of(new double[][] {{1}, {1e39}}, new double[][] {{0}, {0}});
        d.prepare(Precision.DOUBLE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.prepare(Precision.FLOAT));
        assertTrue(e.getMessage().contains("features row 1, column 0"), e.getMessage());
    }

    @Test
    void loadIntoUsesTheOverloadOfThePrecision() {
        Dataset d = Dataset.of(new double[][] {{1, 2}, {3, 4}}, new double[][] {{5}, {6}});
        List<String> calls = new ArrayList<>();
        TrainingStep step = new RecordingStep(calls);
        d.loadInto(step, 0, 1, Precision.FLOAT);
        d.loadInto(step, 1, 0, Precision.DOUBLE);
        assertEquals(List.of("float slot 0: 3.0 4.0 -> 6.0", "double slot 1: 1.0 2.0 -> 5.0"), calls);
        assertThrows(IndexOutOfBoundsException.class, () -> d.loadInto(step, 0, 2, Precision.DOUBLE));
    }

    @Test
    void describesItsShape() {
        assertEquals("Dataset(3 rows, 2 features, 1 target)",
                Dataset.of(new double[][] {{1, 2}, {3, 4}, {5, 6}}, new double[][] {{7}, {8}, {9}}).toString());
        assertEquals("Dataset(1 row, 1 feature, 3 targets)",
                Dataset.ofLabels(new double[][] {{1}}, new int[] {0}, 3).toString());
    }

    /** Records each load as text: which overload, the slot, and the values read at the offsets. */
    private static final class RecordingStep implements TrainingStep {
        private final List<String> calls;

        RecordingStep(List<String> calls) {
            this.calls = calls;
        }

        @Override
        public int maxBatchSize() {
            return 2;
        }

        @Override
        public void load(int slot, float[] f, int fo, float[] t, int to) {
            calls.add("float slot " + slot + ": " + (double) f[fo] + " " + (double) f[fo + 1] + " -> " + (double) t[to]);
        }

        @Override
        public void load(int slot, double[] f, int fo, double[] t, int to) {
            calls.add("double slot " + slot + ": " + f[fo] + " " + f[fo + 1] + " -> " + t[to]);
        }

        @Override
        public void loadInput(int slot, double[] f, int fo) {
            throw new AssertionError();
        }

        @Override
        public void forward(int batchSize) {
            throw new AssertionError();
        }

        @Override
        public double loss(int batchSize) {
            throw new AssertionError();
        }

        @Override
        public double computeGradients(int batchSize) {
            throw new AssertionError();
        }

        @Override
        public void applyGradients(double learningRate) {
            throw new AssertionError();
        }

        @Override
        public void scaleGradients(double factor) {
            throw new AssertionError();
        }

        @Override
        public void addGradients(TrainingStep other, double factor) {
            throw new AssertionError();
        }

        @Override
        public void setUpdateSettings(dev.chainrule.UpdateSettings settings) {
            throw new AssertionError();
        }

        @Override
        public void setDropout(boolean enabled, long seed) {}

        @Override
        public double gradientSquaredNorm() {
            throw new AssertionError();
        }

        @Override
        public void gradients(double[] out) {
            throw new AssertionError();
        }

        @Override
        public void output(int slot, double[] out) {
            throw new AssertionError();
        }
    }
}
