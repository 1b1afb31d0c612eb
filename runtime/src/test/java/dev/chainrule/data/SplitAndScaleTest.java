package dev.chainrule.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.testing.ScriptedModel;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitAndScaleTest {

    /** {@code counts[c]} rows of class {@code c}, in class order; the single feature is the row id. */
    private static Dataset classes(int... counts) {
        int n = Arrays.stream(counts).sum();
        double[][] x = new double[n][];
        int[] labels = new int[n];
        int row = 0;
        for (int c = 0; c < counts.length; c++) {
            for (int i = 0; i < counts[c]; i++) {
                x[row] = new double[] {row};
                labels[row++] = c;
            }
        }
        List<String> names = new java.util.ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            names.add("class" + c);
        }
        return Dataset.ofLabels(x, labels, names);
    }

    private static int[] classCounts(Dataset d) {
        int[] counts = new int[d.targetCount() == 1 ? 2 : d.targetCount()];
        for (int r = 0; r < d.size(); r++) {
            double[] t = d.targets(r);
            if (t.length == 1) {
                counts[(int) t[0]]++;
            } else {
                for (int c = 0; c < t.length; c++) {
                    if (t[c] == 1.0) {
                        counts[c]++;
                    }
                }
            }
        }
        return counts;
    }

    private static Set<Integer> ids(Dataset d) {
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < d.size(); i++) {
            ids.add((int) d.features(i)[0]);
        }
        return ids;
    }

    private static void assertPartition(Dataset whole, Dataset... parts) {
        Set<Integer> seen = new HashSet<>();
        int total = 0;
        for (Dataset p : parts) {
            Set<Integer> ids = ids(p);
            assertEquals(p.size(), ids.size(), "a part repeats a row");
            for (int id : ids) {
                assertTrue(seen.add(id), "row " + id + " is in two parts");
            }
            total += p.size();
        }
        assertEquals(whole.size(), total);
        assertEquals(ids(whole), seen);
    }

    @Test
    void threeWaySplitIsSeededDisjointAndExtendsTheTwoWaySplit() {
        Dataset d = ScriptedModel.rows(20);
        Dataset.ThreeWaySplit s = d.split(0.6, 0.25, 3L);
        assertEquals(12, s.train().size());
        assertEquals(5, s.validation().size());
        assertEquals(3, s.test().size());
        assertPartition(d, s.train(), s.validation(), s.test());
        assertArrayEquals(s.train().featureArray(), d.split(0.6, 3L).train().featureArray());
        Dataset.ThreeWaySplit again = d.split(0.6, 0.25, 3L);
        assertArrayEquals(s.validation().featureArray(), again.validation().featureArray());
        assertArrayEquals(s.test().featureArray(), again.test().featureArray());
        assertFalse(Arrays.equals(s.test().featureArray(), d.split(0.6, 0.25, 4L).test().featureArray()));
    }

    @Test
    void threeWaySplitRejectsBadFractions() {
        Dataset d = ScriptedModel.rows(10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.split(0.6, 0.4, 1L));
        assertTrue(e.getMessage().contains("add up to 1 or more"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> d.split(0.9, 0.04, 1L));
        assertTrue(e.getMessage().contains("validation part empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> d.split(0.5, 0.46, 1L));
        assertTrue(e.getMessage().contains("test part empty"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.split(0.0, 0.5, 1L));
        assertThrows(IllegalArgumentException.class, () -> d.split(0.5, Double.NaN, 1L));
    }

    @Test
    void stratifiedSplitKeepsEachClassShare() {
        Dataset d = classes(50, 30, 20);
        Dataset.Split s = d.stratifiedSplit(0.7, 11L);
        assertArrayEquals(new int[] {35, 21, 14}, classCounts(s.train()));
        assertArrayEquals(new int[] {15, 9, 6}, classCounts(s.test()));
        assertPartition(d, s.train(), s.test());
        assertEquals(d.classNames(), s.train().classNames());
        assertEquals(d.classNames(), s.test().classNames());
        // the parts are shuffled: the classes are interleaved, not in blocks
        double[] firstTen = Arrays.copyOf(s.train().featureArray(), 10);
        assertFalse(Arrays.stream(firstTen).allMatch(id -> id < 50), Arrays.toString(firstTen));
        assertArrayEquals(s.train().featureArray(), d.stratifiedSplit(0.7, 11L).train().featureArray());
        assertFalse(Arrays.equals(s.train().featureArray(), d.stratifiedSplit(0.7, 12L).train().featureArray()));

        Dataset.ThreeWaySplit t = d.stratifiedSplit(0.6, 0.2, 5L);
        assertArrayEquals(new int[] {30, 18, 12}, classCounts(t.train()));
        assertArrayEquals(new int[] {10, 6, 4}, classCounts(t.validation()));
        assertArrayEquals(new int[] {10, 6, 4}, classCounts(t.test()));
        assertPartition(d, t.train(), t.validation(), t.test());
    }

    @Test
    void stratifiedSplitHandsOutRemaindersByLargestFraction() {
        // 0.5 × (5, 5, 3) = 2.5, 2.5, 1.5: T = round(6.5) = 7 (Math.round rounds half up);
        // floors 2 + 2 + 1 = 5, the two left go to the largest remainders, ties to the lower class.
        Dataset d = classes(5, 5, 3);
        assertArrayEquals(new int[] {3, 3, 1}, classCounts(d.stratifiedSplit(0.5, 1L).train()));
        // a rare class still reaches the test part: 0.8 × 2 = 1.6 gives 1 or 2, never all of it unless the total needs it
        Dataset rare = classes(97, 3);
        Dataset.Split s = rare.stratifiedSplit(0.8, 2L);
        assertEquals(80, s.train().size());
        assertArrayEquals(new int[] {78, 2}, classCounts(s.train()));
        assertArrayEquals(new int[] {19, 1}, classCounts(s.test()));
    }

    @Test
    void stratifiedSplitWorksOnBinaryTargetsAndRejectsNonClasses() {
        double[][] x = new double[10][];
        double[][] y = new double[10][];
        for (int i = 0; i < 10; i++) {
            x[i] = new double[] {i};
            y[i] = new double[] {i < 8 ? 0 : 1};
        }
        Dataset binary = Dataset.of(x, y);
        Dataset.Split s = binary.stratifiedSplit(0.5, 1L);
        assertArrayEquals(new int[] {4, 1}, classCounts(s.train()));
        assertArrayEquals(new int[] {4, 1}, classCounts(s.test()));

        y[3] = new double[] {0.5};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(x, y).stratifiedSplit(0.5, 1L));
        assertTrue(e.getMessage().contains("row 3 has targets [0.5]"), e.getMessage());
        IllegalArgumentException notOneHot = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(new double[][] {{0}, {1}}, new double[][] {{1, 1}, {0, 1}}).stratifiedSplit(0.5, 1L));
        assertTrue(notOneHot.getMessage().contains("row 0"), notOneHot.getMessage());
        assertThrows(IllegalArgumentException.class, () -> classes(1, 1).stratifiedSplit(0.1, 1L));
    }

    @Test
    void classNamesMustFitTheTargets() {
        assertThrows(IllegalArgumentException.class,
                () -> Dataset.ofLabels(new double[][] {{0}}, new int[] {0}, List.of("only")));
        assertThrows(IllegalArgumentException.class,
                () -> Dataset.ofLabels(new double[][] {{0}}, new int[] {0}, List.of("a", "a")));
        assertEquals(List.of(), Dataset.ofLabels(new double[][] {{0}}, new int[] {0}, 2).classNames());
    }

    // ---------------------------------------------------------------- scaling

    private static final Dataset TRAIN = Dataset.of(
            new double[][] {{1, 100, 5}, {3, 300, 5}, {5, 200, 5}, {7, 400, 5}},
            new double[][] {{0}, {1}, {0}, {1}});
    private static final Dataset TEST = Dataset.of(new double[][] {{9, 0, 6}}, new double[][] {{1}});

    @Test
    void standardScalerUsesTrainingMeanAndPopulationDeviation() {
        StandardScaler s = StandardScaler.fit(TRAIN);
        assertArrayEquals(new double[] {4, 250, 5}, s.means());
        // population deviation: sqrt(((−3)² + (−1)² + 1² + 3²) / 4) = sqrt(5); constant feature: 1
        assertArrayEquals(new double[] {Math.sqrt(5), Math.sqrt(12500), 1}, s.standardDeviations(), 1e-12);
        Dataset train = s.transform(TRAIN);
        double[] column0 = {train.features(0)[0], train.features(1)[0], train.features(2)[0], train.features(3)[0]};
        assertArrayEquals(new double[] {-3 / Math.sqrt(5), -1 / Math.sqrt(5), 1 / Math.sqrt(5), 3 / Math.sqrt(5)},
                column0, 1e-15);
        assertEquals(0.0, train.features(2)[2]);
        assertArrayEquals(TRAIN.targetArray(), train.targetArray());
        // applied to other data with the training statistics
        assertArrayEquals(new double[] {5 / Math.sqrt(5), -250 / Math.sqrt(12500), 1},
                s.transform(TEST).features(0), 1e-12);
        // one sample as in the dataset, bit for bit
        for (int r = 0; r < TRAIN.size(); r++) {
            assertArrayEquals(train.features(r), s.transform(TRAIN.features(r)));
        }
        double[] in = TEST.features(0);
        double[] copy = in.clone();
        s.transformInPlace(copy);
        assertArrayEquals(s.transform(in), copy);
        assertArrayEquals(TEST.features(0), in, "transform(double[]) must not change its argument");
    }

    @Test
    void minMaxScalerMapsTheTrainingRangeWithoutClipping() {
        MinMaxScaler s = MinMaxScaler.fit(TRAIN);
        Dataset train = s.transform(TRAIN);
        assertArrayEquals(new double[] {0, 0, 0}, train.features(0));
        assertArrayEquals(new double[] {1, 1, 0}, train.features(3));
        assertArrayEquals(new double[] {1.0 / 3, 2.0 / 3, 0}, train.features(1), 1e-15);
        assertArrayEquals(new double[] {4.0 / 3, -1.0 / 3, 1}, s.transform(TEST).features(0), 1e-15);

        MinMaxScaler symmetric = MinMaxScaler.fit(TRAIN, -1, 1);
        assertArrayEquals(new double[] {-1, -1, -1}, symmetric.transform(TRAIN).features(0));
        assertArrayEquals(new double[] {1, 1, -1}, symmetric.transform(TRAIN).features(3));
        assertEquals(-1, symmetric.low());
        assertEquals(1, symmetric.high());
        assertArrayEquals(new double[] {1, 100, 5}, symmetric.minimums());
        assertArrayEquals(new double[] {7, 400, 5}, symmetric.maximums());
    }

    @Test
    void scalersKeepNamesAndRejectTheWrongWidth() throws Exception {
        Dataset named = Dataset.fromCsv(new java.io.StringReader("a,b,c\n1,2,x\n3,4,y\n"), "s",
                CsvOption.classLabel("c"));
        Dataset scaled = StandardScaler.fit(named).transform(named);
        assertEquals(List.of("a", "b"), scaled.featureNames());
        assertEquals(List.of("x", "y"), scaled.classNames());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StandardScaler.fit(named).transform(TRAIN));
        assertEquals("the dataset has 3 features, but the scaler was fitted on 2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MinMaxScaler.fit(named).transform(new double[3]));
        assertThrows(IllegalArgumentException.class, () -> MinMaxScaler.fit(named, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> StandardScaler.of(new double[] {0}, new double[] {0}));
        assertThrows(IllegalArgumentException.class, () -> MinMaxScaler.of(new double[] {2}, new double[] {1}, 0, 1));
    }

    @Test
    void scalersAreImmutable() {
        double[] mean = {1, 2};
        double[] std = {3, 4};
        StandardScaler s = StandardScaler.of(mean, std);
        mean[0] = 100;
        s.means()[1] = 100;
        s.standardDeviations()[0] = 100;
        assertArrayEquals(new double[] {1, 2}, s.means());
        assertArrayEquals(new double[] {3, 4}, s.standardDeviations());
        assertEquals("StandardScaler(2 features)", s.toString());
    }

    @Test
    void featureMaxAbsLooksAtEveryRow() {
        Dataset d = Dataset.of(new double[][] {{1, -300}, {-2, 5}}, new double[][] {{0}, {0}});
        assertArrayEquals(new double[] {2, 300}, d.featureMaxAbs());
        d.featureMaxAbs()[0] = 99;
        assertArrayEquals(new double[] {2, 300}, d.featureMaxAbs());
    }
}
