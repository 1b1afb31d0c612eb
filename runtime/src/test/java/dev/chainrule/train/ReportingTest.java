package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Precision;
import dev.chainrule.testing.ScriptedModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** ProgressPrinter, TrainingResult, EpochEvent and number formatting. */
class ReportingTest {

    private static final Pattern LINE = Pattern.compile(
            "epoch +(\\d+)/(\\d+)  loss \\d+\\.\\d{6}(  [a-z_0-9]+ -?\\d+\\.\\d+)*  \\(\\d+\\.\\d s\\)");

    @Test
    void progressLineLayout() {
        assertEquals("epoch  12/500  loss 0.412345  (0.8 s)",
                ProgressPrinter.line(new EpochEvent(12, 500, 0.412345, 0.1, Duration.ofMillis(800))));
        assertEquals("epoch 500/500  loss 0.000001  (61.3 s)",
                ProgressPrinter.line(new EpochEvent(500, 500, 1e-6, 0.1, Duration.ofMillis(61_260))));
        assertEquals("epoch 1/1  loss 2.500000  (0.0 s)",
                ProgressPrinter.line(new EpochEvent(1, 1, 2.5, 0.1, Duration.ZERO)));
    }

    private static List<String> run(ProgressPrinter printer, ByteArrayOutputStream bytes, Trainer trainer) {
        trainer.listener(printer).fit(ScriptedModel.rows(3));
        return Arrays.asList(bytes.toString(StandardCharsets.UTF_8).split("\\R"));
    }

    private static List<Integer> epochsOf(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("epoch")).map(l -> {
            var m = LINE.matcher(l);
            assertTrue(m.matches(), l);
            return Integer.parseInt(m.group(1));
        }).collect(Collectors.toList());
    }

    @Test
    void printsEveryNthEpochPlusFirstAndLast() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        List<String> lines = run(ProgressPrinter.to(out).every(10), bytes,
                Trainer.of(new ScriptedModel(Precision.DOUBLE)).epochs(25));
        assertEquals(List.of(1, 10, 20, 25), epochsOf(lines));
        assertEquals("stopped: epoch budget of 25 reached", lines.get(lines.size() - 1));
        assertEquals(5, lines.size());
    }

    @Test
    void printsTheLastEpochWhenStoppedEarly() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        List<String> lines = run(ProgressPrinter.to(out).every(10), bytes,
                Trainer.of(new ScriptedModel(Precision.DOUBLE)).epochs(100)
                        .stopWhen(h -> h.epochs() == 13 ? "enough" : null));
        assertEquals(List.of(1, 10, 13), epochsOf(lines));
        assertEquals("stopped: enough", lines.get(lines.size() - 1));
    }

    @Test
    void printsEveryEpochByDefault() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        List<String> lines = run(ProgressPrinter.to(out), bytes,
                Trainer.of(new ScriptedModel(Precision.DOUBLE)).epochs(4));
        assertEquals(List.of(1, 2, 3, 4), epochsOf(lines));
        // the scripted model predicts its targets (0) exactly: no error, R² 1 by convention
        assertTrue(lines.get(0).startsWith("epoch 1/4  loss 1.000000  mae 0.000000  rmse 0.000000  r2 1.0000  ("),
                lines.get(0));
    }

    @Test
    void printerRejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> ProgressPrinter.to(System.out).every(0));
        assertThrows(NullPointerException.class, () -> ProgressPrinter.to(null));
    }

    @Test
    void epochEventChecksItsNumbers() {
        assertThrows(IllegalArgumentException.class, () -> new EpochEvent(0, 5, 1, 0.1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new EpochEvent(6, 5, 1, 0.1, Duration.ZERO));
        assertThrows(NullPointerException.class, () -> new EpochEvent(1, 5, 1, 0.1, null));
    }

    @Test
    void resultIsImmutable() {
        double[] loss = {3, 2, 1};
        TrainingResult r = new TrainingResult(loss, new double[0], "done", Duration.ofMillis(1500));
        loss[2] = 100;
        r.trainLoss()[2] = 100;
        r.validationLoss();
        assertArrayEquals(new double[] {3, 2, 1}, r.trainLoss());
        assertEquals(3, r.epochs());
        assertEquals(1.0, r.finalLoss());
        assertEquals("done", r.stopReason());
        assertEquals(Duration.ofMillis(1500), r.elapsed());
        assertEquals("TrainingResult(3 epochs, final loss 1, stopped: done, 1.5 s)", r.toString());
    }

    @Test
    void resultOfNoEpochs() {
        TrainingResult r = new TrainingResult(new double[0], new double[0], "interrupted", Duration.ZERO);
        assertEquals(0, r.epochs());
        assertTrue(Double.isNaN(r.finalLoss()));
        assertThrows(IllegalArgumentException.class,
                () -> new TrainingResult(new double[] {1, 2}, new double[] {1}, "x", Duration.ZERO));
    }

    @Test
    void numbersHaveSixSignificantDigitsWithoutTrailingZeros() {
        assertEquals("0.00981", Format.number(0.00981));
        assertEquals("0.01", Format.number(0.01));
        assertEquals("0.412346", Format.number(0.4123456));
        assertEquals("1.5e-07", Format.number(1.5e-7));
        assertEquals("1.23457e+08", Format.number(123456789));
        assertEquals("100", Format.number(100));
        assertEquals("0.0", Format.number(0));
        assertEquals("NaN", Format.number(Double.NaN));
    }
}
