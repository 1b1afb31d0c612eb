package dev.chainrule.processor;

import dev.chainrule.Activation;
import dev.chainrule.Loss;
import dev.chainrule.Precision;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Random, valid {@code @Network} specs and random ways of breaking them, all drawn from one
 * seed. Sizes are mostly small; layer and class names include the awkward (names the generated
 * code also uses, {@code $}, non-ASCII letters, names of types); specs live in named and
 * unnamed packages, top level or nested, some renamed, some with members of their own.
 */
final class RandomSpecs {

    static final Activation[] HIDDEN = {
        Activation.LINEAR, Activation.SIGMOID, Activation.TANH, Activation.RELU, Activation.LEAKY_RELU
    };

    static final String[] PACKAGES = {"", "prop", "prop.deep.er", "r\u00e9seau"};

    static final String[] CLASS_WORDS = {"Iris", "Xor", "Spam", "Wine", "Digits", "R\u00e9seau", "Net", "Model", "Step",
        "Layer", "List", "\u0394elta", "Dollar$", "Under_score"};

    /**
     * Layer field names: ordinary ones, names the generated code uses for its own members and
     * locals, names of types it refers to, and unusual identifiers. No two of one spec may differ
     * only in the case of their first letter (a rule of its own). No '$' in them while the rule
     * LayerNameDollar stands (see {@link Message#LAYER_NAME_DOLLAR}).
     */
    static final String[] LAYER_NAMES = {"hidden", "output", "input", "features", "h", "x", "y", "z", "w", "b", "k",
        "i", "j", "out", "values", "random", "seed", "batchSize", "rate", "loss", "targets", "step", "Step", "copy",
        "layers", "predictionStep", "layerViews", "INPUT_SIZE", "PARAMETER_COUNT", "sum", "max", "_under", "\u00fcn\u00efc\u00f6d\u00e9", "\u03bb", "hiddenWeights", "hiddenBiases", "hiddenWeightsT",
        "outputDelta", "maxBatchSize", "Layer", "List", "Model", "Activation", "Objects", "Checks", "SplittableRandom",
        "Override", "String", "inputRows", "logits", "forwardHidden", "transposeWeights"};

    /** Member classes a spec may declare: names of types the generated code refers to. */
    static final String[] MEMBER_TYPES = {"List", "Model", "Step", "Objects", "Override", "Checks", "SplittableRandom",
        "InputLayerView", "DenseLayerView", "Initialization", "TrainingStep", "IllegalArgumentException"};

    /** Names that would make a spec's annotation values ambiguous unless written qualified. */
    static final Set<String> DSL_TYPE_NAMES = Set.of("Activation", "Loss", "Precision", "Layer", "Input", "Dense",
        "Network");

    record Dense(String name, int units, Activation activation) {}

