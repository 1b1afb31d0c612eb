package dev.chainrule.train;

/** The implementations behind {@link LearningRateSchedule}'s factories, with readable names. */
final class Schedules {

    private Schedules() {}

    static void requirePositive(double value, String name) {
        if (!(value > 0.0 && Double.isFinite(value))) {
            throw new IllegalArgumentException(name + " is " + value + ", must be finite and positive");
        }
    }

    enum Constant implements LearningRateSchedule {
        INSTANCE;

        @Override
        public double learningRate(int epoch, double base) {
            return base;
        }

        @Override
        public String toString() {
            return "constant()";
        }
    }

    record StepDecay(double factor, int everyEpochs) implements LearningRateSchedule {
        @Override
        public double learningRate(int epoch, double base) {
            return base * StrictMath.pow(factor, (epoch - 1) / everyEpochs);
        }

        @Override
        public String toString() {
            return "stepDecay(" + factor + ", " + everyEpochs + ")";
        }
    }

    record ExponentialDecay(double factor) implements LearningRateSchedule {
        @Override
        public double learningRate(int epoch, double base) {
            return base * StrictMath.pow(factor, epoch - 1);
        }

        @Override
        public String toString() {
            return "exponentialDecay(" + factor + ")";
        }
    }

    record CosineAnnealing(int epochs, double min) implements LearningRateSchedule {
        @Override
        public double learningRate(int epoch, double base) {
            int t = Math.min(epoch - 1, epochs);
            return min + (base - min) * (1.0 + StrictMath.cos(StrictMath.PI * t / epochs)) / 2.0;
        }

        @Override
        public String toString() {
            return "cosineAnnealing(" + epochs + ", " + min + ")";
        }
    }

    record WarmUp(int epochs, LearningRateSchedule then) implements LearningRateSchedule {
        @Override
        public double learningRate(int epoch, double base) {
            return epoch <= epochs ? base * epoch / epochs : then.learningRate(epoch - epochs, base);
        }

        @Override
        public String toString() {
            return then + ".withLinearWarmUp(" + epochs + ")";
        }
    }
}
