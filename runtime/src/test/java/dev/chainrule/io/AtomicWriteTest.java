package dev.chainrule.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.Precision;
import dev.chainrule.testing.TinyMlp;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write that fails midway (a full disk, simulated) must leave the previous file as it was. */
class AtomicWriteTest {

    @TempDir
    Path dir;

    /** Passes the first {@code limit} bytes through to the temporary file, then fails as a full disk does. */
    static UnaryOperator<OutputStream> diskFullAfter(long limit) {
        return out -> new FilterOutputStream(out) {
            long written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                int n = (int) Math.max(0, Math.min(len, limit - written));
                out.write(b, off, n);
                written += n;
                if (n < len) {
                    throw new IOException("No space left on device (simulated after " + limit + " bytes)");
                }
            }
        };
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void aFailedModelFileWriteLeavesThePreviousFileIntact() throws IOException {
        Path path = dir.resolve("net.model");
        TinyMlp first = TinyMlp.classifier(Precision.DOUBLE, 1L);
        ModelFile.save(first, path);
        byte[] before = Files.readAllBytes(path);
        TinyMlp second = TinyMlp.classifier(Precision.DOUBLE, 2L);
        for (long limit : new long[] {0, 1, 31, 32, 100, before.length - 5, before.length - 1}) {
            IOException e = assertThrows(IOException.class,
                    () -> ModelFile.write(second, null, null, path, diskFullAfter(limit)));
            assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
            assertArrayEquals(before, Files.readAllBytes(path), "after a failure at byte " + limit);
            assertEquals(List.of("net.model"), files(), "the temporary file must be removed");
        }
        TinyMlp check = TinyMlp.classifier(Precision.DOUBLE, 3L);
        ModelFile.loadInto(check, path);
        assertArrayEquals(first.parameters(), check.parameters());

        // with room enough the same call replaces the file
        ModelFile.write(second, null, null, path, diskFullAfter(Long.MAX_VALUE));
        ModelFile.loadInto(check, path);
        assertArrayEquals(second.parameters(), check.parameters());
        assertEquals(List.of("net.model"), files());
    }

    @Test
    void aFailedFirstWriteLeavesNoFile() {
        Path path = dir.resolve("new.model");
        assertThrows(IOException.class, () -> ModelFile.write(TinyMlp.classifier(Precision.FLOAT, 1L), null, null,
                path, diskFullAfter(10)));
        assertFalse(Files.exists(path));
    }

    @Test
    void aFailedSafetensorsWriteLeavesThePreviousFileIntact() throws IOException {
        Path path = dir.resolve("net.safetensors");
        Safetensors.write(TinyMlp.classifier(Precision.FLOAT, 1L), path);
        byte[] before = Files.readAllBytes(path);
        for (long limit : new long[] {0, 8, 200, before.length - 1}) {
            assertThrows(IOException.class,
                    () -> Safetensors.write(TinyMlp.classifier(Precision.FLOAT, 2L), path, diskFullAfter(limit)));
            assertArrayEquals(before, Files.readAllBytes(path));
            assertEquals(List.of("net.safetensors"), files());
        }
    }

    @Test
    void writesBesideTheTargetAndCleansUp() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("models"));
        Path path = sub.resolve("a.model");
        ModelFile.save(TinyMlp.classifier(Precision.FLOAT, 1L), path);
        ModelFile.save(TinyMlp.classifier(Precision.FLOAT, 2L), path);
        try (Stream<Path> s = Files.list(sub)) {
            assertEquals(List.of(path), s.collect(Collectors.toList()));
        }
        assertThrows(IOException.class, () -> ModelFile.save(TinyMlp.classifier(Precision.FLOAT, 1L),
                dir.resolve("missing").resolve("a.model")));
    }
}
