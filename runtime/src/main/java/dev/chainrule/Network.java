package dev.chainrule;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a neural network. The annotation processor reads the annotated class and generates
 * {@code <Spec>Network}, a subclass that implements {@link Model} with a forward pass, loss,
 * backward pass and update step written out for exactly this topology.
 *
 * <p>The layers are the class's {@link Layer} fields, in declaration order: one {@link Input}
 * first, then one or more {@link Dense} layers, the last of which is the output.
 *
 * <pre>{@code
 * @Network(loss = Loss.CATEGORICAL_CROSS_ENTROPY)
 * abstract class Iris {
 *     @Input(4) Layer features;
 *     @Dense(units = 16, activation = Activation.TANH) Layer hidden;
 *     @Dense(units = 3, activation = Activation.SOFTMAX) Layer species;
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Network {

    /** The loss the network is trained to minimise. */
    Loss loss();

    /**
     * The {@code δ} of {@link Loss#HUBER}: where the loss turns from squared to absolute error.
     * Finite and positive; only with {@code loss = HUBER}. PyTorch's default.
     */
    double huberDelta() default 1.0;

    /**
     * The update rule the training step is generated with; its hyperparameters are run-time
     * values ({@link UpdateSettings}, set through the trainer). Plain SGD by default.
     */
    Optimizer optimizer() default Optimizer.SGD;

    /** The primitive type of parameters, activations and gradients. */
    Precision precision() default Precision.FLOAT;

    /**
     * Which kernels to generate for layers too large to unroll: the JDK's Vector API (about twice
     * as fast on large layers; needs {@code --add-modules jdk.incubator.vector} to compile and to
     * use it at run time) or portable loops. Both compute bit-identical results.
     */
    Simd simd() default Simd.AUTO;

    /**
     * Layers with at most this many weights are written out as straight-line code; larger ones as
     * tiled loops. {@code -1} (the default) takes the processor's threshold, chosen by benchmark
     * (see docs/performance.md); {@code 0} unrolls nothing. At most {@value #MAX_UNROLL_WEIGHTS}, so
     * that no generated method grows past the size the JIT compiles.
     */
    int unrollMaxWeights() default -1;

    /** The largest {@link #unrollMaxWeights()} accepted. */
    int MAX_UNROLL_WEIGHTS = 128;

    /**
     * The simple name of the generated class. Empty (the default) means {@code <Spec>Network},
     * or {@code <Outer>_<Spec>Network} for a spec nested in {@code Outer}.
     */
    String name() default "";
}
