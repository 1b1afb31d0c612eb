package dev.chainrule;

import java.util.List;

/** Formats {@link Model#summary()}: one row per layer, like Keras's {@code model.summary()}. */
final class ModelSummary {

    private ModelSummary() {}

    static String of(Model model) {
        List<Layer> layers = model.layers();
        String[][] rows = new String[layers.size()][];
        for (int i = 0; i < rows.length; i++) {
            Layer layer = layers.get(i);
            boolean input = i == 0;
            rows[i] = new String[] {
                layer.name(),
                input ? "input" : "dense",
                Integer.toString(layer.units()),
                input ? "" : layer.activation().name().toLowerCase(java.util.Locale.ROOT),
                String.format(java.util.Locale.ROOT, "%,d", layer.parameterCount())
            };
        }
        String[] header = {"layer", "kind", "units", "activation", "parameters"};
        int[] width = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            width[c] = header[c].length();
            for (String[] row : rows) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(model.getClass().getSimpleName())
                .append(" (")
                .append(model.precision().name().toLowerCase(java.util.Locale.ROOT))
                .append(", loss ")
                .append(model.loss().name().toLowerCase(java.util.Locale.ROOT))
                .append(")\n");
        appendRow(out, header, width);
        appendRule(out, width);
        for (String[] row : rows) {
            appendRow(out, row, width);
        }
        appendRule(out, width);
        out.append(String.format(java.util.Locale.ROOT, "total parameters: %,d%n", model.parameterCount()));
        out.append("kernels: ").append(model.vectorKernels() ? "Vector API (jdk.incubator.vector)" : "portable Java")
                .append('\n');
        return out.toString();
    }

    private static void appendRow(StringBuilder out, String[] cells, int[] width) {
        for (int c = 0; c < cells.length; c++) {
            boolean numeric = c == 2 || c == 4;
            String cell = cells[c];
            String pad = " ".repeat(width[c] - cell.length());
            out.append(c == 0 ? "" : "  ").append(numeric ? pad + cell : cell + pad);
        }
        out.append('\n');
    }

    private static void appendRule(StringBuilder out, int[] width) {
        int total = 2 * (width.length - 1);
        for (int w : width) {
            total += w;
        }
        out.append("-".repeat(total)).append('\n');
    }
}