    /** One valid spec. {@code enclosing} are the classes (or interfaces) around it, outermost first. */
    record Spec(int index, String pkg, List<String> enclosing, boolean inInterface, String className,
            String explicitName, Loss loss, Precision precision, String inputName, int inputSize, List<Dense> dense,
            List<String> memberTypes, boolean implementsModel, boolean deprecated, boolean helperMethod,
            boolean explicitConstructor) {

        /** The name javac knows the top-level class of the file by. */
        String fileName() {
            String top = enclosing.isEmpty() ? className : enclosing.get(0);
            return pkg.isEmpty() ? top : pkg + "." + top;
        }

        String generatedSimpleName() {
            if (explicitName != null) {
                return explicitName;
            }
            List<String> names = new ArrayList<>(enclosing);
            names.add(className);
            return String.join("_", names) + "Network";
        }

        String generatedName() {
            return pkg.isEmpty() ? generatedSimpleName() : pkg + "." + generatedSimpleName();
        }

        int outputSize() {
            return dense.get(dense.size() - 1).units();
        }

        /** Whether any layer has a kink (ReLU-like), where float differences say little. */
        boolean kinked() {
            return dense.stream().anyMatch(d -> d.activation() == Activation.RELU || d.activation() == Activation.LEAKY_RELU);
        }

        String describe() {
            StringBuilder s = new StringBuilder(generatedName()).append(": ").append(inputSize);
            for (Dense d : dense) {
                s.append('-').append(d.units()).append(' ').append(d.activation().name().toLowerCase(Locale.ROOT));
            }
            return s.append(", ").append(loss).append(", ").append(precision).toString();
        }

        long parameterCount() {
            long count = 0;
            int fanIn = inputSize;
            for (Dense d : dense) {
                count += (long) fanIn * d.units() + d.units();
                fanIn = d.units();
            }
            return count;
        }

        /** The source of the file, with every layer written as {@link Layers} says. */
        String source() {
            return source(Layers.PLAIN, "");
        }

        /** How a mutation changes the layer fields. */
        interface Layers {
            Layers PLAIN = (spec, qualify) -> spec.layerLines(qualify, "", "");

            List<String> lines(Spec spec, boolean qualify);
        }

        List<String> layerLines(boolean qualify, String inputModifiers, String denseModifiers) {
            String q = qualify ? "dev.chainrule." : "";
            List<String> lines = new ArrayList<>();
            lines.add("@Input(" + inputSize + ") " + inputModifiers + "Layer " + inputName + ";");
            for (Dense d : dense) {
                lines.add("@Dense(units = " + d.units() + ", activation = " + q + "Activation." + d.activation() + ") "
                        + denseModifiers + "Layer " + d.name() + ";");
            }
            return lines;
        }

        boolean qualifies() {
            if (DSL_TYPE_NAMES.contains(inputName) || memberTypes.stream().anyMatch(DSL_TYPE_NAMES::contains)) {
                return true;
            }
            return dense.stream().anyMatch(d -> DSL_TYPE_NAMES.contains(d.name()));
        }

        /**
         * The source, with the layer fields from {@code layers} and {@code extraMembers} added to
         * the spec's body (for mutations).
         */
        String source(Layers layers, String extraMembers) {
            return source(layers, extraMembers, "abstract class", "", null);
        }

        String source(Layers layers, String extraMembers, String classKeywords, String typeParameters, String name) {
            boolean qualify = qualifies();
            String q = qualify ? "dev.chainrule." : "";
            StringBuilder s = new StringBuilder();
            if (!pkg.isEmpty()) {
                s.append("package ").append(pkg).append(";\n\n");
            }
            s.append("import dev.chainrule.*;\n\n");
            String indent = "";
            for (int e = 0; e < enclosing.size(); e++) {
                String kind = e == 0 && inInterface ? "interface" : e == 0 ? "class" : "static class";
                s.append(indent).append(kind).append(' ').append(enclosing.get(e)).append(" {\n");
                indent += "    ";
            }
            if (deprecated) {
                s.append(indent).append("/** Deprecated, to check the generated code stays free of warnings. */\n");
                s.append(indent).append("@Deprecated\n");
            }
            s.append(indent).append("@Network(loss = ").append(q).append("Loss.").append(loss);
            s.append(", precision = ").append(q).append("Precision.").append(precision);
            String chosenName = name != null ? name : explicitName;
            if (chosenName != null) {
                s.append(", name = \"").append(chosenName).append('"');
            }
            s.append(")\n");
            s.append(indent).append(enclosing.isEmpty() ? "" : "static ").append(classKeywords).append(' ')
                    .append(className).append(typeParameters);
            if (implementsModel) {
                s.append(" implements dev.chainrule.Model");
            }
            s.append(" {\n");
            String body = indent + "    ";
            for (String line : layers.lines(this, qualify)) {
                s.append(body).append(line).append('\n');
            }
            if (explicitConstructor) {
                s.append('\n').append(body).append("protected ").append(className).append("() {}\n");
            }
            if (helperMethod) {
                s.append('\n').append(body).append("/** A method of the user's own. */\n");
                s.append(body).append("final dev.chainrule.Model self() {\n");
                s.append(body).append("    return (dev.chainrule.Model) this;\n");
                s.append(body).append("}\n");
            }
            if (implementsModel) {
                s.append('\n').append(body).append("@java.lang.Override\n");
                s.append(body).append("public abstract int inputSize();\n");
            }
            for (String member : memberTypes) {
                s.append('\n').append(body).append("static final class ").append(member).append(" {}\n");
            }
            if (!extraMembers.isEmpty()) {
                for (String line : extraMembers.split("\n")) {
                    s.append(body).append(line).append('\n');
                }
            }
            s.append(indent).append("}\n");
            for (int e = enclosing.size() - 1; e >= 0; e--) {
                indent = indent.substring(4);
                s.append(indent).append("}\n");
            }
            return s.toString();
        }
    }

    private final SplittableRandom random;

