package dev.chainrule.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.chainrule.processor.SpecSource.assertOnlyError;
import static dev.chainrule.processor.SpecSource.assertOnlyWarning;

import com.google.testing.compile.Compilation;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.chainrule.Activation;
import dev.chainrule.Loss;
import dev.chainrule.Precision;
import dev.chainrule.processor.model.DenseSpec;
import dev.chainrule.processor.model.InputSpec;
import dev.chainrule.processor.model.NetworkSpec;
import java.util.List;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * One failure test per diagnostic ({@link Message}): each compiles a spec that breaks exactly one
 * rule and asserts the whole message, the line and column it points at (the marker
 * {@code /*>*}{@code /} in the source: the element's name, the {@code @} of its annotation, or
 * the annotation value), that it is the only diagnostic of the compilation (no cascade, no
 * warning beside it) and that nothing was generated. Warnings likewise, where the network is
 * generated. {@link MessageCatalogueTest} checks that every message has its test here.
 */
class DiagnosticTest {

    /** The spec {@code Spam} of several tests below, as the processor reads it. */
    static final NetworkSpec SPAM = new NetworkSpec("p", List.of("Spam"), "SpamNetwork", Loss.BINARY_CROSS_ENTROPY,
            Precision.FLOAT, dev.chainrule.Simd.AUTO, -1, new InputSpec("words", 4), List.of(new DenseSpec("spam", 1, Activation.SIGMOID)));

    /** What the emitters make of {@code spec}. */
    static TypeSpec emitted(NetworkSpec spec) {
        return NetworkProcessor.DEFAULT_STAGES.emit(NetworkProcessor.DEFAULT_STAGES.plan(spec, false));
    }

    @Nested
    class TheClass {

        @Test
        void notAClass_interface() {
            assertOnlyError("[chainrule/NotAClass] @Network must be on a class, but Iris is an interface; declare it as"
                    + " an abstract class", """
                    /*>*/@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    interface Iris {
                    }
                    """);
        }

        @Test
        void notAClass_record() {
            assertOnlyError("[chainrule/NotAClass] @Network must be on a class, but Iris is a record; declare it as an"
                    + " abstract class", """
                    /*>*/@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    record Iris(Layer features) {
                    }
                    """);
        }

        @Test
        void notAClass_enum() {
            assertOnlyError("[chainrule/NotAClass] @Network must be on a class, but Iris is an enum; declare it as an"
                    + " abstract class", """
                    /*>*/@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    enum Iris {
                        SETOSA
                    }
                    """);
        }

        @Test
        void finalClass() {
            assertOnlyError("[chainrule/FinalClass] @Network class Iris is final, but the generated network extends it;"
                    + " remove 'final'", """
                    /*>*/@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    final class Iris {
                        @Input(4) Layer features;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                    }
                    """);
        }

        @Test
        void sealedClass() {
            assertOnlyError("[chainrule/SealedClass] @Network class Iris is sealed, and the generated network is not"
                    + " among its permitted subclasses; remove 'sealed'", """
                    /*>*/@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract sealed class Iris permits Iris.Only {
                        @Input(4) Layer features;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;

                        static final class Only extends Iris {}
                    }
                    """);
        }

        @Test
        void privateClass() {
            assertOnlyError("[chainrule/PrivateClass] @Network class Iris is private, so the generated network cannot"
                    + " extend it; make it package-private", """
                    class Outer {
                        /*>*/@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                        private abstract static class Iris {
                            @Input(4) Layer features;
                            @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                        }
                    }
                    """);
        }

        @Test
        void privateEnclosingClass() {
            assertOnlyError("[chainrule/PrivateEnclosingClass] @Network class Iris is nested in the private class"
                    + " Middle, so the generated network cannot extend it; make Middle package-private", """
                    class Outer {
                        private static class Middle {
                            /*>*/@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                            abstract static class Iris {
                                @Input(4) Layer features;
                                @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                            }
                        }
                    }
                    """);
        }

        @Test
        void innerClass() {
            assertOnlyError("[chainrule/InnerClass] @Network class Iris is an inner class; make it a static nested"
                    + " class or a top-level class", """
                    class Outer {
                        /*>*/@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                        abstract class Iris {
                            @Input(4) Layer features;
                            @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                        }
                    }
                    """);
        }

        @Test
        void genericClass() {
            assertOnlyError("[chainrule/GenericClass] @Network class Iris has type parameters; a network spec cannot be"
                    + " generic, remove them", """
                    /*>*/@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris<T> {
                        @Input(4) Layer features;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                    }
                    """);
        }

        @Test
        void noConstructor_onlyWithArguments() {
            assertOnlyError("[chainrule/NoConstructor] @Network class Iris has no non-private constructor without"
                    + " arguments, which the generated network needs to call; add one", """
                    /*>*/@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris {
                        @Input(4) Layer features;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;

                        Iris(int ignored) {}
                    }
                    """);
        }

        @Test
        void noConstructor_private() {
            assertOnlyError("[chainrule/NoConstructor] @Network class Iris has no non-private constructor without"
                    + " arguments, which the generated network needs to call; add one", """
                    /*>*/@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris {
                        @Input(4) Layer features;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;

                        private Iris() {}
                    }
                    """);
        }

        @Test
        void constructorThrows() {
            assertOnlyError("[chainrule/ConstructorThrows] the constructor of @Network class Iris declares the checked"
                    + " exception java.io.IOException, which the generated network's constructors cannot throw;"
                    + " handle it inside the constructor", """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris {
                        @Input(4) Layer features;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;

                        /*>*/Iris() throws java.io.IOException {}
                    }
                    """);
        }

        @Test
        void serializable() {
            assertOnlyError("[chainrule/Serializable] @Network class Iris is Serializable, but generated networks are"
                    + " not (chainrule uses no Java serialization); remove Serializable and save the network through"
                    + " parameters()", """
                    /*>*/@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris implements java.io.Serializable {
                        private static final long serialVersionUID = 1L;
                        @Input(4) Layer features;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                    }
                    """);
        }
    }

    @Nested
    class Members {

        @Test
        void abstractMethod_declared() {
            assertOnlyError("[chainrule/AbstractMethod] abstract method accuracy(double[][]) is not implemented by the"
                    + " generated network, which implements only dev.chainrule.Model; give it a body or remove it", """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris {
                        @Input(4) Layer features;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;

                        abstract double /*>*/accuracy(double[][] samples);
                    }
                    """);
        }

        @Test
        void abstractMethod_inherited() {
            assertOnlyError("[chainrule/AbstractMethod] abstract method score() (inherited from p.Scored) is not"
                    + " implemented by the generated network, which implements only dev.chainrule.Model; give it a"
                    + " body or remove it",
                    SpecSource.of("""
                            interface Scored {
                                double score();
                            }
                            """),
                    SpecSource.of("""
                            /*>*/@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                            abstract class Iris implements Scored {
                                @Input(4) Layer features;
                                @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                            }
                            """));
        }

        @Test
        void abstractMethod_modelDefault() {
            // Model.summary() has a body, but an abstract class method wins over an interface default.
            assertOnlyError("[chainrule/AbstractMethod] abstract method summary() is not implemented by the generated"
                    + " network, which implements only dev.chainrule.Model; give it a body or remove it", """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris {
                        @Input(4) Layer features;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;

                        public abstract String /*>*/summary();
                    }
                    """);
        }

        @Test
        void methodConflict_final() {
            assertOnlyError("[chainrule/MethodConflict] method inputSize() clashes with the method of the same signature"
                    + " in the generated network: it is final, so the generated network cannot override it; rename it"
                    + " or remove it", """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris {
                        @Input(4) Layer features;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;

                        public final int /*>*/inputSize() {
                            return 4;
                        }
                    }
                    """);
        }

        @Test
        void methodConflict_returnType() {
            assertOnlyError("[chainrule/MethodConflict] method outputSize() clashes with the method of the same"
                    + " signature in the generated network: it returns long, but the generated method returns int;"
                    + " rename it or remove it", """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris {
                        @Input(4) Layer features;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;

                        abstract long /*>*/outputSize();
                    }
                    """);
        }

        @Test
        void methodConflict_static() {
            assertOnlyError("[chainrule/MethodConflict] method parameterCount() clashes with the method of the same"
                    + " signature in the generated network: it is static, and the generated method is not; rename it"
                    + " or remove it", """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris {
                        @Input(4) Layer features;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;

                        static int /*>*/parameterCount() {
                            return 0;
                        }
                    }
                    """);
        }

        @Test
        void methodConflict_privateHelper() {
            // A helper the generated network declares for itself (which one depends on the
            // emitters: it is looked up in what they emit) must not meet a visible method of the spec.
            MethodSpec helper = emitted(SPAM).methodSpecs().stream()
                    .filter(m -> m.modifiers().contains(Modifier.PRIVATE) && !m.isConstructor())
                    .findFirst().orElseThrow();
            String parameters = helper.parameters().stream().map(p -> p.type() + " " + p.name())
                    .collect(Collectors.joining(", "));
            String declaration = helper.returnType() + " /*>*/" + helper.name() + "(" + parameters + ") {\n"
                    + "        throw new UnsupportedOperationException();\n    }";
            String problem = helper.modifiers().contains(Modifier.STATIC)
                    ? "the generated method is static, and it is not"
                    : "the generated method is private, and cannot override a package-private method";
            String signature = helper.name() + "(" + helper.parameters().stream().map(p -> p.type().toString())
                    .collect(Collectors.joining(", ")) + ")";
            assertOnlyError("[chainrule/MethodConflict] method " + signature + " clashes with the method of the same"
                    + " signature in the generated network: " + problem + "; rename it or remove it", """
                    @Network(loss = Loss.BINARY_CROSS_ENTROPY)
                    abstract class Spam {
                        @Input(4) Layer words;
                        @Dense(units = 1, activation = Activation.SIGMOID) Layer spam;

                        %s
                    }
                    """.formatted(declaration));
        }

        @Test
        void methodConflict_modelDefaultNotPublic() {
            assertOnlyError("[chainrule/MethodConflict] method predict(double[]) clashes with the method of the same"
                    + " signature in the generated network: it is not public, but the generated network inherits it"
                    + " as its implementation of the public dev.chainrule.Model.predict; rename it or remove it", """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris {
                        @Input(4) Layer features;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;

                        double[] /*>*/predict(double[] sample) {
                            return sample;
                        }
                    }
                    """);
        }

        @Test
        void methodConflict_inherited() {
            assertOnlyError("[chainrule/MethodConflict] method copy() (inherited from p.Base) clashes with the method of"
                    + " the same signature in the generated network: it is final, so the generated network cannot"
                    + " override it; rename it or remove it",
                    SpecSource.of("""
                            abstract class Base {
                                final Object copy() {
                                    return this;
                                }
                            }
                            """),
                    SpecSource.of("""
                            /*>*/@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                            abstract class Iris extends Base {
                                @Input(4) Layer features;
                                @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                            }
                            """));
        }

        @Test
        void hiddenName_memberClass() {
            assertOnlyError("[chainrule/HiddenName] @Network class Iris has a member class named 'Math', which hides the"
                    + " class java.lang.Math that the generated network refers to by that name; rename it", """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris {
                        @Input(4) Layer features;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;

                        static /*>*/class Math {}
                    }
                    """);
        }

        @Test
        void hiddenName_field() {
            assertOnlyError("[chainrule/HiddenName] @Network class Iris has a field named 'System', which hides the"
                    + " class java.lang.System that the generated network refers to by that name; rename it", """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris {
                        @Input(4) Layer features;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;

                        Object /*>*/System;
                    }
                    """);
        }

        @Test
        void hiddenName_classInPackage() {
            assertOnlyError("[chainrule/HiddenName] package p has a class named 'Math', which hides the class"
                    + " java.lang.Math that the generated network refers to by that name; rename it",
                    SpecSource.of("""
                            class Math {}
                            """),
                    SpecSource.of("""
                            /*>*/@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                            abstract class Iris {
                                @Input(4) Layer features;
                                @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                            }
                            """));
        }

        @Test
        void hiddenName_generatedClass() {
            assertOnlyError("[chainrule/HiddenName] @Network class Iris has a member class named 'IrisNetwork', which"
                    + " hides the generated class itself that the generated network refers to by that name; rename it",
                    """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris {
                        @Input(4) Layer features;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;

                        /*>*/interface IrisNetwork {}
                    }
                    """);
        }
    }

    @Nested
    class LayerFields {

        @Test
        void fieldNotLayer() {
            assertOnlyError("[chainrule/FieldNotLayer] layer field 'features' has type java.lang.Object; declare it as"
                    + " dev.chainrule.Layer", """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris {
                        /*>*/@Input(4) Object features;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                    }
                    """);
        }

        @Test
        void fieldPrivate() {
            assertOnlyError("[chainrule/FieldPrivate] layer field 'species' is private, so the generated network cannot"
                    + " assign it; make it package-private", """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris {
                        @Input(4) Layer features;
                        /*>*/@Dense(units = 3, activation = Activation.SOFTMAX) private Layer species;
                    }
                    """);
        }

        @Test
        void fieldFinal() {
            assertOnlyError("[chainrule/FieldFinal] layer field 'species' is final, so the generated network cannot"
                    + " assign it; remove 'final'", """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris {
                        @Input(4) Layer features;
                        /*>*/@Dense(units = 3, activation = Activation.SOFTMAX) final Layer species = null;
                    }
                    """);
        }

        @Test
        void fieldStatic() {
            assertOnlyError("[chainrule/FieldStatic] layer field 'features' is static; a layer belongs to one network,"
                    + " remove 'static'", """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris {
                        /*>*/@Input(4) static Layer features;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                    }
                    """);
        }

        @Test
        void twoLayerAnnotations() {
            assertOnlyError("[chainrule/TwoLayerAnnotations] field 'hidden' has both @Input and @Dense; a field is one"
                    + " layer, keep one annotation", """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris {
                        @Input(4) Layer features;
                        @Input(4) /*>*/@Dense(units = 8) Layer hidden;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                    }
                    """);
        }

        @Test
        void noInput() {
            assertOnlyError("[chainrule/NoInput] @Network class Iris has no @Input field; declare one first, e.g."
                    + " '@Input(4) Layer features;'", """
                    /*>*/@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris {
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                    }
                    """);
        }

        @Test
        void multipleInputs() {
            assertOnlyError("[chainrule/MultipleInputs] @Input field 'more' is the second input layer (the first is"
                    + " 'features'); a network has exactly one input, remove one", """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris {
                        @Input(4) Layer features;
                        /*>*/@Input(2) Layer more;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                    }
                    """);
        }

        @Test
        void inputNotFirst() {
            assertOnlyError("[chainrule/InputNotFirst] @Input field 'features' comes after dense layer 'hidden'; move"
                    + " it before every @Dense field", """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris {
                        @Dense(units = 8, activation = Activation.TANH) Layer hidden;
                        /*>*/@Input(4) Layer features;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                    }
                    """);
        }

        @Test
        void noDense() {
            assertOnlyError("[chainrule/NoDense] @Network class Iris has no @Dense field; declare at least one, the last"
                    + " is the output layer", """
                    /*>*/@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris {
                        @Input(4) Layer features;
                    }
                    """);
        }

        @Test
        void layerOutsideNetwork() {
            assertOnlyError("[chainrule/LayerOutsideNetwork] @Dense field 'extra' is in Helper, which is not a @Network"
                    + " class, so it is no layer of any network (layers are read only from the @Network class itself,"
                    + " not from its superclasses); move it into the @Network class or remove the annotation", """
                    abstract class Helper {
                        /*>*/@Dense(units = 3) Layer extra;
                    }
                    """);
        }

        @Test
        void layerNamesClash() {
            assertOnlyError("[chainrule/LayerNamesClash] layer fields 'hidden' and 'Hidden' differ only in the case of"
                    + " their first letter, which the generated network's method names (built from the field names"
                    + " with the first letter capitalised) cannot tell apart; rename one", """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris {
                        @Input(4) Layer features;
                        @Dense(units = 8, activation = Activation.TANH) Layer hidden;
                        /*>*/@Dense(units = 8, activation = Activation.TANH) Layer Hidden;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                    }
                    """);
        }

        @Test
        void layerNameDollar() {
            assertOnlyError("[chainrule/LayerNameDollar] layer field 'hidden$1' has a '$' in its name, which this"
                    + " version of chainrule cannot write into the generated code; rename it (Java reserves '$' for"
                    + " generated names)", """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris {
                        @Input(4) Layer features;
                        /*>*/@Dense(units = 8, activation = Activation.TANH) Layer hidden$1;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                    }
                    """);
        }

        @Test
        void unannotatedLayer_isAWarning() {
            assertOnlyWarning("[chainrule/UnannotatedLayer] field 'hidden' has type Layer but no @Input or @Dense, so it"
                    + " is not a layer of the network and stays null; annotate it or remove it", SpecSource.of("""
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris {
                        @Input(4) Layer features;
                        Layer /*>*/hidden;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                    }
                    """));
        }
    }

    @Nested
    class Values {

        @Test
        void sizeNotPositive_units() {
            assertOnlyError("[chainrule/SizeNotPositive] units of layer 'hidden' is 0; it must be at least 1", """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris {
                        @Input(4) Layer features;
                        @Dense(units = /*>*/0, activation = Activation.TANH) Layer hidden;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                    }
                    """);
        }

        @Test
        void sizeNotPositive_input() {
            assertOnlyError("[chainrule/SizeNotPositive] the size of layer 'features' is -4; it must be at least 1", """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris {
                        @Input(/*>*/-4) Layer features;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                    }
                    """);
        }

        @Test
        void tooManyParameters() {
            assertOnlyError("[chainrule/TooManyParameters] network Huge has 10,000,200,001 parameters, more than a Java"
                    + " array can hold (2,147,483,639); make its layers smaller", """
                    /*>*/@Network(loss = Loss.MEAN_SQUARED_ERROR)
                    abstract class Huge {
                        @Input(100_000) Layer features;
                        @Dense(units = 100_000) Layer wide;
                        @Dense(units = 1) Layer output;
                    }
                    """);
        }

        @Test
        void unrollLimitOutOfRange() {
            assertOnlyError("[chainrule/UnrollLimitOutOfRange] unrollMaxWeights = 500 is outside -1..128; use -1 for"
                    + " the default threshold, 0 to unroll nothing, or a limit up to 128 so that no generated method"
                    + " outgrows what the JIT compiles", """
                    @Network(loss = Loss.MEAN_SQUARED_ERROR, unrollMaxWeights = /*>*/500)
                    abstract class Small {
                        @Input(8) Layer features;
                        @Dense(units = 8) Layer output;
                    }
                    """);
        }

        @Test
        void vectorUnavailable() {
            // The test compiler does not add jdk.incubator.vector, as a build without the flag would not.
            assertOnlyError("[chainrule/VectorUnavailable] simd = VECTOR needs the Vector API, but module"
                    + " jdk.incubator.vector is not visible to this compilation; add --add-modules"
                    + " jdk.incubator.vector to the compiler arguments, or use Simd.AUTO to fall back to portable"
                    + " kernels", """
                    @Network(loss = Loss.MEAN_SQUARED_ERROR, simd = Simd/*>*/.VECTOR)
                    abstract class Fast {
                        @Input(64) Layer features;
                        @Dense(units = 32) Layer output;
                    }
                    """);
        }

        @Test
        void softmaxNotOutput() {
            assertOnlyError("[chainrule/SoftmaxNotOutput] layer 'hidden' uses SOFTMAX but is not the output layer;"
                    + " SOFTMAX is only allowed on the last @Dense layer", """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris {
                        @Input(4) Layer features;
                        @Dense(units = 8, activation = Activation/*>*/.SOFTMAX) Layer hidden;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                    }
                    """);
        }

        @Test
        void softmaxSingleOutput() {
            assertOnlyError("[chainrule/SoftmaxSingleOutput] output layer 'spam' uses SOFTMAX with 1 unit, which always"
                    + " outputs 1; use SIGMOID with BINARY_CROSS_ENTROPY for a binary output", """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Spam {
                        @Input(4) Layer words;
                        @Dense(units = /*>*/1, activation = Activation.SOFTMAX) Layer spam;
                    }
                    """);
        }

        @Test
        void softmaxSingleOutput_isTheOnlyMessageUnderBinaryCrossEntropy() {
            assertOnlyError("[chainrule/SoftmaxSingleOutput] output layer 'spam' uses SOFTMAX with 1 unit, which always"
                    + " outputs 1; use SIGMOID with BINARY_CROSS_ENTROPY for a binary output", """
                    @Network(loss = Loss.BINARY_CROSS_ENTROPY)
                    abstract class Spam {
                        @Input(4) Layer words;
                        @Dense(units = /*>*/1, activation = Activation.SOFTMAX) Layer spam;
                    }
                    """);
        }

        @Test
        void crossEntropyNeedsSoftmax() {
            assertOnlyError("[chainrule/CrossEntropyNeedsSoftmax] CATEGORICAL_CROSS_ENTROPY needs a SOFTMAX output layer,"
                    + " but 'species' uses SIGMOID; set activation = Activation.SOFTMAX", """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris {
                        @Input(4) Layer features;
                        @Dense(units = 3, activation = Activation/*>*/.SIGMOID) Layer species;
                    }
                    """);
        }

        @Test
        void crossEntropyNeedsSoftmax_defaultActivation() {
            // No activation attribute: the error points at the annotation (javac has no value to point at).
            assertOnlyError("[chainrule/CrossEntropyNeedsSoftmax] CATEGORICAL_CROSS_ENTROPY needs a SOFTMAX output layer,"
                    + " but 'species' uses LINEAR; set activation = Activation.SOFTMAX", """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Iris {
                        @Input(4) Layer features;
                        /*>*/@Dense(units = 3) Layer species;
                    }
                    """);
        }

        @Test
        void binaryCrossEntropyNeedsSigmoid() {
            assertOnlyError("[chainrule/BinaryCrossEntropyNeedsSigmoid] BINARY_CROSS_ENTROPY needs a SIGMOID output"
                    + " layer, but 'spam' uses TANH; set activation = Activation.SIGMOID", """
                    @Network(loss = Loss.BINARY_CROSS_ENTROPY)
                    abstract class Spam {
                        @Input(4) Layer words;
                        @Dense(units = 1, activation = Activation/*>*/.TANH) Layer spam;
                    }
                    """);
        }

        @Test
        void squaredErrorOnSoftmax_isAWarning() {
            assertOnlyWarning("[chainrule/SquaredErrorOnSoftmax] MEAN_SQUARED_ERROR on the SOFTMAX output 'species' learns"
                    + " slowly; CATEGORICAL_CROSS_ENTROPY is the usual loss for a softmax output", SpecSource.of("""
                    @Network(loss = Loss.MEAN_SQUARED_ERROR)
                    abstract class Iris {
                        @Input(4) Layer features;
                        @Dense(units = 3, activation = Activation/*>*/.SOFTMAX) Layer species;
                    }
                    """));
        }

        @Test
        void unknownConstant() {
            // A runtime newer than the processor: its Activation has a constant the processor lacks.
            SpecSource newerActivation = new SpecSource("dev.chainrule.Activation", """
                    package dev.chainrule;

                    public enum Activation { LINEAR, SIGMOID, TANH, RELU, LEAKY_RELU, SOFTMAX, SWISH }
                    """);
            assertOnlyError("[chainrule/UnknownConstant] Activation.SWISH is not known to this chainrule processor, which"
                    + " is older than the chainrule runtime; use the processor of the same version as the runtime",
                    newerActivation, SpecSource.of("""
                            @Network(loss = Loss.MEAN_SQUARED_ERROR)
                            abstract class Future {
                                @Input(4) Layer features;
                                @Dense(units = 3, activation = Activation/*>*/.SWISH) Layer output;
                            }
                            """));
        }
    }

    @Nested
    class Names {

        @Test
        void invalidName() {
            assertOnlyError("[chainrule/InvalidName] name \"Iris Network\" is not a valid Java class name; use a simple"
                    + " identifier such as \"IrisNetwork\" (the generated class is always in the spec's package)", """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY, name = /*>*/"Iris Network")
                    abstract class Iris {
                        @Input(4) Layer features;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                    }
                    """);
        }

        @Test
        void invalidName_qualified() {
            assertOnlyError("[chainrule/InvalidName] name \"q.IrisNetwork\" is not a valid Java class name; use a simple"
                    + " identifier such as \"IrisNetwork\" (the generated class is always in the spec's package)", """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY, name = /*>*/"q.IrisNetwork")
                    abstract class Iris {
                        @Input(4) Layer features;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                    }
                    """);
        }

        @Test
        void invalidName_keyword() {
            assertOnlyError("[chainrule/InvalidName] name \"class\" is not a valid Java class name; use a simple"
                    + " identifier such as \"IrisNetwork\" (the generated class is always in the spec's package)", """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY, name = /*>*/"class")
                    abstract class Iris {
                        @Input(4) Layer features;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                    }
                    """);
        }

        @Test
        void invalidName_restrictedIdentifier() {
            assertOnlyError("[chainrule/InvalidName] name \"record\" is not a valid Java class name; use a simple"
                    + " identifier such as \"IrisNetwork\" (the generated class is always in the spec's package)", """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY, name = /*>*/"record")
                    abstract class Iris {
                        @Input(4) Layer features;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                    }
                    """);
        }

        @Test
        void nameClash_theSpecItself() {
            assertOnlyError("[chainrule/NameClash] the generated class p.Iris would clash with the @Network class itself;"
                    + " choose another name with @Network(name = ...)", """
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY, name = /*>*/"Iris")
                    abstract class Iris {
                        @Input(4) Layer features;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                    }
                    """);
        }

        @Test
        void nameClash_existingType() {
            assertOnlyError("[chainrule/NameClash] the generated class p.IrisNetwork would clash with the existing type"
                    + " p.IrisNetwork; choose another name with @Network(name = ...)",
                    SpecSource.of("""
                            /*>*/@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                            abstract class Iris {
                                @Input(4) Layer features;
                                @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                            }
                            """),
                    SpecSource.of("""
                            class IrisNetwork {}
                            """));
        }

        @Test
        void nameClash_package() {
            assertOnlyError("[chainrule/NameClash] the generated class p.Iris2 would clash with the package p.Iris2;"
                    + " choose another name with @Network(name = ...)",
                    SpecSource.of("""
                            @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY, name = /*>*/"Iris2")
                            abstract class Iris {
                                @Input(4) Layer features;
                                @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                            }
                            """),
                    SpecSource.of("p.Iris2", """
                            class Sub {}
                            """));
        }

        @Test
        void nameClash_javaLangClassTheGeneratedCodeUses() {
            assertOnlyError("[chainrule/NameClash] the generated class p.Math would clash with java.lang.Math, which the"
                    + " generated network refers to by its simple name; choose another name with @Network(name = ...)",
                    """
                    @Network(loss = Loss.MEAN_SQUARED_ERROR, name = /*>*/"Math")
                    abstract class Regression {
                        @Input(4) Layer features;
                        @Dense(units = 1) Layer value;
                    }
                    """);
        }

        @Test
        void duplicateName() {
            assertOnlyError("[chainrule/DuplicateName] the generated class p.Flowers is also generated from @Network class"
                    + " Iris; give one of them another name with @Network(name = ...)",
                    SpecSource.of("""
                            @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY, name = "Flowers")
                            abstract class Iris {
                                @Input(4) Layer features;
                                @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                            }
                            """),
                    SpecSource.of("""
                            @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY, name = /*>*/"Flowers")
                            abstract class Orchids {
                                @Input(8) Layer features;
                                @Dense(units = 5, activation = Activation.SOFTMAX) Layer species;
                            }
                            """));
        }

        @Test
        void duplicateName_nestedAndTopLevel() {
            // Outer.Iris and Outer_Iris both generate Outer_IrisNetwork.
            assertOnlyError("[chainrule/DuplicateName] the generated class p.Outer_IrisNetwork is also generated from"
                    + " @Network class Outer.Iris; give one of them another name with @Network(name = ...)",
                    SpecSource.of("""
                            class Outer {
                                @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                                abstract static class Iris {
                                    @Input(4) Layer features;
                                    @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                                }
                            }
                            """),
                    SpecSource.of("""
                            /*>*/@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                            abstract class Outer_Iris {
                                @Input(4) Layer features;
                                @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                            }
                            """));
        }

        @Test
        void nestedNameClash() {
            // The name of a class nested in the generated network (its TrainingStep), as the emitters write it.
            String nested = emitted(SPAM).typeSpecs().get(0).name();
            assertOnlyError("[chainrule/NestedNameClash] name \"" + nested + "\" is also the name of a class nested in"
                    + " the generated network, and a class cannot enclose a class of its own name; choose another name",
                    """
                    @Network(loss = Loss.BINARY_CROSS_ENTROPY, name = /*>*/"%s")
                    abstract class Spam {
                        @Input(4) Layer words;
                        @Dense(units = 1, activation = Activation.SIGMOID) Layer spam;
                    }
                    """.formatted(nested));
        }

        @Test
        void cannotWrite_staleGeneratedSourceAmongTheSources() {
            assertOnlyError("[chainrule/CannotWrite] cannot write the generated class p.IrisNetwork: Attempt to recreate a"
                    + " file for type p.IrisNetwork; if a stale copy of it is among the sources being compiled, delete"
                    + " it, or choose another name with @Network(name = ...)",
                    SpecSource.of("""
                            /*>*/@Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                            abstract class Iris {
                                @Input(4) Layer features;
                                @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
                            }
                            """),
                    SpecSource.of("""
                            final class IrisNetwork extends Iris {}
                            """));
        }
    }

    @Nested
    class Together {

        @Test
        void everyBrokenRuleOfASpecIsReportedInOneCompilation() {
            SpecSource spec = SpecSource.of("""
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY, name = "Not A Name")
                    abstract class Iris {
                        @Input(4) private Layer features;
                        @Dense(units = 0, activation = Activation.TANH) Layer hidden;
                        @Dense(units = 8, activation = Activation.SOFTMAX) Layer second;
                        @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;

                        abstract void evaluate();
                    }
                    """);
            SpecSource.Compiled compiled = SpecSource.compile(spec);
            Compilation compilation = compiled.compilation();
            assertThat(compilation).hadErrorCount(5);
            assertThat(compilation).hadWarningCount(0);
            assertThat(compilation).hadErrorContaining("[chainrule/FieldPrivate]").inFile(spec.file())
                    .onLineContaining("private Layer features");
            assertThat(compilation).hadErrorContaining("[chainrule/SizeNotPositive]").inFile(spec.file())
                    .onLineContaining("units = 0");
            assertThat(compilation).hadErrorContaining("[chainrule/SoftmaxNotOutput]").inFile(spec.file())
                    .onLineContaining("Layer second");
            assertThat(compilation).hadErrorContaining("[chainrule/InvalidName]").inFile(spec.file())
                    .onLineContaining("Not A Name");
            assertThat(compilation).hadErrorContaining("[chainrule/AbstractMethod]").inFile(spec.file())
                    .onLineContaining("abstract void evaluate()");
            assertThat(compiled.created()).isEmpty();
        }

        @Test
        void aBrokenSpecDoesNotStopTheOthers() {
            SpecSource broken = SpecSource.of("""
                    @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
                    abstract class Broken {
                        @Input(4) Layer features;
                        @Dense(units = 3, activation = Activation.TANH) Layer species;
                    }
                    """);
            SpecSource before = SpecSource.of("""
                    @Network(loss = Loss.MEAN_SQUARED_ERROR)
                    abstract class Before {
                        @Input(2) Layer input;
                        @Dense(units = 1) Layer output;
                    }
                    """);
            SpecSource after = SpecSource.of("""
                    @Network(loss = Loss.BINARY_CROSS_ENTROPY)
                    abstract class After {
                        @Input(2) Layer input;
                        @Dense(units = 1, activation = Activation.SIGMOID) Layer output;
                    }
                    """);
            SpecSource.Compiled compiled = SpecSource.compile(before, broken, after);
            assertThat(compiled.compilation()).hadErrorCount(1);
            assertThat(compiled.compilation()).hadErrorContaining("[chainrule/CrossEntropyNeedsSoftmax]")
                    .inFile(broken.file());
            assertThat(compiled.created().stream().map(RecordingProcessor.Created::name).toList())
                    .containsExactly("p.BeforeNetwork", "p.AfterNetwork");
        }
    }
}
