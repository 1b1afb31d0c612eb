package dev.chainrule.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainrule.Model;
import dev.chainrule.TrainingStep;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The categorical cross-entropy of a softmax output against a direct evaluation in double,
 * {@code -sum_j y_j (z_j - log sum_k exp(z_k))}: the generated loss takes the logarithms of the
 * samples with one-hot targets together, as the log of the product of their exponential sums, and
 * must agree with one logarithm per sample for any batch, however long (the product is rescaled
 * before it could overflow), and for targets that do not add up to 1.
 */
class SoftmaxLossTest {

    private static final String SPEC = """
            package losses;

            import dev.chainrule.*;

            @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY, precision = Precision.%s)
            abstract class %s {
                @Input(5) Layer features;
                @Dense(units = %d, activation = Activation.SOFTMAX) Layer classes;
            }
            """;

    @ParameterizedTest(name = "{0}, {1} classes, batch {2}, targets {3}")
    @CsvSource({
            "FLOAT, 3, 16, one-hot",
            "DOUBLE, 3, 16, one-hot",
            "FLOAT, 10, 1000, one-hot",   // 10^1000 would overflow a double: the product is rescaled
            "DOUBLE, 10, 1000, one-hot",
            "FLOAT, 1000, 400, one-hot",
            "FLOAT, 4, 64, soft",         // rows adding up to 1 in some samples only, 0.3 or 2 in others
            "DOUBLE, 4, 64, soft",
            "FLOAT, 4, 64, mixed"})
    void lossAgreesWithOneLogarithmPerSample(String precision, int classes, int batch, String targets) {
        String name = precision.charAt(0) + precision.substring(1).toLowerCase() + classes + "Loss";
        Model net = CompiledNetworks.compile(Map.of("losses." + name, SPEC.formatted(precision, name, classes)))
                .newNetwork("losses." + name + "Network", 3L);
        SplittableRandom random = new SplittableRandom(classes * 31L + batch);
        double[] theta = new double[net.parameterCount()];
        for (int k = 0; k < theta.length; k++) {
            theta[k] = random.nextDouble(-1, 1);
        }
        net.setParameters(theta);
        TrainingStep step = net.newTrainingStep(batch);
        double expected = 0;
        for (int s = 0; s < batch; s++) {
            double[] x = new double[5];
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextDouble(-2, 2);
            }
            double[] y = targets(targets, s, classes, random);
            step.load(s, x, 0, y, 0);
            expected += crossEntropy(theta, classes, x, y, precision.equals("FLOAT"));
        }
        expected /= batch;
        double tolerance = precision.equals("FLOAT") ? 1e-5 : 1e-12;
        assertEquals(expected, step.loss(batch), tolerance * Math.max(1, Math.abs(expected)));
    }

    private static double[] targets(String kind, int s, int classes, SplittableRandom random) {
        double[] y = new double[classes];
        boolean oneHot = kind.equals("one-hot") || (kind.equals("mixed") && s % 3 != 0);
        if (oneHot) {
            y[random.nextInt(classes)] = 1;
        } else {
            double total = s % 2 == 0 ? 0.3 : 2.0;
            for (int j = 0; j < classes; j++) {
                y[j] = total / classes;
            }
        }
        return y;
    }

    /** -sum_j y_j log p_j for one sample, with weights [input][unit] in the public order, in double. */
    private static double crossEntropy(double[] theta, int classes, double[] x, double[] y, boolean roundToFloat) {
        double[] z = new double[classes];
        for (int j = 0; j < classes; j++) {
            double sum = weight(theta, roundToFloat, x.length * classes + j);
            for (int i = 0; i < x.length; i++) {
                sum += weight(theta, roundToFloat, j * x.length + i) * (roundToFloat ? (float) x[i] : x[i]);
            }
            z[j] = sum;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double expSum = 0;
        for (double v : z) {
            expSum += Math.exp(v - max);
        }
        double logSumExp = max + Math.log(expSum);
        double loss = 0;
        for (int j = 0; j < classes; j++) {
            loss += y[j] * (logSumExp - z[j]);
        }
        return loss;
    }

    private static double weight(double[] theta, boolean roundToFloat, int k) {
        return roundToFloat ? (float) theta[k] : theta[k];
    }
}
