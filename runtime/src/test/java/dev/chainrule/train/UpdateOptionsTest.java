package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Optimizer;
import dev.chainrule.Precision;
import dev.chainrule.TrainingStep;
import dev.chainrule.UpdateSettings;
import dev.chainrule.data.Dataset;
import dev.chainrule.io.ModelFile;
import dev.chainrule.testing.MomentumMlp;
import dev.chainrule.testing.TinyMlp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer's update-rule options: settings, clipping by global norm, and resuming a stateful rule. */
class UpdateOptionsTest {

    @TempDir
    Path dir;

    @Test
    void settingsReachTheStepsAndTheShortcutsChangeOneValueEach() {
        Dataset data = CheckpointTest.twoClasses();
        MomentumMlp net = new MomentumMlp(TinyMlp.classifier(Precision.DOUBLE, 1L));
        Trainer trainer = Trainer.of(net).epochs(1);
        assertEquals(UpdateSettings.defaults(Optimizer.MOMENTUM), trainer.updateSettings());
        trainer.fit(data);
        assertEquals(UpdateSettings.defaults(Optimizer.MOMENTUM), net.lastSettings, "defaults when nothing is set");

        trainer.momentum(0.5).betas(0.8, 0.9).epsilon(1e-3).weightDecay(0.01).fit(data);
        UpdateSettings expected = UpdateSettings.defaults(Optimizer.MOMENTUM).withMomentum(0.5).withBetas(0.8, 0.9)
                .withEpsilon(1e-3).withWeightDecay(0.01);
        assertEquals(expected, net.lastSettings);
        UpdateSettings rprop = UpdateSettings.defaults(Optimizer.RPROP).withRpropEtas(0.3, 1.1);
        trainer.updateSettings(rprop).fit(data);
        assertEquals(rprop, net.lastSettings);

        assertThrows(IllegalArgumentException.class, () -> trainer.momentum(-0.1));
        assertThrows(IllegalArgumentException.class, () -> trainer.betas(0.9, 1.0));
        assertThrows(IllegalArgumentException.class, () -> trainer.epsilon(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> trainer.weightDecay(-1));
        assertThrows(NullPointerException.class, () -> trainer.updateSettings(null));
        assertEquals(rprop, trainer.updateSettings(), "a rejected value changes nothing");
    }

    @Test
    void aSettingTheNetworksRuleDoesNotReadIsWarnedAbout() {
        Dataset data = CheckpointTest.twoClasses();
        MomentumMlp net = new MomentumMlp(TinyMlp.classifier(Precision.DOUBLE, 1L));
        try (dev.chainrule.testing.LogCapture log = dev.chainrule.testing.LogCapture.of(Trainer.class.getName())) {
            Trainer.of(net).epochs(1).momentum(0.5).weightDecay(1e-3).fit(data);
            assertEquals(java.util.List.of(), log.warnings(), "momentum and weight decay are MOMENTUM's");
            Trainer.of(net).epochs(1).betas(0.8, 0.9).epsilon(1e-3).fit(data);
            assertEquals(1, log.warnings().size(), log.warnings().toString());
            assertTrue(log.warnings().get(0).contains("change betas, epsilon, which the network's update rule MOMENTUM"
                    + " does not use"), log.warnings().get(0));
        }
        UpdateSettings d = UpdateSettings.defaults(Optimizer.ADAM);
        assertEquals(java.util.List.of(), Trainer.unusedSettings(d, Optimizer.ADAM));
        assertEquals(java.util.List.of("momentum"), Trainer.unusedSettings(d.withMomentum(0.5), Optimizer.ADAM));
        assertEquals(java.util.List.of("betas", "epsilon", "rmspropAlpha"), Trainer.unusedSettings(
                d.withBetas(0.5, 0.5).withEpsilon(1e-3).withRmspropAlpha(0.5), Optimizer.RPROP));
        assertEquals(java.util.List.of("Rprop's etas and step sizes"),
                Trainer.unusedSettings(d.withRpropStepSizes(0, 1), Optimizer.SGD));
        assertEquals(java.util.List.of(), Trainer.unusedSettings(d.withEpsilon(1e-3).withRmspropAlpha(0.5),
                Optimizer.RMSPROP));
    }

    /** One batch of all rows, no shuffle: the trainer's step is the step computed here by hand. */
    @Test
    void clippingScalesALongGradientToTheLargestNorm() {
        Dataset data = CheckpointTest.twoClasses();
        for (double maxNorm : new double[] {0.05, 1e6}) {
            TinyMlp reference = TinyMlp.classifier(Precision.DOUBLE, 3L);
            TrainingStep step = reference.newTrainingStep(data.size());
            for (int r = 0; r < data.size(); r++) {
                step.load(r, data.features(r), 0, data.targets(r), 0);
            }
            step.computeGradients(data.size());
            double[] gradient = new double[reference.parameterCount()];
            step.gradients(gradient);
            double norm = Math.sqrt(Arrays.stream(gradient).map(g -> g * g).sum());
            double factor = Math.min(1.0, maxNorm / (norm + 1e-6));
            double[] expected = reference.parameters();
            for (int k = 0; k < expected.length; k++) {
                expected[k] -= 0.5 * gradient[k] * factor;
            }

            TinyMlp net = TinyMlp.classifier(Precision.DOUBLE, 3L);
            Trainer.of(net).learningRate(0.5).batchSize(data.size()).epochs(1).shuffle(false)
                    .clipGradientNorm(maxNorm).fit(data);
            assertArrayEquals(expected, net.parameters(), 1e-15, "max norm " + maxNorm);
            if (maxNorm < 1) {
                assertTrue(norm > 5 * maxNorm, "the gradient was long enough to clip: " + norm);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Trainer.of(TinyMlp.classifier(Precision.FLOAT, 1L))
                .clipGradientNorm(0));
        assertThrows(IllegalArgumentException.class, () -> Trainer.of(TinyMlp.classifier(Precision.FLOAT, 1L))
                .clipGradientNorm(Double.POSITIVE_INFINITY));
    }

    @Test
    void resumingAStatefulRuleIsExact() throws IOException {
        Dataset data = CheckpointTest.twoClasses();
        MomentumMlp straight = new MomentumMlp(TinyMlp.classifier(Precision.DOUBLE, 1L));
        Trainer.of(straight).learningRate(0.1).batchSize(8).epochs(6).seed(2L).momentum(0.7).fit(data);

        Path checkpoint = dir.resolve("momentum.ckpt");
        MomentumMlp first = new MomentumMlp(TinyMlp.classifier(Precision.DOUBLE, 1L));
        Trainer.of(first).learningRate(0.1).batchSize(8).epochs(3).seed(2L).momentum(0.7)
                .checkpointEvery(3, checkpoint).fit(data);
        assertEquals(3 * 7, (long) ModelFile.read(checkpoint).optimizerState().orElseThrow().steps(),
                "7 batches of 8 in 53 rows, 3 epochs");

        MomentumMlp resumed = new MomentumMlp(TinyMlp.classifier(Precision.DOUBLE, 9L));
        Trainer.of(resumed).learningRate(0.1).batchSize(8).epochs(6).momentum(0.7).resumeFrom(checkpoint).fit(data);
        assertArrayEquals(straight.parameters(), resumed.parameters(), "3 + 3 epochs equal 6, bit for bit");
        assertArrayEquals(straight.optimizerState(), resumed.optimizerState());

        // without the velocities the run could not repeat: a momentum network refuses an SGD checkpoint
        Path sgd = dir.resolve("sgd.ckpt");
        Trainer.of(TinyMlp.classifier(Precision.DOUBLE, 1L)).epochs(1).checkpointEvery(1, sgd).fit(data);
        MomentumMlp other = new MomentumMlp(TinyMlp.classifier(Precision.DOUBLE, 9L));
        double[] before = other.parameters();
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> Trainer.of(other).epochs(2).resumeFrom(sgd).fit(data));
        assertTrue(e.getMessage().contains("holds no optimizer state"), e.getMessage());
        assertArrayEquals(before, other.parameters(), "the network is unchanged");
        assertFalse(Arrays.equals(before, straight.parameters()));
    }
}
