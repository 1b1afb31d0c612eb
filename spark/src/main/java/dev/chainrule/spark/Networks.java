package dev.chainrule.spark;

import dev.chainrule.Model;
import dev.chainrule.TrainingStep;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;

/**
 * Rebuilds networks on executors from their class name: only the name and the parameter arrays
 * travel, never a network (generated networks are not {@code Serializable}, and need not be).
 *
 * <p>Each executor thread keeps the last network it built, with its training step, and reuses it
 * for the next task of the same class: a task overwrites every parameter (and the optimizer's
 * state) from the broadcast before it computes anything, so what an earlier task, or a failed
 * attempt of this one, left behind never leaks into a result. Reuse matters because a
 * synchronous run starts a task per partition per mini-batch, and building an MNIST-sized
 * network and its buffers each time would cost more than the step.
 */
final class Networks {

    /** A network and a step of it, owned by one thread. */
    static final class Local {
        final String className;
        final Model model;
        TrainingStep step;
        private double[] gradient;
        private float[] floats;
        /** The dropout rate the step was given, NaN while it has the declared rates. */
        private double stepDropoutRate = Double.NaN;

        Local(String className, Model model) {
            this.className = className;
            this.model = model;
        }

        /**
         * A step of at least {@code batchSize} slots with the run's dropout rate ({@code NaN}: the
         * declared rates), made anew only when a larger one is needed or the rate must go back to
         * the declared ones (a step reused from an earlier run may carry another run's override).
         */
        TrainingStep step(int batchSize, double dropoutRate) {
            boolean declared = Double.isNaN(dropoutRate);
            if (step == null || step.maxBatchSize() < batchSize || (declared && !Double.isNaN(stepDropoutRate))) {
                step = model.newTrainingStep(Math.max(1, batchSize));
                stepDropoutRate = Double.NaN;
            }
            if (!declared && Double.compare(dropoutRate, stepDropoutRate) != 0) {
                step.setDropoutRate(dropoutRate);
                stepDropoutRate = dropoutRate;
            }
            return step;
        }

        /** {@code values} narrowed to float, in a buffer of this thread's (values that are floats stay exact). */
        float[] asFloats(double[] values) {
            if (floats == null || floats.length != values.length) {
                floats = new float[values.length];
            }
            for (int i = 0; i < values.length; i++) {
                floats[i] = (float) values[i];
            }
            return floats;
        }

        /** A buffer of one value per parameter, for copying a gradient out. */
        double[] gradientBuffer() {
            if (gradient == null || gradient.length != model.parameterCount()) {
                gradient = new double[model.parameterCount()];
            }
            return gradient;
        }
    }

    private static final ThreadLocal<Local> CACHED = new ThreadLocal<>();

    private Networks() {}

    /**
     * This thread's network of class {@code className}, built on first use. Its parameters are
     * whatever the previous task left: the caller sets them.
     */
    static Local local(String className) {
        Local local = CACHED.get();
        if (local == null || !local.className.equals(className)) {
            local = new Local(className, create(className));
            CACHED.set(local);
        }
        return local;
    }

    /**
     * A new network of class {@code className} through its public no-argument constructor (every
     * generated network has one), loaded by the thread's context class loader: on an executor,
     * the one that sees the application's jar.
     *
     * @throws IllegalArgumentException if the class cannot be found, is not a {@link Model}, or has
     *     no public no-argument constructor
     */
    static Model create(String className) {
        Class<?> type;
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            type = Class.forName(className, true, loader != null ? loader : Networks.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("cannot rebuild the network: class " + className + " is not on this"
                    + " JVM's class path; ship the jar that holds it to the executors (spark-submit's application jar"
                    + " or --jars)", e);
        }
        if (!Model.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("cannot rebuild the network: " + className + " does not implement "
                    + Model.class.getName());
        }
        Constructor<?> constructor;
        try {
            constructor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("cannot rebuild the network: " + className + " has no public"
                    + " no-argument constructor; the trainer rebuilds networks on executors from their class name and"
                    + " parameters, as generated networks allow (new XNetwork())", e);
        }
        if (!Modifier.isPublic(type.getModifiers())) {
            throw new IllegalArgumentException("cannot rebuild the network: " + className + " is not public");
        }
        try {
            return (Model) constructor.newInstance();
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("the constructor of " + className + " failed: " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot rebuild the network " + className + ": " + e, e);
        }
    }
}
