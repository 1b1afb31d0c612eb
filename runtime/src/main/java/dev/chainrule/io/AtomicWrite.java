package dev.chainrule.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.UnaryOperator;

/**
 * Writes a file so that readers see either the old content or the complete new content, never a
 * mixture, even if the process dies or the disk fills mid-write: the bytes go to a temporary
 * file in the target's directory (same file system, so the rename is atomic), are forced to the
 * device ({@link FileChannel#force}), and the temporary file is then moved over the target with
 * {@link StandardCopyOption#ATOMIC_MOVE} (falling back to a replacing move where the file system
 * cannot do it atomically). On failure the temporary file is deleted and the target is untouched.
 */
final class AtomicWrite {

    /** Writes a file's content to a stream. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicWrite() {}

    /**
     * Writes {@code content} to {@code target} atomically.
     *
     * @param wrap wraps the stream to the temporary file; identity in production, a failing
     *     stream in the tests that simulate a full disk
     */
    static void write(Path target, Content content, UnaryOperator<OutputStream> wrap) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        String name = absolute.getFileName().toString();
        Path temp = Files.createTempFile(dir, "." + name + ".", ".tmp");
        boolean done = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = new BufferedOutputStream(wrap.apply(Channels.newOutputStream(channel)), 1 << 16);
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException suppressed) {
                    // the original failure matters more; a stray temporary file is harmless
                }
            }
        }
        syncDirectory(dir);
    }

    /**
     * Forces the directory entry of the rename to disk where the platform allows it (Linux and
     * macOS do; Windows cannot open a directory, and there the rename is already durable).
     */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: the file itself is complete and in place
        }
    }
}
