package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import dev.chainrule.data.Dataset;
import dev.chainrule.testing.LinearModel;
import dev.chainrule.testing.TinyMlp;
import org.junit.jupiter.api.Test;

/** {@link Trainer#threads(int)}: the same answer as one thread up to rounding, bit-repeatable per count. */
class ParallelTrainingTest {

    private static TrainingResult fit(LinearModel model, int threads, int batch) {
        return Trainer.of(model).learningRate(0.05).batchSize(batch).epochs(15).seed(5L).threads(threads)
                .shareEveryStep()
                .fit(TrainerTest.linearData(203, 9L));
    }

    @Test
    void sameThreadCountRepeatsBitForBit() {
        for (int threads : new int[] {2, 3, 4}) {
            LinearModel first = new LinearModel(3, 2, Precision.DOUBLE, 1L);
            LinearModel second = new LinearModel(3, 2, Precision.DOUBLE, 1L);
            TrainingResult a = fit(first, threads, 16);
            TrainingResult b = fit(second, threads, 16);
            assertArrayEquals(first.parameters(), second.parameters(), threads + " threads");
            assertArrayEquals(a.trainLoss(), b.trainLoss(), threads + " threads");
        }
    }

    @Test
    void threadsAgreeWithOneThreadUpToRounding() {
        LinearModel single = new LinearModel(3, 2, Precision.DOUBLE, 1L);
        TrainingResult one = fit(single, 1, 16);
        for (int threads : new int[] {2, 3, 5}) {
            LinearModel parallel = new LinearModel(3, 2, Precision.DOUBLE, 1L);
            TrainingResult many = fit(parallel, threads, 16);
            double[] expected = single.parameters();
            double[] actual = parallel.parameters();
            for (int k = 0; k < expected.length; k++) {
                assertEquals(expected[k], actual[k], 1e-12 * Math.max(1, Math.abs(expected[k])),
                        threads + " threads, parameter " + k);
            }
            for (int e = 0; e < one.epochs(); e++) {
                assertEquals(one.trainLoss()[e], many.trainLoss()[e], 1e-12 * one.trainLoss()[e],
                        threads + " threads, epoch " + (e + 1));
            }
        }
    }

