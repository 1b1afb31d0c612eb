package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.data.Dataset;
import dev.chainrule.data.Scaler;
import dev.chainrule.data.StandardScaler;
import dev.chainrule.metrics.Evaluation;
import dev.chainrule.train.Convergence;
import dev.chainrule.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * The walking skeleton's bar, kept apart from the example's own three-way split: the Iris
 * network reaches at least 95% accuracy on a held-out 30% test split with fixed seeds (the
 * features standardised on the training part only).
 */
class IrisAcceptanceTest {

    @Test
    void reachesNinetyFivePercentOnAHeldOutThirtyPercent() {
        Dataset.Split split = BundledData.iris().split(0.7, 7L);
        Scaler scaler = StandardScaler.fit(split.train());
        IrisNetwork net = new IrisNetwork(42L);
        Trainer.of(net)
                .learningRate(0.1).batchSize(16).epochs(500).seed(7L)
                .stopWhen(Convergence.noSignificantImprovement(0.001, 20))
                .fit(scaler.transform(split.train()));
        Evaluation test = Evaluation.of(net, scaler.transform(split.test()));
        assertTrue(split.test().size() == 45, "30% of 150 rows: " + split.test().size());
        assertTrue(test.accuracy() >= 0.95, "test accuracy " + test.accuracy() + "\n" + test);
        System.out.println("IrisAcceptanceTest: test accuracy " + test.accuracy() + " on " + split.test().size() + " rows");
    }
}
