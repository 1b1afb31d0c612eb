package dev.chainrule.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chainrule.Model;
import dev.chainrule.data.Dataset;
import dev.chainrule.data.StandardScaler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the docs true. Every {@code ```java} block of README.md and docs/*.md is one of:
 *
 * <ul>
 *   <li>a <b>snippet</b>, marked {@code <!-- snippet: FaqSnippets.java#save -->}: the lines
 *       between {@code // tag::save[]} and {@code // end::save[]} of that file in
 *       {@code src/test/java/dev/chainrule/examples/docs/}, de-indented. Those files are compiled
 *       by the build (with the annotation processor, so specs work) and run by tests; this test
 *       checks that the page shows exactly their lines. Several tags, separated by spaces, or a
 *       tag used twice in a file, are joined with one blank line. After changing a snippet,
 *       {@code -Dchainrule.updateDocs=true} rewrites the blocks from the sources.</li>
 *   <li>an <b>excerpt</b>, marked {@code <!-- excerpt: processor/src/test/resources/golden/XorNetwork.java -->}
 *       with a path from the repository's root: each part of the block between {@code // ...}
 *       lines appears verbatim, as whole lines, in that file, and the excerpts of one file on a
 *       page appear in the file's order. (Markers with a bare file name quote generated sources;
 *       {@link GettingStartedTest} checks those.)</li>
 * </ul>
 *
 * An unmarked Java block fails the build, except on the pages of {@link #CHECKED_ELSEWHERE}.
 * Relative links on every page must lead to files that exist.
 */
class DocsTest {

    /** Surefire runs in the module's folder; the docs are in the repository around it. */
    private static final Path REPO = Path.of("..");
    private static final Path SNIPPETS = Path.of("src", "test", "java", "dev", "chainrule", "examples", "docs");
    private static final String GOLDEN = "processor/src/test/resources/golden/XorNetwork.java";

    /** The pages whose Java blocks are not snippets or excerpts, and why. */
    static final Map<String, String> CHECKED_ELSEWHERE = Map.of(
            "docs/training.md", "TrainingDocTest in runtime/ compiles and runs every block of the page",
            "docs/errors.md", "specs that must not compile, often abbreviated; every message has a failing spec in"
                    + " the processor's DiagnosticTest, and MessageCatalogueTest checks the texts the page quotes");

    private static final Pattern MARKER = Pattern.compile("<!-- (snippet|excerpt): (.+?) -->");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    /** One {@code ```java} block: the page, the line of its opening fence (from 1), its marker. */
    record Block(String page, int line, String kind, String reference, List<String> lines) {
        String where() {
            return page + ":" + line;
        }
    }

    @Test
    void snippetsShowExactlyTheLinesOfTheirSources() throws IOException {
        boolean update = Boolean.getBoolean("chainrule.updateDocs");
        int snippets = 0;
        List<String> stale = new ArrayList<>();
        for (String page : pages()) {
            List<String> text = new ArrayList<>(Files.readAllLines(REPO.resolve(page), StandardCharsets.UTF_8));
            boolean changed = false;
            List<Block> blocks = javaBlocks(page, text);
            for (int b = blocks.size() - 1; b >= 0; b--) {   // from the end, so replacing keeps line numbers
                Block block = blocks.get(b);
                if (!"snippet".equals(block.kind())) {
                    continue;
                }
                snippets++;
                List<String> expected = snippet(block.reference(), block.where());
                if (!expected.equals(block.lines())) {
                    stale.add(block.where() + " (" + block.reference() + ") should read:\n" + String.join("\n", expected));
                    if (update) {
                        for (int k = 0; k < block.lines().size(); k++) {
                            text.remove(block.line());
                        }
                        text.addAll(block.line(), expected);
                        changed = true;
                    }
                }
            }
            if (changed) {
                Files.writeString(REPO.resolve(page), String.join("\n", text) + "\n", StandardCharsets.UTF_8);
            }
        }
        assertTrue(snippets >= 8, "snippets found: " + snippets);
        assertTrue(stale.isEmpty(), stale.size() + " snippet(s) differ from their sources"
                + (update ? " (rewritten now; run again)" : "; run with -Dchainrule.updateDocs=true to rewrite them")
                + ":\n\n" + String.join("\n\n", stale));
    }

    @Test
    void excerptsAppearInTheirFilesInOrder() throws IOException {
        int excerpts = 0;
        for (String page : pages()) {
            Map<String, Integer> cursor = new HashMap<>();   // per quoted file: the line after the last match
            for (Block block : javaBlocks(page, Files.readAllLines(REPO.resolve(page), StandardCharsets.UTF_8))) {
                if (!"excerpt".equals(block.kind()) || !block.reference().contains("/")) {
                    continue;
                }
                excerpts++;
                List<String> file = Files.readAllLines(REPO.resolve(block.reference()), StandardCharsets.UTF_8);
                for (List<String> chunk : chunks(block)) {
                    int from = cursor.getOrDefault(block.reference(), 0);
                    int at = find(file, chunk, from);
                    if (at < 0) {
                        fail(block.where() + ": this part of the excerpt is not in " + block.reference()
                                + (find(file, chunk, 0) >= 0 ? " after the previous excerpt (keep the file's order)" : "")
                                + "; copy the current code into the page:\n" + String.join("\n", chunk));
                    }
                    cursor.put(block.reference(), at + chunk.size());
                }
            }
        }
        assertTrue(excerpts >= 20, "excerpts with a path found: " + excerpts);
    }

    /**
     * docs/generated-code.md promises a walk through the golden file line by line: its excerpts
     * must quote most of it, so that new generated code gets described, not skipped.
     */
    @Test
    void theWalkThroughQuotesMostOfTheGoldenFile() throws IOException {
        List<String> golden = Files.readAllLines(REPO.resolve(GOLDEN), StandardCharsets.UTF_8);
        boolean[] quoted = new boolean[golden.size()];
        int cursor = 0;
        String page = "docs/generated-code.md";
        for (Block block : javaBlocks(page, Files.readAllLines(REPO.resolve(page), StandardCharsets.UTF_8))) {
            if (GOLDEN.equals(block.reference())) {
                for (List<String> chunk : chunks(block)) {
                    int at = find(golden, chunk, cursor);
                    assertTrue(at >= 0, block.where() + " (checked by excerptsAppearInTheirFilesInOrder)");
                    for (int k = 0; k < chunk.size(); k++) {
                        quoted[at + k] = true;
                    }
                    cursor = at + chunk.size();
                }
            }
        }
        int lines = 0;
        int covered = 0;
        List<String> unquoted = new ArrayList<>();
        for (int i = 0; i < golden.size(); i++) {
            if (!golden.get(i).isBlank()) {
                lines++;
                if (quoted[i]) {
                    covered++;
                } else {
                    unquoted.add((i + 1) + ": " + golden.get(i));
                }
            }
        }
        double share = (double) covered / lines;
        System.out.printf("DocsTest: docs/generated-code.md quotes %d of the golden file's %d non-blank lines (%.0f%%)%n",
                covered, lines, 100 * share);
        assertTrue(share >= 0.75, String.format("docs/generated-code.md quotes only %d of %d lines of %s; describe"
                + " the new code. Not quoted:%n%s", covered, lines, GOLDEN, String.join("\n", unquoted)));
    }

    @Test
    void everyJavaBlockIsCompiledOrQuoted() throws IOException {
        List<String> unmarked = new ArrayList<>();
        for (String page : pages()) {
            for (Block block : javaBlocks(page, Files.readAllLines(REPO.resolve(page), StandardCharsets.UTF_8))) {
                if (block.kind() == null && !CHECKED_ELSEWHERE.containsKey(page)) {
                    unmarked.add(block.where());
                }
            }
        }
        assertTrue(unmarked.isEmpty(), "Java blocks without a snippet or excerpt marker: " + unmarked);
    }

    @Test
    void relativeLinksResolve() throws IOException {
        List<String> broken = new ArrayList<>();
        for (String page : pages()) {
            Path dir = REPO.resolve(page).getParent();
            List<String> lines = Files.readAllLines(REPO.resolve(page), StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = LINK.matcher(lines.get(i));
                while (m.find()) {
                    String target = m.group(1);
                    if (target.startsWith("http") || target.startsWith("#")) {
                        continue;
                    }
                    String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                    Path resolved = dir.resolve(file).normalize();
                    if (!Files.exists(resolved)) {
                        broken.add(page + ":" + (i + 1) + " -> " + target);
                    }
                }
            }
        }
        assertTrue(broken.isEmpty(), "links to files that do not exist: " + broken);
    }

    /** README.md shows a spec and the code that trains and uses it in 15 lines. */
    @Test
    void theReadmeExampleFitsFifteenLines() throws IOException {
        List<Block> blocks = javaBlocks("README.md", Files.readAllLines(REPO.resolve("README.md"), StandardCharsets.UTF_8));
        assertFalse(blocks.isEmpty(), "README.md has no Java block");
        Block example = blocks.get(0);
        assertEquals("Iris.java#readme ReadmeExample.java#readme", example.reference(), example.where());
        assertTrue(example.lines().size() <= 15, example.where() + ": " + example.lines().size() + " lines");
    }

    /** README.md links every page of docs/ (its index, docs/README.md, aside). */
    @Test
    void theReadmeLinksEveryDoc() throws IOException {
        String readme = Files.readString(REPO.resolve("README.md"), StandardCharsets.UTF_8);
        List<String> unlinked = new ArrayList<>();
        for (String page : pages()) {
            if (page.startsWith("docs/") && !page.equals("docs/README.md") && !readme.contains("](" + page + ")")) {
                unlinked.add(page);
            }
        }
        assertTrue(unlinked.isEmpty(), "README.md links no " + unlinked);
    }

    @Test
    void theGettingStartedSnippetsRun() {
        double[] result = dev.chainrule.examples.docs.GettingStartedSnippets.run(
                BundledData.iris().stratifiedSplit(0.6, 0.2, 7L));
        assertTrue(result[0] >= 0.85, "test accuracy " + result[0]);
        assertEquals(0, result[1], "5.1, 3.5, 1.4, 0.2 is the first flower of the data, a setosa");
        assertTrue(result[2] < 1e-3, "gradient check: " + result[2]);
    }

    @Test
    void theOptimizerSnippetRuns() {
        Dataset.Split split = BundledData.iris().stratifiedSplit(0.8, 7L);
        Model net = dev.chainrule.examples.docs.optimizers.OptimizerSnippets.tune(
                StandardScaler.fit(split.train()).transform(split.train()));
        assertTrue(net.optimizerState().length > 0, "Adam keeps its moments");
    }

    @Test
    void theReadmeExampleRuns() throws IOException {
        int species = dev.chainrule.examples.docs.ReadmeExample.run(
                Path.of("src", "main", "resources", "data", "iris.csv"));
        assertEquals(0, species, "5.1, 3.5, 1.4, 0.2 is the first flower of the data, a setosa");
    }

    // ------------------------------------------------------------------ parsing

    /** README.md and every page of docs/, in a fixed order. */
    static List<String> pages() throws IOException {
        List<String> pages = new ArrayList<>();
        pages.add("README.md");
        try (Stream<Path> files = Files.list(REPO.resolve("docs"))) {
            files.map(p -> "docs/" + p.getFileName()).filter(p -> p.endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** The {@code ```java} blocks of a page, each with the marker on the line before it, if any. */
    static List<Block> javaBlocks(String page, List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals("```java")) {
                continue;
            }
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).strip().startsWith("```")) {
                end++;
            }
            assertTrue(end < lines.size(), page + ":" + (i + 1) + ": the code block is never closed");
            String kind = null;
            String reference = null;
            Matcher m = i > 0 ? MARKER.matcher(lines.get(i - 1).strip()) : null;
            if (m != null && m.matches()) {
                kind = m.group(1);
                reference = m.group(2).strip();
            }
            blocks.add(new Block(page, i + 1, kind, reference, List.copyOf(lines.subList(i + 1, end))));
            i = end;
        }
        return blocks;
    }

    /**
     * The parts of an excerpt between {@code // ...} lines, without blank lines at their ends. A
     * {@code // ...} line may also open or close a block ("more before", "more after").
     */
    static List<List<String>> chunks(Block block) {
        List<List<String>> chunks = new ArrayList<>();
        List<String> chunk = new ArrayList<>();
        for (String line : block.lines()) {
            if (line.strip().startsWith("// ...")) {
                addTrimmed(chunks, chunk);
                chunk = new ArrayList<>();
            } else {
                chunk.add(line);
            }
        }
        addTrimmed(chunks, chunk);
        assertFalse(chunks.isEmpty(), block.where() + ": an excerpt with no code");
        return chunks;
    }

    private static void addTrimmed(List<List<String>> chunks, List<String> chunk) {
        int from = 0;
        int to = chunk.size();
        while (from < to && chunk.get(from).isBlank()) {
            from++;
        }
        while (to > from && chunk.get(to - 1).isBlank()) {
            to--;
        }
        if (to > from) {
            chunks.add(chunk.subList(from, to));
        }
    }

    /** The first line at or after {@code from} where {@code chunk} starts as whole lines, or -1. */
    static int find(List<String> file, List<String> chunk, int from) {
        outer:
        for (int i = from; i + chunk.size() <= file.size(); i++) {
            for (int k = 0; k < chunk.size(); k++) {
                if (!file.get(i + k).equals(chunk.get(k))) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The tagged lines a snippet marker names, de-indented, regions joined by a blank line. */
    static List<String> snippet(String reference, String where) throws IOException {
        List<String> out = new ArrayList<>();
        for (String ref : reference.split(" +")) {
            int hash = ref.indexOf('#');
            assertTrue(hash > 0, where + ": a snippet marker reads File.java#tag, not " + ref);
            String file = ref.substring(0, hash);
            String tag = ref.substring(hash + 1);
            List<String> source = Files.readAllLines(SNIPPETS.resolve(file), StandardCharsets.UTF_8);
            boolean inside = false;
            List<String> region = new ArrayList<>();
            int regions = 0;
            for (String line : source) {
                String s = line.strip();
                if (s.equals("// tag::" + tag + "[]")) {
                    assertFalse(inside, file + ": tag " + tag + " opened twice");
                    inside = true;
                } else if (s.equals("// end::" + tag + "[]")) {
                    assertTrue(inside, file + ": end of tag " + tag + " without its start");
                    inside = false;
                    if (!out.isEmpty()) {
                        out.add("");
                    }
                    out.addAll(dedent(region));
                    region.clear();
                    regions++;
                } else if (inside && !s.startsWith("// tag::") && !s.startsWith("// end::")) {
                    region.add(line);
                }
            }
            assertTrue(regions > 0, where + ": no tag " + tag + " in " + SNIPPETS.resolve(file));
        }
        return out;
    }

    private static List<String> dedent(List<String> lines) {
        int indent = Integer.MAX_VALUE;
        for (String line : lines) {
            if (!line.isBlank()) {
                indent = Math.min(indent, line.length() - line.stripLeading().length());
            }
        }
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            out.add(line.isBlank() ? "" : line.substring(indent));
        }
        return out;
    }
}
