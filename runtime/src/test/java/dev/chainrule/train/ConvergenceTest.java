package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConvergenceTest {

    @Test
    void lossBelowStopsStrictlyBelowTheThreshold() {
        StopCondition c = Convergence.lossBelow(0.01);
        assertNull(c.check(TrainingHistory.of(0.5, 0.2)));
        assertNull(c.check(TrainingHistory.of(0.5, 0.01)));
        assertEquals("training loss 0.00981 fell below 0.01 at epoch 3",
                c.check(TrainingHistory.of(0.5, 0.2, 0.00981)));
        assertNull(c.check(TrainingHistory.of(0.001, 0.2)), "only the latest epoch counts");
    }

    @Test
    void lossBelowRejectsNonFiniteThresholds() {
        assertThrows(IllegalArgumentException.class, () -> Convergence.lossBelow(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Convergence.lossBelow(Double.POSITIVE_INFINITY));
    }

    @Test
    void noSignificantImprovementWaitsForPatience() {
        StopCondition c = Convergence.noSignificantImprovement(0.01, 3);
        assertNull(c.check(TrainingHistory.of(1.0)));
        assertNull(c.check(TrainingHistory.of(1.0, 1.0, 1.0)), "never within the first `patience` epochs");
        assertTrue(c.check(TrainingHistory.of(1.0, 1.0, 1.0, 1.0)) != null);
    }

    @Test
    void noSignificantImprovementComparesRecentBestWithEarlierBest() {
        StopCondition c = Convergence.noSignificantImprovement(0.01, 3);
        // before = min(1.0, 0.9, 0.8) = 0.8; continuing needs a recent loss below 0.8 - 0.008 = 0.792
        assertNull(c.check(TrainingHistory.of(1.0, 0.9, 0.8, 0.79, 0.8, 0.8)));
        assertEquals("no significant improvement in the 3 epochs up to epoch 6: their best training loss, 0.795,"
                        + " did not improve on the earlier best 0.8 by 1%",
                c.check(TrainingHistory.of(1.0, 0.9, 0.8, 0.795, 0.8, 0.8)));
        assertTrue(c.check(TrainingHistory.of(1.0, 0.9, 0.8, 0.8, 0.8, 0.8)) != null);
        // a big improvement long ago does not count: only the window against everything before it
        assertNull(c.check(TrainingHistory.of(1.0, 0.5, 0.5, 0.5)));
        assertTrue(c.check(TrainingHistory.of(1.0, 0.5, 0.5, 0.5, 0.5)) != null);
        // getting worse stops too
        assertTrue(c.check(TrainingHistory.of(0.5, 0.6, 0.7, 0.8)) != null);
    }

    @Test
    void zeroMinimumImprovementStillNeedsAStrictImprovement() {
        StopCondition c = Convergence.noSignificantImprovement(0.0, 2);
        assertNull(c.check(TrainingHistory.of(1.0, 1.0, 0.999999)));
        assertTrue(c.check(TrainingHistory.of(1.0, 1.0, 1.0)) != null);
        assertTrue(c.check(TrainingHistory.of(0.0, 0.0, 0.0)) != null, "a loss stuck at zero stops");
        assertTrue(Convergence.noSignificantImprovement(0.0, 1).check(TrainingHistory.of(2, 2)).contains("in epoch 2: its best training loss, 2,"));
    }

    @Test
    void noSignificantImprovementRejectsBadArguments() {
        for (double bad : new double[] {-0.01, 1.0, 2.0, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> Convergence.noSignificantImprovement(bad, 5));
        }
        assertThrows(IllegalArgumentException.class, () -> Convergence.noSignificantImprovement(0.01, 0));
    }

    @Test
    void orTakesTheFirstReason() {
        StopCondition a = h -> h.epochs() >= 2 ? "a" : null;
        StopCondition b = h -> h.epochs() >= 1 ? "b" : null;
        assertEquals("b", a.or(b).check(TrainingHistory.of(1)));
        assertEquals("a", a.or(b).check(TrainingHistory.of(1, 1)));
        assertNull(a.or(h -> null).check(TrainingHistory.of(1)));
        assertThrows(NullPointerException.class, () -> a.or(null));
    }

    @Test
    void scriptedHistoryIsNumberedFromOne() {
        double[] losses = {3, 1, 2};
        TrainingHistory h = TrainingHistory.of(losses);
        losses[0] = 100;
        assertEquals(3, h.epochs());
        assertEquals(3.0, h.trainLoss(1));
        assertEquals(2.0, h.trainLoss(3));
        assertEquals(2.0, h.lastTrainLoss());
        assertEquals(3.0, h.bestTrainLoss(1));
        assertEquals(1.0, h.bestTrainLoss(3));
        assertArrayEquals(new double[] {3, 1, 2}, h.trainLosses());
        h.trainLosses()[0] = 7;
        assertEquals(3.0, h.trainLoss(1));
        assertThrows(IndexOutOfBoundsException.class, () -> h.trainLoss(0));
        assertThrows(IndexOutOfBoundsException.class, () -> h.trainLoss(4));
        assertThrows(IndexOutOfBoundsException.class, () -> h.bestTrainLoss(4));
        assertThrows(IllegalStateException.class, () -> TrainingHistory.of().lastTrainLoss());
    }
}
