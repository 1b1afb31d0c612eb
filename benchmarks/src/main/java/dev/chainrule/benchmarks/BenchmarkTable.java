package dev.chainrule.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH's CSV results ({@code -rf csv}) into Markdown tables of samples per second: one row
 * per task, one column per variant. Used by {@code benchmarks/run.sh}.
 */
public final class BenchmarkTable {

    private BenchmarkTable() {}

    public static void main(String[] args) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        List<String> header = parse(lines.get(0));
        int benchmark = header.indexOf("Benchmark");
        int score = header.indexOf("Score");
        int error = header.indexOf("Score Error (99.9%)");
        Map<String, Map<String, String>> tables = new LinkedHashMap<>();
        Map<String, List<String>> columns = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> cells = parse(line);
            String name = cells.get(benchmark);
            String table = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            String task = param(header, cells, "task");
            String variant = param(header, cells, "variant");
            String threads = param(header, cells, "threads");
            String batchParam = param(header, cells, "batch");
            if (!threads.isEmpty()) {
                variant = threads + (threads.equals("1") ? " thread" : " threads");
            }
            if (!batchParam.isEmpty()) {
                task = task + " b" + batchParam;
            }
            double samples = samplesPerOperation(table, task);
            double microseconds = toMicroseconds(Double.parseDouble(cells.get(score)), cells.get(header.indexOf("Unit")));
            double errorMicros = toMicroseconds(Double.parseDouble(cells.get(error).isEmpty() || cells.get(error).equals("NaN")
                    ? "0" : cells.get(error)), cells.get(header.indexOf("Unit")));
            double rate = samples * 1e6 / microseconds;
            double spread = errorMicros / microseconds;
            tables.computeIfAbsent(table, t -> new LinkedHashMap<>())
                    .put(task + "|" + variant, format(rate) + (spread > 0 ? String.format(Locale.ROOT, " ±%.0f%%", 100 * spread) : ""));
            List<String> known = columns.computeIfAbsent(table, t -> new ArrayList<>());
            if (!known.contains(variant)) {
                known.add(variant);
            }
        }
        for (Map.Entry<String, Map<String, String>> table : tables.entrySet()) {
            List<String> variants = columns.get(table.getKey());
            System.out.println("\n### " + table.getKey() + " (samples/s)\n");
            System.out.println("| task | " + String.join(" | ", variants) + " |");
            System.out.println("|---|" + "---:|".repeat(variants.size()));
            List<String> tasks = new ArrayList<>();
            for (String key : table.getValue().keySet()) {
                String task = key.substring(0, key.indexOf('|'));
                if (!tasks.contains(task)) {
                    tasks.add(task);
                }
            }
            for (String task : tasks) {
                StringBuilder row = new StringBuilder("| " + task + " |");
                for (String variant : variants) {
                    row.append(' ').append(table.getValue().getOrDefault(task + "|" + variant, "")).append(" |");
                }
                System.out.println(row);
            }
        }
    }

    /** Training: the batch of the task; an epoch: its samples; inference: the batch. */
    private static double samplesPerOperation(String table, String task) {
        if (table.startsWith("EpochBenchmark")) {
            return EpochBenchmark.SAMPLES;
        }
        int b = Math.max(task.lastIndexOf("-b"), task.lastIndexOf(" b"));
        return b < 0 ? 1 : Integer.parseInt(task.substring(b + 2));
    }

    private static double toMicroseconds(double value, String unit) {
        return switch (unit) {
            case "ns/op" -> value / 1000;
            case "us/op" -> value;
            case "ms/op" -> value * 1000;
            case "s/op" -> value * 1e6;
            default -> throw new IllegalArgumentException("unexpected unit " + unit);
        };
    }

    private static String format(double rate) {
        if (rate >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", rate / 1e6);
        }
        if (rate >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", rate / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", rate);
    }

    private static String param(List<String> header, List<String> cells, String name) {
        int column = header.indexOf("Param: " + name);
        return column < 0 || column >= cells.size() ? "" : cells.get(column);
    }

    /** Splits one CSV line as JMH writes it: fields in double quotes where needed. */
    private static List<String> parse(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
