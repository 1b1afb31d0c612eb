package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Precision;
import dev.chainrule.data.Dataset;
import dev.chainrule.data.StandardScaler;
import dev.chainrule.io.ModelFile;
import dev.chainrule.io.ModelFileException;
import dev.chainrule.io.TrainingState;
import dev.chainrule.testing.LinearModel;
import dev.chainrule.testing.LogCapture;
import dev.chainrule.testing.TinyMlp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CheckpointTest {

    @TempDir
    Path dir;

    /** 53 rows of a two-class problem for the 3-5-2 classifier (53 so the last batch is partial). */
    static Dataset twoClasses() {
        SplittableRandom random = new SplittableRandom(12L);
        double[][] x = new double[53][3];
        int[] labels = new int[53];
        for (int r = 0; r < 53; r++) {
            for (int i = 0; i < 3; i++) {
                x[r][i] = random.nextDouble(-1, 1);
            }
            labels[r] = x[r][0] + 0.5 * x[r][1] - x[r][2] > 0 ? 1 : 0;
        }
        return Dataset.ofLabels(x, labels, 2);
    }

    private static Trainer trainer(TinyMlp net) {
        return Trainer.of(net).learningRate(0.2).batchSize(8);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void resumingGivesExactlyTheParametersOfAnUninterruptedRun(Precision precision) throws IOException {
        Dataset data = twoClasses();
        TinyMlp straight = TinyMlp.classifier(precision, 1L);
        TrainingResult all = trainer(straight).epochs(10).seed(7L).fit(data);

        Path checkpoint = dir.resolve("run.ckpt");
        TinyMlp first = TinyMlp.classifier(precision, 1L);
        trainer(first).epochs(5).seed(7L).checkpointEvery(5, checkpoint).fit(data);
        TrainingState state = ModelFile.read(checkpoint).trainingState().orElseThrow();
        assertEquals(5, state.epoch());
        assertEquals(7L, state.seed());
        assertArrayEquals(Arrays.copyOf(all.trainLoss(), 5), state.trainLoss());

        TinyMlp fresh = TinyMlp.classifier(precision, 99L);
        assertFalse(Arrays.equals(straight.parameters(), fresh.parameters()));
        TrainingResult resumed = trainer(fresh).epochs(10).resumeFrom(checkpoint).fit(data);
        assertArrayEquals(straight.parameters(), fresh.parameters(), "5 + 5 epochs must equal 10, bit for bit");
        assertArrayEquals(all.trainLoss(), resumed.trainLoss());
        assertEquals(10, resumed.epochs());
        assertEquals("epoch budget of 10 reached", resumed.stopReason());
    }

    @Test
    void resumingADataParallelRunIsExactToo() throws IOException {
        Dataset data = twoClasses();
        TinyMlp straight = TinyMlp.classifier(Precision.DOUBLE, 1L);
        trainer(straight).threads(2).epochs(6).seed(4L).fit(data);
        Path checkpoint = dir.resolve("parallel.ckpt");
        trainer(TinyMlp.classifier(Precision.DOUBLE, 1L)).threads(2).epochs(3).seed(4L)
                .checkpointEvery(3, checkpoint).fit(data);
        assertEquals(2, ModelFile.read(checkpoint).trainingState().orElseThrow().threads());
        TinyMlp resumed = TinyMlp.classifier(Precision.DOUBLE, 8L);
        trainer(resumed).threads(2).epochs(6).resumeFrom(checkpoint).fit(data);
        assertArrayEquals(straight.parameters(), resumed.parameters());
        try (LogCapture log = LogCapture.of(Trainer.class.getName())) {
            trainer(TinyMlp.classifier(Precision.DOUBLE, 8L)).epochs(6).resumeFrom(checkpoint).fit(data);
            assertTrue(log.warnings().get(0).contains("threads 2 -> 1"), log.warnings().toString());
        }
    }

    @Test
    void checkpointsAreWrittenEveryNEpochsAndTheLastOneIsKept() throws IOException {
        Dataset data = twoClasses();
        Path checkpoint = dir.resolve("run.ckpt");
        TinyMlp net = TinyMlp.classifier(Precision.DOUBLE, 1L);
        int[] seen = new int[1];
        trainer(net).epochs(7).seed(3L).checkpointEvery(3, checkpoint).listener(e -> {
            try {
                TrainingState s = ModelFile.read(checkpoint).trainingState().orElseThrow();
                assertEquals(e.epoch() < 3 ? -1 : e.epoch() / 3 * 3, s.epoch(), "at epoch " + e.epoch());
                seen[0]++;
            } catch (java.nio.file.NoSuchFileException missing) {
                assertTrue(e.epoch() < 3, "no checkpoint after epoch " + e.epoch());
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }).fit(data);
        assertEquals(5, seen[0]);
        // resuming from epoch 6 of a 7-epoch budget runs just epoch 7, as the straight run did
        TinyMlp straight = TinyMlp.classifier(Precision.DOUBLE, 1L);
        trainer(straight).epochs(7).seed(3L).fit(data);
        TinyMlp resumed = TinyMlp.classifier(Precision.DOUBLE, 2L);
        TrainingResult r = trainer(resumed).epochs(7).resumeFrom(checkpoint).fit(data);
        assertArrayEquals(straight.parameters(), resumed.parameters());
        assertEquals(7, r.epochs());
    }

    @Test
    void resumeIsUsedByOneFitOnly() throws IOException {
        Dataset data = twoClasses();
        Path checkpoint = dir.resolve("run.ckpt");
        trainer(TinyMlp.classifier(Precision.DOUBLE, 1L)).epochs(4).checkpointEvery(4, checkpoint).fit(data);
        TinyMlp net = TinyMlp.classifier(Precision.DOUBLE, 2L);
        Trainer t = trainer(net).epochs(6).resumeFrom(checkpoint);
        assertEquals(6, t.fit(data).epochs());
        double[] after = net.parameters();
        TrainingResult again = t.fit(data);
        assertEquals(6, again.epochs(), "the second fit starts at epoch 1 from the current parameters");
        assertFalse(Arrays.equals(after, net.parameters()));
    }

    @Test
    void aBudgetAlreadySpentRunsNothing() throws IOException {
        Dataset data = twoClasses();
        Path checkpoint = dir.resolve("run.ckpt");
        TinyMlp trained = TinyMlp.classifier(Precision.DOUBLE, 1L);
        trainer(trained).epochs(4).checkpointEvery(2, checkpoint).fit(data);
        TinyMlp net = TinyMlp.classifier(Precision.DOUBLE, 2L);
        TrainingResult r = trainer(net).epochs(3).resumeFrom(checkpoint).fit(data);
        assertEquals(4, r.epochs());
        assertArrayEquals(trained.parameters(), net.parameters());
    }

    @Test
    void resumingRefusesWhatCannotRepeatTheRun() throws IOException {
        Dataset data = twoClasses();
        Path checkpoint = dir.resolve("run.ckpt");
        trainer(TinyMlp.classifier(Precision.DOUBLE, 1L)).epochs(2).seed(5L).checkpointEvery(1, checkpoint).fit(data);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer(TinyMlp.classifier(Precision.DOUBLE, 1L)).seed(6L).resumeFrom(checkpoint).fit(data));
        assertTrue(e.getMessage().contains("was trained with seed 5, but this trainer is set to seed 6"), e.getMessage());
        trainer(TinyMlp.classifier(Precision.DOUBLE, 1L)).epochs(3).seed(5L).resumeFrom(checkpoint).fit(data);

        Path plain = dir.resolve("plain.model");
        ModelFile.save(TinyMlp.classifier(Precision.DOUBLE, 1L), plain);
        e = assertThrows(IllegalArgumentException.class,
                () -> trainer(TinyMlp.classifier(Precision.DOUBLE, 1L)).resumeFrom(plain).fit(data));
        assertTrue(e.getMessage().contains("holds a model but no training state"), e.getMessage());

        UncheckedIOException io = assertThrows(UncheckedIOException.class,
                () -> trainer(TinyMlp.classifier(Precision.FLOAT, 1L)).resumeFrom(checkpoint).fit(data));
        ModelFileException cause = assertInstanceOf(ModelFileException.class, io.getCause());
        assertEquals(ModelFileException.Problem.WRONG_NETWORK, cause.problem());

        assertThrows(UncheckedIOException.class, () -> trainer(TinyMlp.classifier(Precision.DOUBLE, 1L))
                .resumeFrom(dir.resolve("missing.ckpt")).fit(data));

        try (LogCapture log = LogCapture.of(Trainer.class.getName())) {
            trainer(TinyMlp.classifier(Precision.DOUBLE, 1L)).batchSize(4).epochs(3).resumeFrom(checkpoint).fit(data);
            assertEquals(1, log.warnings().size(), log.warnings().toString());
            assertTrue(log.warnings().get(0).contains("batch size 8 -> 4"), log.warnings().get(0));
        }
    }

    @Test
    void aCheckpointThatCannotBeWrittenStopsTraining() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> trainer(TinyMlp.classifier(
                Precision.DOUBLE, 1L)).epochs(3).checkpointEvery(1, dir.resolve("no").resolve("such.ckpt"))
                .fit(twoClasses()));
        assertTrue(e.getMessage().contains("could not write the checkpoint of epoch 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Trainer.of(new LinearModel(1, 1, Precision.DOUBLE, 0L)).checkpointEvery(0, dir));
        assertThrows(NullPointerException.class,
                () -> Trainer.of(new LinearModel(1, 1, Precision.DOUBLE, 0L)).resumeFrom(null));
    }

    // ---------------------------------------------------------------- the unscaled-input warning

    @Test
    void unscaledFeaturesGetOneWarningPerFit() throws Exception {
        Dataset raw = Dataset.fromCsv(new java.io.StringReader("age,bp,area,y\n59,101,1001,1\n48,87,1326,0\n72,93,"
                + "850,1\n"), "diabetes-like", dev.chainrule.data.CsvOption.targets("y"));
        LinearModel model = new LinearModel(3, 1, Precision.DOUBLE, 0L);
        try (LogCapture log = LogCapture.of(Trainer.class.getName())) {
            Trainer t = Trainer.of(model).learningRate(1e-7).epochs(3);
            t.fit(raw);
            List<String> warnings = log.warnings();
            assertEquals(1, warnings.size(), "once per fit, not per epoch: " + warnings);
            String w = warnings.get(0);
            assertTrue(w.startsWith("the training features look unscaled: 2 of 3 features reach a magnitude of 100"
                    + " or more ('area' reaches 1326)"), w);
            assertTrue(w.contains("always predicts one class"), w);
            assertTrue(w.contains("StandardScaler.fit(train)"), w);
            t.fit(raw);
            assertEquals(2, log.warnings().size());
            Trainer.of(model).epochs(3).fit(StandardScaler.fit(raw).transform(raw));
            assertEquals(2, log.warnings().size(), "scaled data must not warn");
            Trainer.of(new LinearModel(1, 1, Precision.DOUBLE, 0L)).learningRate(1e-6).epochs(1)
                    .fit(Dataset.of(new double[][] {{99.9}, {-150}}, new double[][] {{0}, {1}}));
            assertTrue(log.warnings().get(2).contains("1 of 1 features") && log.warnings().get(2)
                    .contains("(feature 0 reaches 150)"), log.warnings().get(2));
        }
    }
}
