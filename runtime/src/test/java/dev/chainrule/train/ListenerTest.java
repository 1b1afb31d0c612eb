package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Precision;
import dev.chainrule.metrics.Task;
import dev.chainrule.testing.ScriptedModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** EpochListener's start and batch callbacks, and stopping from a listener. */
class ListenerTest {

    @Test
    void listenersHearTheStartAndEveryBatchWithTheRunningMeanLoss() {
        List<String> log = new ArrayList<>();
        TrainingStart[] start = new TrainingStart[1];
        // 5 rows in batches of 2: losses of epoch 1 are 1, 2, 4 over 2, 2, 1 rows
        ScriptedModel model = new ScriptedModel(Precision.DOUBLE, 1, 2, 4, 3, 3, 6);
        Trainer.of(model).batchSize(2).epochs(2).listener(new EpochListener() {
            @Override
            public void onStart(TrainingStart s) {
                start[0] = s;
                log.add("start");
            }

            @Override
            public void onBatch(int epoch, int batch, double meanLoss) {
                log.add(epoch + "." + batch + " " + meanLoss);
            }

            @Override
            public void onEpoch(EpochEvent event) {
                log.add("epoch " + event.epoch());
            }
        }).fit(ScriptedModel.rows(5));
        assertEquals(List.of("start", "1.1 1.0", "1.2 1.5", "1.3 2.0", "epoch 1", "2.1 3.0", "2.2 3.0", "2.3 3.6",
                "epoch 2"), log);
        assertEquals(new TrainingStart(1, 2, 5, 3, 0, Task.REGRESSION), start[0]);
        assertFalse(start[0].hasValidation());
        assertThrows(IllegalArgumentException.class, () -> new TrainingStart(1, 2, 0, 1, 0, Task.REGRESSION));
    }

    @Test
    void aListenerCanStopTrainingCleanly() {
        List<String> log = new ArrayList<>();
        List<TrainingResult> finished = new ArrayList<>();
        ScriptedModel model = new ScriptedModel(Precision.DOUBLE);
        TrainingResult r = Trainer.of(model).batchSize(10).epochs(10)
                .listener(e -> {
                    if (e.epoch() == 3) {
                        e.requestStop("enough for today");
                        e.requestStop("a later reason loses");
                    }
                })
                .listener(new EpochListener() {
                    @Override
                    public void onEpoch(EpochEvent e) {
                        log.add("second listener hears " + e.epoch() + " " + e.stopRequest().orElse("-"));
                    }

                    @Override
                    public void onFinish(TrainingResult result) {
                        finished.add(result);
                    }
                })
                .stopWhen(h -> {
                    log.add("condition " + h.epochs());
                    return null;
                })
                .fit(ScriptedModel.rows(2));
        assertEquals(3, r.epochs());
        assertEquals("enough for today", r.stopReason());
        assertEquals(3, model.applied.size());
        assertEquals(List.of("second listener hears 1 -", "condition 1", "second listener hears 2 -", "condition 2",
                "second listener hears 3 enough for today"), log);
        assertEquals(List.of(r), finished);
    }

    @Test
    void eventsCarryTheirNumbers() {
        EpochEvent e = new EpochEvent(2, 5, 0.5, 0.1, Duration.ofMillis(1500));
        assertTrue(e.training().isEmpty());
        assertTrue(e.validation().isEmpty());
        assertTrue(e.stopRequest().isEmpty());
        assertEquals("EpochEvent(epoch 2/5, loss 0.5, learning rate 0.1, 1.5 s)", e.toString());
        assertThrows(NullPointerException.class, () -> e.requestStop(null));
    }
}
