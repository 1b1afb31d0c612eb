package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Precision;
import dev.chainrule.metrics.Task;
import dev.chainrule.testing.ScriptedModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** ProgressBar driven by a clock the test sets: no timing in the assertions. */
class ProgressBarTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private long now;

    private ProgressBar bar(boolean inPlace, int every) {
        return new ProgressBar(out, inPlace, 1, () -> now).every(every);
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    private static EpochEvent event(int epoch, double loss) {
        return new EpochEvent(epoch, 3, loss, 0.1, Duration.ofMillis(100L * epoch));
    }

    private static long ms(long millis) {
        return millis * 1_000_000L;
    }

    @Test
    void onATerminalTheLineIsRedrawnInPlaceAtMostTenTimesASecond() {
        ProgressBar bar = bar(true, 2);
        assertTrue(bar.inPlace());
        now = ms(1000);
        bar.onStart(new TrainingStart(1, 3, 40, 4, 0, Task.REGRESSION));
        bar.onBatch(1, 1, 0.9); // drawn: nothing was drawn yet
        now = ms(1050);
        bar.onBatch(1, 2, 0.8); // skipped: 50 ms after the last draw
        now = ms(1100);
        bar.onBatch(1, 3, 0.7); // drawn
        bar.onBatch(1, 4, 0.6); // skipped
        bar.onEpoch(event(1, 0.6)); // epoch 1 is reported: a permanent line, which counts as a draw
        now = ms(1150);
        bar.onBatch(2, 1, 0.5); // skipped: 50 ms after the last draw
        now = ms(1300);
        bar.onEpoch(event(2, 0.4)); // a multiple of 2: permanent
        now = ms(1350);
        bar.onBatch(3, 4, 0.35); // skipped
        bar.onEpoch(event(3, 0.3)); // the last epoch of the budget: permanent
        bar.onFinish(new TrainingResult(new double[] {0.6, 0.4, 0.3}, new double[0], "done", Duration.ZERO));
        assertEquals("\repoch 1/3  [=====               ]  1/4  loss 0.900000"
                + "\repoch 1/3  [===============     ]  3/4  loss 0.700000"
                + "\repoch 1/3  loss 0.600000  (0.1 s)" + " ".repeat(20) + "\n"
                + "\repoch 2/3  loss 0.400000  (0.2 s)\n"
                + "\repoch 3/3  loss 0.300000  (0.3 s)\n"
                + "stopped: done\n", output());
    }

    @Test
    void epochsBetweenReportsOnlyRedrawTheLineAndTheLastOneIsPrintedAtTheEnd() {
        ProgressBar bar = bar(true, 10);
        now = 0;
        bar.onStart(new TrainingStart(1, 30, 10, 1, 0, Task.REGRESSION));
        bar.onEpoch(new EpochEvent(1, 30, 1.0, 0.1, Duration.ZERO)); // reported
        now = ms(50);
        bar.onEpoch(new EpochEvent(2, 30, 0.9, 0.1, Duration.ZERO)); // too soon to redraw
        now = ms(200);
        bar.onEpoch(new EpochEvent(3, 30, 0.8, 0.1, Duration.ZERO)); // redrawn in place
        now = ms(250);
        bar.onEpoch(new EpochEvent(4, 30, 0.7, 0.1, Duration.ZERO)); // too soon
        bar.onFinish(new TrainingResult(new double[4], new double[0], "enough", Duration.ZERO));
        assertEquals("\repoch  1/30  loss 1.000000  (0.0 s)\n"
                + "\repoch  3/30  loss 0.800000  (0.0 s)"
                + "\repoch  4/30  loss 0.700000  (0.0 s)\n"
                + "stopped: enough\n", output());
    }

    @Test
    void anInterruptedBarIsClearedBeforeTheLastLine() {
        ProgressBar bar = bar(true, 1);
        now = 0;
        bar.onStart(new TrainingStart(1, 9, 10, 10, 0, Task.REGRESSION));
        bar.onEpoch(new EpochEvent(1, 9, 1.0, 0.1, Duration.ZERO));
        now = ms(500);
        bar.onBatch(2, 5, 0.5);
        bar.onFinish(new TrainingResult(new double[1], new double[0], "interrupted", Duration.ZERO));
        String bar2 = "epoch 2/9  [==========          ]   5/10  loss 0.500000";
        assertEquals("\repoch 1/9  loss 1.000000  (0.0 s)\n\r" + bar2 + "\r" + " ".repeat(bar2.length()) + "\r"
                + "stopped: interrupted\n", output());
    }

    @Test
    void aRunThatThrowsEndsTheLineDrawnInPlace() {
        now = 0;
        ScriptedModel model = new ScriptedModel(Precision.DOUBLE, 1.0, 1.0, Double.NaN);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> Trainer.of(model)
                .batchSize(1).epochs(5).listener(bar(true, 1)).fit(ScriptedModel.rows(3)));
        assertEquals(3, e.batch());
        // batch 1 was drawn, batch 2 not (no time passed): the line is ended, no "stopped:" line
        assertEquals("\repoch 1/5  [======              ]  1/3  loss 1.000000\n", output());

        bytes.reset();
        assertThrows(TrainingDivergedException.class, () -> Trainer.of(new ScriptedModel(Precision.DOUBLE, Double.NaN))
                .batchSize(1).epochs(5).listener(bar(false, 1)).fit(ScriptedModel.rows(3)));
        assertEquals("", output(), "plain output has no line to end");
    }

    @Test
    void offATerminalItPrintsThePlainLinesOnly() {
        now = 0;
        Trainer.of(new ScriptedModel(Precision.DOUBLE)).batchSize(1).epochs(25)
                .listener(bar(false, 10)).fit(ScriptedModel.rows(3));
        String text = output();
        assertFalse(text.contains("\r"), text);
        assertFalse(text.contains("["), text);
        assertEquals(5, text.split("\n").length, text);
        assertTrue(text.startsWith("epoch  1/25  loss 1.000000"), text);
        assertTrue(text.endsWith("stopped: epoch budget of 25 reached\n"), text);
    }

    @Test
    void withoutAListenerFitIsQuiet() {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        TrainingResult r;
        try {
            System.setOut(capture);
            System.setErr(capture);
            r = Trainer.of(dev.chainrule.testing.TinyMlp.classifier(Precision.DOUBLE, 2L)).batchSize(8).epochs(20)
                    .validationSplit(0.25, 1L).fit(CheckpointTest.twoClasses());
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        assertEquals(20, r.epochs(), "it trained");
        assertEquals("", captured.toString(StandardCharsets.UTF_8), "fit prints nothing by default");
        // and a listener is what makes it talk
        now = 0;
        Trainer.of(dev.chainrule.testing.TinyMlp.classifier(Precision.DOUBLE, 2L)).batchSize(8).epochs(2)
                .listener(bar(false, 1)).fit(CheckpointTest.twoClasses());
        assertTrue(output().startsWith("epoch 1/2  loss "), output());
    }

    @Test
    void theConsoleBarOfATestRunIsPlain() {
        // surefire's forked JVM writes to a pipe, not a terminal
        assertFalse(ProgressBar.toConsole().inPlace());
        assertFalse(ProgressBar.isTerminal());
        assertTrue(ProgressBar.to(System.out, true).inPlace());
        assertThrows(IllegalArgumentException.class, () -> ProgressBar.to(System.out, true).every(0));
        assertThrows(NullPointerException.class, () -> ProgressBar.to(null, false));
    }
}