    @Test
    void batchesSmallerThanTheThreadCountStillTrain() {
        // 203 rows in batches of 3 on 4 threads: every batch leaves a worker idle, the last has 2 rows.
        LinearModel single = new LinearModel(3, 2, Precision.DOUBLE, 1L);
        LinearModel parallel = new LinearModel(3, 2, Precision.DOUBLE, 1L);
        fit(single, 1, 3);
        fit(parallel, 4, 3);
        double[] expected = single.parameters();
        double[] actual = parallel.parameters();
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], actual[k], 1e-12 * Math.max(1, Math.abs(expected[k])), "parameter " + k);
        }
    }

    @Test
    void aFailingWorkerFailsTheFit() {
        LinearModel model = new LinearModel(3, 2, Precision.DOUBLE, 1L);
        model.lossCallsBeforeFailure = 7;
        Dataset data = TrainerTest.linearData(64, 2L);
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> Trainer.of(model).batchSize(8).epochs(3).threads(2).shareEveryStep().fit(data));
        assertTrue(String.valueOf(e.getMessage()).contains("scripted failure")
                || String.valueOf(e.getCause()).contains("scripted failure"), String.valueOf(e));
    }

    private static TrainingResult fit(LinearModel model, int threads, int batch, double maxNorm) {
        Trainer trainer = Trainer.of(model).learningRate(0.05).batchSize(batch).epochs(15).seed(5L).threads(threads)
                .shareEveryStep();
        if (maxNorm > 0) {
            trainer.clipGradientNorm(maxNorm);
        }
        return trainer.fit(TrainerTest.linearData(203, 9L));
    }

    /**
     * Workers that combine and update a slice each compute bit for bit what worker 0 alone
     * computes with scaleGradients, addGradients and applyGradients: a slice left out, done twice,
     * or an update counted other than once per batch would show.
     */
    @Test
    void combiningAndUpdatingInSlicesEqualsDoingItOnOneThread() {
        int batches = 15 * ((203 + 15) / 16);
        for (int threads : new int[] {2, 3, 5}) {
            LinearModel serial = new LinearModel(3, 2, Precision.FLOAT, 1L);
            serial.slicing = false;
            LinearModel sliced = new LinearModel(3, 2, Precision.FLOAT, 1L);
            TrainingResult a = fit(serial, threads, 16, 0);
            TrainingResult b = fit(sliced, threads, 16, 0);
            assertArrayEquals(serial.parameters(), sliced.parameters(), threads + " threads");
            assertArrayEquals(a.trainLoss(), b.trainLoss(), threads + " threads");
            assertEquals(0, serial.completedUpdates, threads + " threads: the serial runner updates in one piece");
            assertEquals(batches, serial.wholeUpdates, threads + " threads");
            assertEquals(batches, sliced.completedUpdates, threads + " threads: one completed update per batch");
            assertEquals(0, sliced.wholeUpdates, threads + " threads");
        }
    }

    /**
     * With clipping the slices' squared norms are summed in slice order: the same count of threads
     * repeats bit for bit, and agrees with clipping on one thread up to rounding.
     */
    @Test
    void clippedSlicesRepeatBitForBitAndAgreeWithOneThread() {
        LinearModel single = new LinearModel(3, 2, Precision.DOUBLE, 1L);
        fit(single, 1, 16, 0.05);
        LinearModel unclipped = new LinearModel(3, 2, Precision.DOUBLE, 1L);
        fit(unclipped, 1, 16, 0);
        assertTrue(Math.abs(single.parameters()[0] - unclipped.parameters()[0]) > 1e-3, "the bound clips");
        for (int threads : new int[] {2, 3}) {
            LinearModel first = new LinearModel(3, 2, Precision.DOUBLE, 1L);
            LinearModel second = new LinearModel(3, 2, Precision.DOUBLE, 1L);
            TrainingResult a = fit(first, threads, 16, 0.05);
            TrainingResult b = fit(second, threads, 16, 0.05);
            assertArrayEquals(first.parameters(), second.parameters(), threads + " threads");
            assertArrayEquals(a.trainLoss(), b.trainLoss(), threads + " threads");
            double[] expected = single.parameters();
            double[] actual = first.parameters();
            for (int k = 0; k < expected.length; k++) {
                assertEquals(expected[k], actual[k], 1e-12 * Math.max(1, Math.abs(expected[k])),
                        threads + " threads, parameter " + k);
            }
        }
    }

    /** A part that fails, on whichever worker, fails the fit (and leaves no worker waiting at the barrier). */
    @Test
    void aFailingPartFailsTheFitOnAnyWorker() {
        Dataset data = TrainerTest.linearData(64, 2L);
        for (int calls = 6; calls <= 11; calls++) {
            LinearModel model = new LinearModel(3, 2, Precision.DOUBLE, 1L);
            model.lossCallsBeforeFailure = calls;
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> Trainer.of(model).batchSize(9).epochs(3).threads(3).shareEveryStep().fit(data));
            assertTrue(String.valueOf(e.getMessage()).contains("scripted failure")
                    || String.valueOf(e.getCause()).contains("scripted failure"), String.valueOf(e));
        }
    }

    /** A slice whose update fails, on whichever worker, fails the fit. */
    @Test
    void aFailingSliceUpdateFailsTheFit() {
        Dataset data = TrainerTest.linearData(64, 2L);
        for (int calls = 4; calls <= 6; calls++) {
            LinearModel model = new LinearModel(3, 2, Precision.DOUBLE, 1L);
            model.sliceUpdatesBeforeFailure = calls;
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> Trainer.of(model).batchSize(8).epochs(3).threads(3).shareEveryStep().fit(data));
            assertTrue(String.valueOf(e.getMessage()).contains("scripted failure of slice")
                    || String.valueOf(e.getCause()).contains("scripted failure of slice"), String.valueOf(e));
        }
    }

    /**
     * A step without the sliced methods (written by hand, or generated by an older processor)
     * inherits defaults that throw, naming the method; the trainer then combines and updates on
     * worker 0 alone, as {@link #combiningAndUpdatingInSlicesEqualsDoingItOnOneThread} shows.
     */
    @Test
    void stepsWithoutSlicesAreCombinedOnOneThread() {
        TrainingStep plain = TinyMlp.classifier(Precision.DOUBLE, 1L).newTrainingStep(2);
        assertFalse(ParallelBatchRunner.worksInSlices(plain));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> plain.combineGradients(new TrainingStep[] {plain}, new double[] {1.0}, 0, 1));
        assertTrue(e.getMessage().contains("does not implement combineGradients(TrainingStep[], double[], int, int)"),
                e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> plain.scaleGradients(1.0, 0, 1));
        assertThrows(UnsupportedOperationException.class, () -> plain.applyGradients(0.1, 0, 1));
        assertThrows(UnsupportedOperationException.class, plain::completeUpdate);
        LinearModel model = new LinearModel(3, 2, Precision.DOUBLE, 1L);
        assertTrue(ParallelBatchRunner.worksInSlices(model.newTrainingStep(2)));
        model.slicing = false;
        assertFalse(ParallelBatchRunner.worksInSlices(model.newTrainingStep(2)));
    }

    @Test
    void stepsTooSmallToShareRunOnOneThread() {
        assertEquals(1, BatchRunner.workers(8, 16, 4, BatchRunner.MIN_FLOPS_PER_WORKER), "a tiny model");
        // 784-128-10 at batch 64: 39 MFLOP per step, enough for many workers
        assertEquals(2, BatchRunner.workers(101_770, 64, 2, BatchRunner.MIN_FLOPS_PER_WORKER));
        // 64-32-10 at batch 32: 0.45 MFLOP, shared by nobody
        assertEquals(1, BatchRunner.workers(2_410, 32, 2, BatchRunner.MIN_FLOPS_PER_WORKER));
        assertEquals(3, BatchRunner.workers(8, 3, 8, 1), "never more workers than rows");
    }

    @Test
    void rejectsBadThreadCounts() {
        LinearModel model = new LinearModel(1, 1, Precision.DOUBLE, 1L);
        assertThrows(IllegalArgumentException.class, () -> Trainer.of(model).threads(0));
        assertThrows(IllegalArgumentException.class, () -> Trainer.of(model).threads(257));
    }
}