    RandomSpecs(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** {@code count} valid specs, every generated class name distinct; the last few are larger. */
    List<Spec> valid(int count, int larger) {
        List<Spec> specs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            specs.add(spec(i, i >= count - larger));
        }
        return specs;
    }

    private Spec spec(int index, boolean large) {
        String pkg = PACKAGES[random.nextInt(PACKAGES.length)];
        String className = CLASS_WORDS[random.nextInt(CLASS_WORDS.length)] + index;
        List<String> enclosing = new ArrayList<>();
        boolean inInterface = false;
        int nesting = random.nextInt(100);
        if (nesting >= 60) {
            enclosing.add("Outer" + index);
            inInterface = nesting >= 92;
            if (nesting >= 82 && nesting < 92) {
                enclosing.add("Middle");
            }
        }
        String explicitName = null;
        int naming = random.nextInt(100);
        if (naming < 20) {
            explicitName = CLASS_WORDS[random.nextInt(CLASS_WORDS.length)] + "Model" + index;
        } else if (naming < 25) {
            explicitName = "\u00c9tape" + index;
        }
        Precision precision = random.nextBoolean() ? Precision.FLOAT : Precision.DOUBLE;
        int depth = pick(new int[] {20, 35, 25, 12, 8}) + 1;
        int lossDraw = random.nextInt(3);
        Loss loss = Loss.values()[lossDraw];

        if (large) {
            depth = Math.max(depth, 2);
        }
        Set<String> capitalized = new HashSet<>();
        String inputName = layerName(capitalized);
        int inputSize = size(false);
        List<Dense> dense = new ArrayList<>();
        for (int l = 0; l < depth; l++) {
            boolean output = l == depth - 1;
            int units = size(large && l == 0);
            Activation activation = HIDDEN[random.nextInt(HIDDEN.length)];
            if (output) {
                switch (loss) {
                    case CATEGORICAL_CROSS_ENTROPY -> {
                        activation = Activation.SOFTMAX;
                        units = Math.max(units, 2);
                    }
                    case BINARY_CROSS_ENTROPY -> activation = Activation.SIGMOID;
                    case MEAN_SQUARED_ERROR -> { }
                }
            }
            dense.add(new Dense(layerName(capitalized), units, activation));
        }
        List<String> memberTypes = new ArrayList<>();
        if (random.nextInt(100) < 15) {
            int n = 1 + random.nextInt(3);
            for (int m = 0; m < n; m++) {
                String member = MEMBER_TYPES[random.nextInt(MEMBER_TYPES.length)];
                if (!memberTypes.contains(member) && !member.equals(className)) {
                    memberTypes.add(member);
                }
            }
        }
        // A member class named Model would hide the Model the spec implements: qualified there, but keep it simple.
        boolean implementsModel = random.nextInt(100) < 10 && !memberTypes.contains("Model");
        boolean deprecated = random.nextInt(100) < 5;
        boolean helperMethod = random.nextInt(100) < 15;
        boolean explicitConstructor = random.nextInt(100) < 15;
        return new Spec(index, pkg, enclosing, inInterface, className, explicitName, loss, precision, inputName,
                inputSize, dense, memberTypes, implementsModel, deprecated, helperMethod, explicitConstructor);
    }

    /** Mostly small: 1..8 (70%), 9..24 (25%), 25..40 (5%); the first hidden layer of a large spec 41..96. */
    private int size(boolean large) {
        if (large) {
            return 41 + random.nextInt(56);
        }
        int draw = random.nextInt(100);
        if (draw < 70) {
            return 1 + random.nextInt(8);
        }
        return draw < 95 ? 9 + random.nextInt(16) : 25 + random.nextInt(16);
    }

    private String layerName(Set<String> capitalized) {
        while (true) {
            String name = LAYER_NAMES[random.nextInt(LAYER_NAMES.length)];
            String key = Character.toUpperCase(name.charAt(0)) + name.substring(1);
            if (capitalized.add(key)) {
                return name;
            }
        }
    }

