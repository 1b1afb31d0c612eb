package dev.chainrule.io;

import dev.chainrule.Layer;
import dev.chainrule.Model;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The fingerprint of a network that a model file must match to be loaded: layer sizes and
 * activations, loss, precision, parameter count. Names (the class, the layer fields) are stored
 * for messages and for humans, and not compared: renaming a field does not orphan saved models.
 * Enum values are stored by name, so a file stays readable when enums gain values.
 */
record Topology(String className, String precision, String loss, int inputSize, int outputSize,
        long parameterCount, List<LayerInfo> layers) {

    /** One entry of {@link Model#layers()}. */
    record LayerInfo(String name, String kind, int inputSize, int units, String activation) {}

    static Topology of(Model model) {
        List<LayerInfo> layers = new ArrayList<>();
        List<Layer> list = model.layers();
        for (int i = 0; i < list.size(); i++) {
            Layer l = list.get(i);
            layers.add(new LayerInfo(l.name(), i == 0 ? "input" : "dense", l.inputSize(), l.units(),
                    activation(l)));
        }
        return new Topology(model.getClass().getName(), model.precision().name(), model.loss().name(),
                model.inputSize(), model.outputSize(), model.parameterCount(), List.copyOf(layers));
    }

    /**
     * The activation's name, followed by its parameter in parentheses where that differs from the
     * default ({@code LEAKY_RELU(0.2)}): a layer with the default stores just the name, as files
     * written before activations had parameters do.
     */
    static String activation(Layer layer) {
        String name = layer.activation().name();
        double alpha = layer.alpha();
        double standard = switch (layer.activation()) {
            case LEAKY_RELU -> dev.chainrule.Dense.LEAKY_RELU_DEFAULT_ALPHA;
            case ELU -> dev.chainrule.Dense.ELU_DEFAULT_ALPHA;
            default -> Double.NaN;
        };
        return Double.isNaN(alpha) || alpha == standard ? name : name + "(" + alpha + ")";
    }

    byte[] encode() {
        Binary.Out out = new Binary.Out().string(className).string(precision).string(loss)
                .u32(inputSize).u32(outputSize).i64(parameterCount).u32(layers.size());
        for (LayerInfo l : layers) {
            out.string(l.name).string(l.kind).u32(l.inputSize).u32(l.units).string(l.activation);
        }
        return out.toByteArray();
    }

    static Topology decode(Binary.In in) throws ModelFileException {
        String className = in.string("class name");
        String precision = in.string("precision");
        String loss = in.string("loss");
        int inputSize = in.count("input size");
        int outputSize = in.count("output size");
        long parameterCount = in.i64();
        if (parameterCount < 0 || parameterCount > Integer.MAX_VALUE) {
            throw in.malformed("the topology's parameter count is " + Long.toUnsignedString(parameterCount));
        }
        int count = in.count("layer count");
        // each layer takes at least 24 bytes, so a crafted count cannot make us allocate much
        if (count > in.remaining() / 24) {
            throw in.malformed("the topology claims " + count + " layers in " + in.remaining() + " bytes");
        }
        List<LayerInfo> layers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            layers.add(new LayerInfo(in.string("layer name"), in.string("layer kind"), in.count("layer input size"),
                    in.count("layer units"), in.string("activation")));
        }
        in.requireEnd();
        return new Topology(className, precision, loss, inputSize, outputSize, parameterCount, List.copyOf(layers));
    }

    /** The first way the network {@code expected} differs from this (the file's), or null if it fits. */
    String firstDifference(Topology expected) {
        if (!precision.equals(expected.precision)) {
            return "the precision is " + precision + " in the file, " + expected.precision + " in the network";
        }
        if (!loss.equals(expected.loss)) {
            return "the loss is " + loss + " in the file, " + expected.loss + " in the network";
        }
        if (layers.size() != expected.layers.size()) {
            return "the file has " + layers.size() + " layers, the network " + expected.layers.size();
        }
        for (int i = 0; i < layers.size(); i++) {
            LayerInfo f = layers.get(i);
            LayerInfo n = expected.layers.get(i);
            String where = "layer " + i + " ('" + n.name + "')";
            if (!f.kind.equals(n.kind)) {
                return where + " is " + f.kind + " in the file, " + n.kind + " in the network";
            }
            if (f.inputSize != n.inputSize) {
                return where + " has " + f.inputSize + " inputs in the file, " + n.inputSize + " in the network";
            }
            if (f.units != n.units) {
                return where + " has " + f.units + " units in the file, " + n.units + " in the network";
            }
            if (!f.activation.equals(n.activation)) {
                return where + " has activation " + f.activation + " in the file, " + n.activation
                        + " in the network";
            }
        }
        if (inputSize != expected.inputSize) {
            return "the file has " + inputSize + " inputs, the network " + expected.inputSize;
        }
        if (outputSize != expected.outputSize) {
            return "the file has " + outputSize + " outputs, the network " + expected.outputSize;
        }
        if (parameterCount != expected.parameterCount) {
            return "the file has " + parameterCount + " parameters, the network " + expected.parameterCount;
        }
        return null;
    }

    /** Throws {@link ModelFileException.Problem#WRONG_NETWORK} unless {@code network} fits this file. */
    void requireFits(Topology network, Path path) throws ModelFileException {
        String difference = firstDifference(network);
        if (difference != null) {
            throw new ModelFileException(ModelFileException.Problem.WRONG_NETWORK, path,
                    "holds a different network: " + difference + ". The file has " + describe() + ", saved from "
                            + simpleName(className) + "; the network is " + network.describe() + ", "
                            + simpleName(network.className));
        }
    }

    /** {@code input 4 -> dense 16 tanh -> dense 3 softmax (FLOAT, CATEGORICAL_CROSS_ENTROPY, 131 parameters)}. */
    String describe() {
        StringBuilder s = new StringBuilder();
        if (layers.isEmpty()) {
            s.append(inputSize).append(" inputs -> ").append(outputSize).append(" outputs");
        } else {
            for (int i = 0; i < layers.size(); i++) {
                LayerInfo l = layers.get(i);
                if (i > 0) {
                    s.append(" -> ");
                }
                s.append(l.kind).append(' ').append(l.units);
                if (i > 0) {
                    s.append(' ').append(l.activation.toLowerCase(Locale.ROOT));
                }
            }
        }
        return s.append(" (").append(precision).append(", ").append(loss).append(", ").append(parameterCount)
                .append(parameterCount == 1 ? " parameter)" : " parameters)").toString();
    }

    List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        for (LayerInfo l : layers) {
            names.add(l.name);
        }
        return List.copyOf(names);
    }

    private static String simpleName(String className) {
        Objects.requireNonNull(className);
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
