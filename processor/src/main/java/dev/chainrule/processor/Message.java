package dev.chainrule.processor;

import java.util.Locale;
import javax.tools.Diagnostic;

/**
 * Every diagnostic the processor can report, each with a stable key (so users can search for it)
 * and a text that says what is wrong and how to fix it. The arguments fill the {@code %s}s.
 * {@code docs/errors.md} lists them all with an example spec and its fix; keep the two in step.
 */
enum Message {
    // The class
    NOT_A_CLASS("NotAClass", "@Network must be on a class, but %s is %s; declare it as an abstract class"),
    FINAL_CLASS("FinalClass", "@Network class %s is final, but the generated network extends it; remove 'final'"),
    SEALED_CLASS("SealedClass", "@Network class %s is sealed, and the generated network is not among its permitted subclasses; remove 'sealed'"),
    PRIVATE_CLASS("PrivateClass", "@Network class %s is private, so the generated network cannot extend it; make it package-private"),
    PRIVATE_ENCLOSING_CLASS(
            "PrivateEnclosingClass",
            "@Network class %s is nested in the private class %s, so the generated network cannot extend it; make %s package-private"),
    INNER_CLASS("InnerClass", "@Network class %s is an inner class; make it a static nested class or a top-level class"),
    GENERIC_CLASS("GenericClass", "@Network class %s has type parameters; a network spec cannot be generic, remove them"),
    NO_CONSTRUCTOR("NoConstructor", "@Network class %s has no non-private constructor without arguments, which the generated network needs to call; add one"),
    CONSTRUCTOR_THROWS(
            "ConstructorThrows",
            "the constructor of @Network class %s declares the checked exception %s, which the generated network's constructors cannot throw; handle it inside the constructor"),
    SERIALIZABLE("Serializable", "@Network class %s is Serializable, but generated networks are not (chainrule uses no Java serialization); remove Serializable and save the network through parameters()"),
    ABSTRACT_METHOD(
            "AbstractMethod",
            "abstract method %s%s is not implemented by the generated network, which implements only dev.chainrule.Model; give it a body or remove it"),
    METHOD_CONFLICT(
            "MethodConflict",
            "method %s%s clashes with the method of the same signature in the generated network: %s; rename it or remove it"),
    HIDDEN_NAME(
            "HiddenName",
            "%s has %s named '%s', which hides %s that the generated network refers to by that name; rename it"),

    // The layer fields
    FIELD_NOT_LAYER("FieldNotLayer", "layer field '%s' has type %s; declare it as dev.chainrule.Layer"),
    FIELD_PRIVATE("FieldPrivate", "layer field '%s' is private, so the generated network cannot assign it; make it package-private"),
    FIELD_FINAL("FieldFinal", "layer field '%s' is final, so the generated network cannot assign it; remove 'final'"),
    FIELD_STATIC("FieldStatic", "layer field '%s' is static; a layer belongs to one network, remove 'static'"),
    TWO_LAYER_ANNOTATIONS("TwoLayerAnnotations", "field '%s' has both @Input and @Dense; a field is one layer, keep one annotation"),
    NO_INPUT("NoInput", "@Network class %s has no @Input field; declare one first, e.g. '@Input(4) Layer features;'"),
    MULTIPLE_INPUTS("MultipleInputs", "@Input field '%s' is the second input layer (the first is '%s'); a network has exactly one input, remove one"),
    INPUT_NOT_FIRST("InputNotFirst", "@Input field '%s' comes after dense layer '%s'; move it before every @Dense field"),
    NO_DENSE("NoDense", "@Network class %s has no @Dense field; declare at least one, the last is the output layer"),
    LAYER_OUTSIDE_NETWORK(
            "LayerOutsideNetwork",
            "%s field '%s' is in %s, which is not a @Network class, so it is no layer of any network (layers are read only from the @Network class itself, not from its superclasses); move it into the @Network class or remove the annotation"),
    LAYER_NAMES_CLASH(
            "LayerNamesClash",
            "layer fields '%s' and '%s' differ only in the case of their first letter, which the generated network's method names (built from the field names with the first letter capitalised) cannot tell apart; rename one"),
    LAYER_NAME_DOLLAR(
            "LayerNameDollar",
            "layer field '%s' has a '$' in its name, which this version of chainrule cannot write into the generated code; rename it (Java reserves '$' for generated names)"),
    UNANNOTATED_LAYER(
            "UnannotatedLayer",
            Diagnostic.Kind.WARNING,
            "field '%s' has type Layer but no @Input or @Dense, so it is not a layer of the network and stays null; annotate it or remove it"),

