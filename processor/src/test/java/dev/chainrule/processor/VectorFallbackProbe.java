package dev.chainrule.processor;

import dev.chainrule.Model;
import dev.chainrule.TrainingStep;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Run in a separate JVM by {@link VectorPathTest}, without {@code --add-modules}: prints whether
 * the network's vector kernels are on, then a fingerprint of its parameters after a fixed bit of
 * training.
 */
public final class VectorFallbackProbe {

    private VectorFallbackProbe() {}

    public static void main(String[] args) throws ReflectiveOperationException {
        Class<?> type = Class.forName(args[0]);
        Model net = (Model) type.getConstructor(long.class).newInstance(5L);
        Field flag = type.getDeclaredField("VECTOR_KERNELS");
        flag.setAccessible(true);
        System.out.println("vector kernels: " + flag.getBoolean(null));
        System.out.println(trainAndDescribe(net));
    }

    /** Trains 5 steps on seeded data and returns the parameters' hash and sum. */
    static String trainAndDescribe(Model net) {
        SplittableRandom random = new SplittableRandom(9L);
        int batch = 7;
        TrainingStep step = net.newTrainingStep(batch);
        for (int s = 0; s < batch; s++) {
            double[] x = new double[net.inputSize()];
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextDouble(-1, 1);
            }
            double[] y = new double[net.outputSize()];
            y[random.nextInt(y.length)] = 1;
            step.load(s, x, 0, y, 0);
        }
        for (int k = 0; k < 5; k++) {
            step.computeGradients(batch);
            step.applyGradients(0.05);
        }
        double[] theta = net.parameters();
        return "parameters " + Arrays.hashCode(theta) + " sum " + Arrays.stream(theta).sum();
    }
}
