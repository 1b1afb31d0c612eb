package dev.chainrule.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * One test per diagnostic about the attributes added for issue 5 ({@code @Dense(alpha)} and the
 * others): the exact text, the line of the offending annotation, and that it is the only error.
 * A valid use of each attribute compiles without warnings in the functional tests.
 */
class AttributeValidationTest {

    /**
     * Compiles a spec whose body is {@code fields} (the line holding {@code <<} is the one the
     * diagnostic must point at, the marker removed) and checks the single diagnostic of
     * {@code kind} with exactly {@code message}.
     */
    static void expect(Diagnostic.Kind kind, String network, String fields, String message) {
        String source = "package v;\n\nimport dev.chainrule.*;\n\n@Network(" + network + ")\nabstract class Bad {\n"
                + fields + "}\n";
        String[] lines = source.split("\n", -1);
        int line = 0;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains("<<")) {
                line = i + 1;
            }
        }
        JavaFileObject file = JavaFileObjects.forSourceString("v.Bad", source.replace("<<", ""));
        Compilation compilation = CompiledNetworks.javac().compile(file);
        List<Diagnostic<? extends JavaFileObject>> found = compilation.diagnostics().stream()
                .filter(d -> d.getKind() == kind)
                .collect(Collectors.toList());
        assertEquals(1, found.size(), () -> "expected one " + kind + ", got " + compilation.diagnostics());
        assertEquals(message, found.get(0).getMessage(Locale.ROOT));
        assertEquals(line, found.get(0).getLineNumber(), "the line of the offending annotation");
        if (kind == Diagnostic.Kind.ERROR) {
            assertThat(compilation).failed();
        } else {
            assertThat(compilation).succeeded();
            assertEquals(0, compilation.errors().size());
        }
    }

    static void expectError(String network, String fields, String message) {
        expect(Diagnostic.Kind.ERROR, network, fields, message);
    }

    private static final String MSE = "loss = Loss.MEAN_SQUARED_ERROR";

    @Test
    void alphaOnAnActivationWithoutParameter() {
        expectError(MSE, """
                    @Input(2) Layer in;
                    @Dense(units = 3, activation = Activation.TANH, alpha = 0.2) Layer hidden;<<
                    @Dense(units = 1) Layer out;
                """, "[chainrule/AlphaNotApplicable] layer 'hidden' sets alpha = 0.2, but TANH has no parameter;"
                + " alpha is the negative slope of LEAKY_RELU and the alpha of ELU, remove it");
    }

    @Test
    void leakySlopeOutsideZeroToOne() {
        for (String alpha : new String[] {"1.0", "0.0", "-0.1", "1.0 / 0.0"}) {
            String shown = alpha.equals("1.0 / 0.0") ? "Infinity" : alpha;
            expectError(MSE, """
                        @Input(2) Layer in;
                        @Dense(units = 3, activation = Activation.LEAKY_RELU, alpha = %s) Layer hidden;<<
                        @Dense(units = 1) Layer out;
                    """.formatted(alpha), "[chainrule/LeakySlopeOutOfRange] alpha = " + shown + " of LEAKY_RELU layer"
                    + " 'hidden' is outside (0, 1); the negative slope must lie strictly between 0 and 1 (use RELU"
                    + " for a slope of 0, LINEAR for 1)");
        }
    }

    @Test
    void eluAlphaNotPositive() {
        for (String alpha : new String[] {"0.0", "-1.0", "1.0 / 0.0"}) {
            String shown = alpha.equals("1.0 / 0.0") ? "Infinity" : alpha;
            expectError(MSE, """
                        @Input(2) Layer in;
                        @Dense(units = 3, activation = Activation.ELU, alpha = %s) Layer hidden;<<
                        @Dense(units = 1) Layer out;
                    """.formatted(alpha), "[chainrule/EluAlphaNotPositive] alpha = " + shown + " of ELU layer 'hidden'"
                    + " is not a positive number; ELU's alpha must be finite and greater than 0 (PyTorch's default"
                    + " is 1.0)");
        }
    }

    @Test
    void huberDeltaNotPositive() {
        for (String delta : new String[] {"0.0", "-1.0", "0.0 / 0.0"}) {
            String shown = delta.equals("0.0 / 0.0") ? "NaN" : delta;
            expectError("loss = Loss.HUBER,\n        huberDelta = " + delta + "<<", """
                        @Input(2) Layer in;
                        @Dense(units = 1) Layer out;
                    """, "[chainrule/HuberDeltaNotPositive] huberDelta = " + shown + " is not a positive number;"
                    + " HUBER's delta must be finite and greater than 0 (PyTorch's default is 1.0)");
        }
    }

    @Test
    void huberDeltaWithAnotherLoss() {
        expectError("loss = Loss.MEAN_ABSOLUTE_ERROR,\n        huberDelta = 2<<", """
                    @Input(2) Layer in;
                    @Dense(units = 1) Layer out;
                """, "[chainrule/HuberDeltaWithoutHuber] huberDelta = 2.0 is set, but the loss is MEAN_ABSOLUTE_ERROR;"
                + " huberDelta is the delta of the HUBER loss, remove it or use loss = Loss.HUBER");
    }

    @Test
    void regressionLossesOnSoftmaxAreWarnedAbout() {
        for (String loss : new String[] {"MEAN_ABSOLUTE_ERROR", "HUBER"}) {
            expect(Diagnostic.Kind.WARNING, "loss = Loss." + loss, """
                        @Input(2) Layer in;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer out;<<
                    """, "[chainrule/RegressionLossOnSoftmax] " + loss + " on the SOFTMAX output 'out' learns slowly;"
                    + " CATEGORICAL_CROSS_ENTROPY is the usual loss for a softmax output");
        }
    }

    @Test
    void zerosOnAHiddenLayerIsWarnedAbout() {
        expect(Diagnostic.Kind.WARNING, MSE, """
                    @Input(2) Layer in;
                    @Dense(units = 3, activation = Activation.TANH, init = Init.ZEROS) Layer hidden;<<
                    @Dense(units = 1, init = Init.ZEROS) Layer out;
                """, "[chainrule/ZerosOnHiddenLayer] hidden layer 'hidden' starts with every weight 0 (init = ZEROS):"
                + " its units get identical gradients and stay identical, so the layer acts as one unit; use ZEROS on"
                + " the output layer only");
    }

    @Test
    void dropoutOutsideZeroToOne() {
        for (String rate : new String[] {"1.0", "-0.2", "0.0 / 0.0"}) {
            String shown = rate.equals("0.0 / 0.0") ? "NaN" : rate;
            expectError(MSE, """
                        @Input(2) Layer in;
                        @Dense(units = 3, activation = Activation.TANH, dropout = %s) Layer hidden;<<
                        @Dense(units = 1) Layer out;
                    """.formatted(rate), "[chainrule/DropoutOutOfRange] dropout = " + shown + " of layer 'hidden' is"
                    + " outside [0, 1); it is the fraction of the layer's outputs dropped while training, e.g. 0.2");
        }
    }

    @Test
    void dropoutOnTheOutputLayer() {
        expectError(MSE, """
                    @Input(2) Layer in;
                    @Dense(units = 3, activation = Activation.TANH, dropout = 0.2) Layer hidden;
                    @Dense(units = 1, dropout = 0.5) Layer out;<<
                """, "[chainrule/DropoutOnOutput] output layer 'out' has dropout = 0.5; dropout is for hidden layers"
                + " only, remove it");
    }

    @Test
    void validAlphasCompileWithoutWarnings() {
        CompiledNetworks.compile("v.Good", """
                package v;

                import dev.chainrule.*;

                @Network(loss = Loss.MEAN_SQUARED_ERROR)
                abstract class Good {
                    @Input(2) Layer in;
                    @Dense(units = 3, activation = Activation.LEAKY_RELU, alpha = 0.2) Layer a;
                    @Dense(units = 3, activation = Activation.ELU, alpha = 3) Layer b;
                    @Dense(units = 3, activation = Activation.LEAKY_RELU) Layer c;
                    @Dense(units = 1, activation = Activation.ELU) Layer out;
                }
                """);
    }
}