    // Sizes, activations and the loss
    SIZE_NOT_POSITIVE("SizeNotPositive", "%s of layer '%s' is %s; it must be at least 1"),
    TOO_MANY_PARAMETERS("TooManyParameters", "network %s has %s parameters, more than a Java array can hold (%s); make its layers smaller"),
    SOFTMAX_NOT_OUTPUT("SoftmaxNotOutput", "layer '%s' uses SOFTMAX but is not the output layer; SOFTMAX is only allowed on the last @Dense layer"),
    SOFTMAX_SINGLE_OUTPUT("SoftmaxSingleOutput", "output layer '%s' uses SOFTMAX with 1 unit, which always outputs 1; use SIGMOID with BINARY_CROSS_ENTROPY for a binary output"),
    CROSS_ENTROPY_NEEDS_SOFTMAX("CrossEntropyNeedsSoftmax", "CATEGORICAL_CROSS_ENTROPY needs a SOFTMAX output layer, but '%s' uses %s; set activation = Activation.SOFTMAX"),
    BINARY_CROSS_ENTROPY_NEEDS_SIGMOID("BinaryCrossEntropyNeedsSigmoid", "BINARY_CROSS_ENTROPY needs a SIGMOID output layer, but '%s' uses %s; set activation = Activation.SIGMOID"),
    SQUARED_ERROR_ON_SOFTMAX(
            "SquaredErrorOnSoftmax",
            Diagnostic.Kind.WARNING,
            "MEAN_SQUARED_ERROR on the SOFTMAX output '%s' learns slowly; CATEGORICAL_CROSS_ENTROPY is the usual loss for a softmax output"),
    ALPHA_NOT_APPLICABLE("AlphaNotApplicable", "layer '%s' sets alpha = %s, but %s has no parameter; alpha is the negative slope of LEAKY_RELU and the alpha of ELU, remove it"),
    LEAKY_SLOPE_OUT_OF_RANGE("LeakySlopeOutOfRange", "alpha = %s of LEAKY_RELU layer '%s' is outside (0, 1); the negative slope must lie strictly between 0 and 1 (use RELU for a slope of 0, LINEAR for 1)"),
    ELU_ALPHA_NOT_POSITIVE("EluAlphaNotPositive", "alpha = %s of ELU layer '%s' is not a positive number; ELU's alpha must be finite and greater than 0 (PyTorch's default is 1.0)"),
    REGRESSION_LOSS_ON_SOFTMAX(
            "RegressionLossOnSoftmax",
            Diagnostic.Kind.WARNING,
            "%s on the SOFTMAX output '%s' learns slowly; CATEGORICAL_CROSS_ENTROPY is the usual loss for a softmax output"),
    HUBER_DELTA_NOT_POSITIVE("HuberDeltaNotPositive", "huberDelta = %s is not a positive number; HUBER's delta must be finite and greater than 0 (PyTorch's default is 1.0)"),
    HUBER_DELTA_WITHOUT_HUBER("HuberDeltaWithoutHuber", "huberDelta = %s is set, but the loss is %s; huberDelta is the delta of the HUBER loss, remove it or use loss = Loss.HUBER"),
    ZEROS_ON_HIDDEN_LAYER(
            "ZerosOnHiddenLayer",
            Diagnostic.Kind.WARNING,
            "hidden layer '%s' starts with every weight 0 (init = ZEROS): its units get identical gradients and stay identical, so the layer acts as one unit; use ZEROS on the output layer only"),
    DROPOUT_OUT_OF_RANGE("DropoutOutOfRange", "dropout = %s of layer '%s' is outside [0, 1); it is the fraction of the layer's outputs dropped while training, e.g. 0.2"),
    DROPOUT_ON_OUTPUT("DropoutOnOutput", "output layer '%s' has dropout = %s; dropout is for hidden layers only, remove it"),
    UNROLL_LIMIT_OUT_OF_RANGE("UnrollLimitOutOfRange", "unrollMaxWeights = %s is outside -1..%s; use -1 for the default threshold, 0 to unroll nothing, or a limit up to %s so that no generated method outgrows what the JIT compiles"),
    VECTOR_UNAVAILABLE("VectorUnavailable", "simd = VECTOR needs the Vector API, but module jdk.incubator.vector is not visible to this compilation; add --add-modules jdk.incubator.vector to the compiler arguments, or use Simd.AUTO to fall back to portable kernels"),

    // The generated class's name and file
    INVALID_NAME("InvalidName", "name \"%s\" is not a valid Java class name; use a simple identifier such as \"IrisNetwork\" (the generated class is always in the spec's package)"),
    NAME_CLASH("NameClash", "the generated class %s would clash with %s; choose another name with @Network(name = ...)"),
    DUPLICATE_NAME("DuplicateName", "the generated class %s is also generated from @Network class %s; give one of them another name with @Network(name = ...)"),
    NESTED_NAME_CLASH("NestedNameClash", "name \"%s\" is also the name of a class nested in the generated network, and a class cannot enclose a class of its own name; choose another name"),
    CANNOT_WRITE("CannotWrite", "cannot write the generated class %s: %s; if a stale copy of it is among the sources being compiled, delete it, or choose another name with @Network(name = ...)"),

    UNKNOWN_CONSTANT(
            "UnknownConstant",
            "%s.%s is not known to this chainrule processor, which is older than the chainrule runtime; use the processor of the same version as the runtime"),
    INTERNAL_ERROR("InternalError", "internal error in chainrule while generating %s: %s; please report this with the spec that caused it");

    private final String key;
    private final Diagnostic.Kind kind;
    private final String template;

    Message(String key, String template) {
        this(key, Diagnostic.Kind.ERROR, template);
    }

    Message(String key, Diagnostic.Kind kind, String template) {
        this.key = key;
        this.kind = kind;
        this.template = template;
    }

    /** The stable key, as it appears between the brackets: {@code NoInput}. */
    String key() {
        return key;
    }

    Diagnostic.Kind kind() {
        return kind;
    }

    /** The full text: {@code [chainrule/Key] message}. */
    String format(Object... arguments) {
        return "[chainrule/" + key + "] " + String.format(Locale.ROOT, template, arguments);
    }
}