    /** An index drawn with the given weights (percentages). */
    private int pick(int[] weights) {
        int draw = random.nextInt(100);
        for (int i = 0; i < weights.length; i++) {
            draw -= weights[i];
            if (draw < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    // ---- mutations

    /** A broken spec: its file name, its source, and what was broken. */
    record Mutant(String fileName, String source, String mutation) {}

    /**
     * Breaks {@code spec} in one random way that javac itself accepts (so that only the processor
     * can find it), renaming the classes so that the mutant can be compiled beside the valid specs.
     */
    Mutant mutate(Spec valid) {
        // A copy under other names, so that it can be compiled together with the original.
        List<String> enclosing = valid.enclosing().stream().map(e -> "Bad" + e).toList();
        Spec spec = new Spec(valid.index(), valid.pkg(), enclosing, valid.inInterface(), "Bad" + valid.className(),
                valid.explicitName() == null ? null : "Bad" + valid.explicitName(), valid.loss(), valid.precision(),
                valid.inputName(), valid.inputSize(), valid.dense(), valid.memberTypes(), valid.implementsModel(),
                valid.deprecated(), valid.helperMethod(), valid.explicitConstructor());
        List<String> kinds = new ArrayList<>(List.of("size", "huge", "outputActivation", "private", "final", "static",
                "notLayer", "noInput", "noDense", "secondInput", "inputLast", "twoAnnotations", "generic",
                "privateConstructor", "invalidName", "ownName", "keywordName", "abstractMethod", "namesClash",
                "serializable", "throwingConstructor", "finalMethod", "memberMath"));
        if (spec.dense().size() > 1) {
            kinds.add("hiddenSoftmax");
        }
        if (spec.loss() == Loss.CATEGORICAL_CROSS_ENTROPY) {
            kinds.add("singleSoftmax");
        }
        if (!spec.enclosing().isEmpty() && !spec.inInterface()) {
            kinds.add("inner");
        }
        if (!spec.implementsModel()) {
            // A spec that implements Model may not be final (javac's own error) nor hide its methods.
            kinds.add("finalClass");
            kinds.add("staticMethod");
        }
        String kind = kinds.get(random.nextInt(kinds.size()));
        String source = switch (kind) {
            case "size" -> withLayers(spec, lines -> replaceSize(lines, random.nextInt(lines.size()),
                    random.nextBoolean() ? 0 : -1 - random.nextInt(100)));
            case "huge" -> withLayers(spec, lines -> {
                lines = replaceSize(lines, 0, 1_000_000);
                return replaceSize(lines, 1, 1_000_000);
            });
            case "outputActivation" -> {
                Activation wrong = switch (spec.loss()) {
                    case CATEGORICAL_CROSS_ENTROPY -> HIDDEN[random.nextInt(HIDDEN.length)];
                    case BINARY_CROSS_ENTROPY -> random.nextBoolean() ? Activation.TANH : Activation.SOFTMAX;
                    case MEAN_SQUARED_ERROR, MEAN_ABSOLUTE_ERROR, HUBER -> null;
                };
                if (wrong == null) {
                    // MSE accepts every output; make the loss one the output does not fit.
                    Loss loss = spec.dense().get(spec.dense().size() - 1).activation() == Activation.SIGMOID
                            ? Loss.CATEGORICAL_CROSS_ENTROPY : Loss.BINARY_CROSS_ENTROPY;
                    yield spec.source().replace("Loss." + spec.loss(), "Loss." + loss);
                }
                Activation replaced = wrong;
                yield withLayers(spec, lines -> replaceActivation(lines, lines.size() - 1, replaced));
            }
            case "hiddenSoftmax" -> withLayers(spec, lines -> replaceActivation(lines,
                    1 + random.nextInt(lines.size() - 2), Activation.SOFTMAX));
            case "singleSoftmax" -> withLayers(spec, lines -> replaceSize(lines, lines.size() - 1, 1));
            case "private" -> modifier(spec, "private ");
            case "final" -> withLayers(spec, lines -> {
                int at = random.nextInt(lines.size());
                lines.set(at, lines.get(at).replace("Layer ", "final Layer ").replace(";", " = null;"));
                return lines;
            });
            case "static" -> modifier(spec, "static ");
            case "notLayer" -> withLayers(spec, lines -> {
                int at = random.nextInt(lines.size());
                lines.set(at, lines.get(at).replace(" Layer ", " Object "));
                return lines;
            });
            case "noInput" -> withLayers(spec, lines -> {
                lines.set(0, lines.get(0).replaceFirst("@Input\\(-?\\d+\\) ", ""));
                return lines;
            });
            case "noDense" -> withLayers(spec, lines -> List.of(lines.get(0)));
            case "secondInput" -> withLayers(spec, lines -> {
                lines.add(1, "@Input(3) Layer secondInput;");
                return lines;
            });
            case "inputLast" -> withLayers(spec, lines -> {
                lines.add(lines.remove(0));
                return lines;
            });
            case "twoAnnotations" -> withLayers(spec, lines -> {
                int at = 1 + random.nextInt(lines.size() - 1);
                lines.set(at, "@Input(2) " + lines.get(at));
                return lines;
            });
            case "generic" -> spec.source(Spec.Layers.PLAIN, "", "abstract class", "<T>", null);
            case "privateConstructor" -> spec.explicitConstructor()
                    ? spec.source().replace("protected " + spec.className() + "()", "private " + spec.className() + "()")
                    : spec.source(Spec.Layers.PLAIN, "private " + spec.className() + "() {}");
            case "invalidName" -> spec.source(Spec.Layers.PLAIN, "", "abstract class", "", "Not A Name");
            case "ownName" -> spec.enclosing().isEmpty()
                    ? spec.source(Spec.Layers.PLAIN, "", "abstract class", "", spec.className())
                    : spec.source(Spec.Layers.PLAIN, "", "abstract class", "", "Step");
            case "keywordName" -> spec.source(Spec.Layers.PLAIN, "", "abstract class", "",
                    random.nextBoolean() ? "var" : "int");
            case "abstractMethod" -> spec.source(Spec.Layers.PLAIN, "abstract double extra(int k);");
            case "namesClash" -> withLayers(spec, lines -> {
                String name = spec.dense().get(0).name();
                String twin = Character.isUpperCase(name.charAt(0))
                        ? Character.toLowerCase(name.charAt(0)) + name.substring(1)
                        : Character.toUpperCase(name.charAt(0)) + name.substring(1);
                if (twin.equals(name)) { // no case: make a case clash out of another letter
                    twin = "\u00c0" + name.substring(1);
                    lines.add("@Dense(units = 2) Layer " + twin + ";");
                    lines.add("@Dense(units = 2) Layer " + "\u00e0" + name.substring(1) + ";");
                    return lines;
                }
                lines.add(lines.size() - 1, "@Dense(units = 2) Layer " + twin + ";");
                return lines;
            });
            case "serializable" -> spec.source(Spec.Layers.PLAIN, "private static final long serialVersionUID = 1L;")
                    .replace(" class " + spec.className() + " ", " class " + spec.className() + " implements java.io.Serializable ")
                    .replace(" implements java.io.Serializable implements ", " implements java.io.Serializable, ");
            case "throwingConstructor" -> spec.explicitConstructor()
                    ? spec.source().replace(spec.className() + "() {}", spec.className() + "() throws Exception {}")
                    : spec.source(Spec.Layers.PLAIN, spec.className() + "() throws java.io.IOException {}");
            case "finalMethod" -> spec.source(Spec.Layers.PLAIN,
                    "public final int outputSize() {\n    return " + spec.outputSize() + ";\n}");
            case "memberMath" -> spec.source(Spec.Layers.PLAIN, "static final class Math {}");
            case "staticMethod" -> spec.source(Spec.Layers.PLAIN, "static int parameterCount() {\n    return 0;\n}");
            case "inner" -> spec.source().replace("static abstract class " + spec.className(),
                    "abstract class " + spec.className());
            case "finalClass" -> spec.source(Spec.Layers.PLAIN, "", "final class", "", null);
            default -> throw new IllegalStateException(kind);
        };
        return new Mutant(spec.fileName(), source, kind);
    }

    private static String withLayers(Spec spec, java.util.function.UnaryOperator<List<String>> change) {
        return spec.source((s, qualify) -> change.apply(new ArrayList<>(s.layerLines(qualify, "", ""))), "");
    }

    private String modifier(Spec spec, String modifier) {
        return withLayers(spec, lines -> {
            int at = random.nextInt(lines.size());
            lines.set(at, lines.get(at).replace(" Layer ", " " + modifier + "Layer "));
            return lines;
        });
    }

    private static List<String> replaceSize(List<String> lines, int at, int size) {
        String line = lines.get(at);
        lines.set(at, at == 0 ? line.replaceFirst("@Input\\(\\d+\\)", "@Input(" + size + ")")
                : line.replaceFirst("units = \\d+", "units = " + size));
        return lines;
    }

    private static List<String> replaceActivation(List<String> lines, int at, Activation activation) {
        lines.set(at, lines.get(at).replaceFirst("Activation\\.[A-Z_]+", "Activation." + activation));
        return lines;
    }
}
