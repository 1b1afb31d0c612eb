package dev.chainrule.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Activation;
import dev.chainrule.Loss;
import dev.chainrule.Precision;
import dev.chainrule.check.GradientCheck;
import org.junit.jupiter.api.Test;

/** The test double must be right for the file and trainer tests built on it to mean anything. */
class TinyMlpTest {

    private static final double[][] X = {{0.3, -0.7, 1.1}, {-0.2, 0.5, 0.9}, {1.3, 0.1, -0.4}};

    @Test
    void backwardPassAgreesWithFiniteDifferences() {
        TinyMlp cce = TinyMlp.classifier(Precision.DOUBLE, 3L);
        double e = GradientCheck.maxRelativeError(cce, X, new double[][] {{1, 0}, {0, 1}, {0, 1}});
        assertTrue(e < 1e-6, "softmax + cross-entropy: " + e);

        TinyMlp mse = new TinyMlp(Precision.DOUBLE, Loss.MEAN_SQUARED_ERROR, 4L, new String[] {"x", "h1", "h2", "y"},
                new int[] {3, 4, 3, 2}, Activation.SIGMOID, Activation.TANH, Activation.LINEAR);
        e = GradientCheck.maxRelativeError(mse, X, new double[][] {{0.5, -1}, {2, 0}, {0, 1}});
        assertTrue(e < 1e-6, "mean squared error: " + e);

        TinyMlp bce = new TinyMlp(Precision.DOUBLE, Loss.BINARY_CROSS_ENTROPY, 5L, new String[] {"x", "h", "p"},
                new int[] {3, 4, 1}, Activation.TANH, Activation.SIGMOID);
        e = GradientCheck.maxRelativeError(bce, X, new double[][] {{1}, {0}, {1}});
        assertTrue(e < 1e-6, "binary cross-entropy: " + e);
    }

    @Test
    void layerViewsReadAndWriteThePublicOrder() {
        TinyMlp net = TinyMlp.classifier(Precision.DOUBLE, 1L);
        double[] p = net.parameters();
        assertArrayEquals(new double[] {p[0], p[1], p[2]}, net.layers().get(1).weights()[0]);
        assertArrayEquals(new double[] {p[15], p[16], p[17], p[18], p[19]}, net.layers().get(1).biases());
        net.layers().get(2).setBiases(new double[] {7, 8});
        assertArrayEquals(new double[] {7, 8}, java.util.Arrays.copyOfRange(net.parameters(), 30, 32));
    }
}
