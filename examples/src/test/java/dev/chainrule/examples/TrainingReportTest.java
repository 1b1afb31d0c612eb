package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.data.Dataset;
import dev.chainrule.metrics.ConfusionMatrix;
import dev.chainrule.metrics.Evaluation;
import dev.chainrule.metrics.Metric;
import dev.chainrule.metrics.Task;
import dev.chainrule.train.Trainer;
import dev.chainrule.train.TrainingResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML report: what it contains, where the curves' points land, and that text is escaped. */
class TrainingReportTest {

    private static TrainingResult training;
    private static Evaluation before;

    /** Seven epochs of XOR, validated on the truth table. */
    @BeforeAll
    static void train() {
        XorNetwork net = new XorNetwork(42L);
        Dataset data = Dataset.of(XorExample.INPUTS, XorExample.TARGETS);
        before = Evaluation.of(net, data, Task.CLASSIFICATION);
        training = Trainer.of(net).learningRate(2.0).batchSize(4).epochs(7).seed(7L).metrics(Task.CLASSIFICATION)
                .validation(data).fit(data);
    }

    @Test
    void writesEverySectionIntoOneFile(@TempDir Path dir) throws IOException {
        Path file = new TrainingReport("XOR", "a 2-4-1 network")
                .result("rows right", "4/4")
                .curves(training, Metric.ACCURACY, "mean squared error")
                .baseline(before)
                .confusion(ConfusionMatrix.of(new long[][] {{2, 0}, {1, 1}}, List.of("0", "1")))
                .topology("XorNetwork (float, loss mean_squared_error)\nlayer ...")
                .setting("learning rate", 2.0)
                .setting("batch size", 4)
                .write(dir.resolve("reports"), "xor");
        assertEquals(dir.resolve("reports").resolve("xor.html"), file);
        String html = Files.readString(file, StandardCharsets.UTF_8);

        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("<title>XOR - chainrule training report</title>"));
        assertTrue(html.contains("<div class=\"v\">4/4</div><div class=\"k\">rows right</div>"));
        assertTrue(html.contains("<pre>XorNetwork (float, loss mean_squared_error)\nlayer ...</pre>"));
        assertTrue(html.contains("<tr><th>learning rate</th><td>2.0</td></tr>\n<tr><th>batch size</th><td>4</td></tr>"),
                "settings in the order given");
        // The confusion matrix: counts, and the recall of each true class.
        assertTrue(html.contains("<tr><th>0</th><td class=\"n\" style=\"background:rgba(46,160,67,0.78)\">2</td>"
                + "<td class=\"n\" style=\"background:rgba(214,39,40,0.00)\">0</td><td class=\"n\">100.0%</td></tr>"), html);
        assertTrue(html.contains(">1</td><td class=\"n\">50.0%</td></tr>"), html);
        assertTrue(html.contains("Before training (epoch 0, not drawn), on the validation rows: loss "), html);
        // The matrix reads as the console prints it; the footer stands apart from the settings table.
        assertTrue(html.contains("<tr><th>actual \\ predicted</th><th>0</th><th>1</th><th>recall</th></tr>"), html);
        assertTrue(html.contains("</table>\n<p class=\"foot\">Written by the chainrule examples."), html);
        assertTrue(html.contains(".foot{color:#555;margin-top:2.5em;"), html);
    }

    @Test
    void namesMetricsInTheBaselineSentenceAsTheChartsDo() {
        assertEquals("loss 1.645941, MAE 1.103094, RMSE 1.282942, R² -0.5490",
                TrainingReport.readable("loss 1.645941  mae 1.103094  rmse 1.282942  r2 -0.5490"));
        assertEquals("loss 0.650536, accuracy 0.5877", TrainingReport.readable("loss 0.650536  accuracy 0.5877"));
    }

    @Test
    void drawsOneVertexPerEpochInsideThePlotArea() {
        String html = new TrainingReport("XOR", "").curves(training, Metric.ACCURACY, "loss").html();
        Matcher polyline = Pattern.compile("<polyline class=\"series\"[^>]* points=\"([^\"]*)\"").matcher(html);
        List<String> series = new ArrayList<>();
        while (polyline.find()) {
            series.add(polyline.group(1));
        }
        assertEquals(4, series.size(), "training and validation, for the loss and for accuracy");
        for (String points : series) {
            String[] vertices = points.split(" ");
            assertEquals(7, vertices.length);
            double previousX = 0;
            for (String vertex : vertices) {
                double x = Double.parseDouble(vertex.split(",")[0]);
                double y = Double.parseDouble(vertex.split(",")[1]);
                assertTrue(x > previousX && x >= 64 && x <= 560 - 16, "x " + x + " in " + points);
                assertTrue(y >= 16 && y <= 300 - 44, "y " + y + " in " + points);
                previousX = x;
            }
        }
        // XOR's mean squared error starts near 0.25.
        assertTrue(training.trainLoss()[0] > 0.2, "epoch 1: " + training.trainLoss()[0]);
    }

    @Test
    void axesHaveRoundTicks() {
        String html = new TrainingReport("XOR", "").curves(training, Metric.ACCURACY, "loss").html();
        Matcher label = Pattern.compile("text-anchor=\"middle\">(\\d+)</text>").matcher(html);
        List<String> epochs = new ArrayList<>();
        while (label.find()) {
            epochs.add(label.group(1));
        }
        assertEquals(List.of("0", "2", "4", "6", "8", "0", "2", "4", "6", "8"), epochs,
                "epoch ticks of both charts");
        Matcher value = Pattern.compile("text-anchor=\"end\">([0-9.]+)</text>").matcher(html);
        List<String> values = new ArrayList<>();
        while (value.find()) {
            values.add(value.group(1));
        }
        // XOR's mean squared error stays near 0.25 for these epochs; the loss axis starts at 0.
        assertEquals(List.of("0.0", "0.1", "0.2", "0.3"), values.subList(0, 4), values.toString());
    }

    @Test
    void escapesText() {
        assertEquals("a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;", TrainingReport.escape("a <b> & \"c\" 'd'"));
        String html = new TrainingReport("<script>alert(1)</script>", "x & y").setting("<k>", "<v>").html();
        assertFalse(html.contains("<script>"));
        assertTrue(html.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"));
        assertTrue(html.contains("<tr><th>&lt;k&gt;</th><td>&lt;v&gt;</td></tr>"));
    }

    @Test
    void drawsAScatterPlotForARegression() {
        String html = new TrainingReport("r", "").scatter(new double[] {1, 2, 3}, new double[] {1.5, 2, 2.5}, "units")
                .html();
        assertEquals(3, html.split("<circle ", -1).length - 1);
        assertTrue(html.contains("<figcaption>one dot per test row; on the dashed line, the prediction is exact"), html);
        assertTrue(html.contains(">actual units</text>") && html.contains(">predicted units</text>"));
    }
}
