package dev.chainrule.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A file that cannot be loaded into a network, and why. Each {@link Problem} has its own message;
 * {@link #problem()} lets a program react (offer to retrain on {@link Problem#WRONG_NETWORK},
 * fall back to an older checkpoint on {@link Problem#CHECKSUM_MISMATCH}) without parsing text.
 */
public final class ModelFileException extends IOException {

    private static final long serialVersionUID = 1L;

    /** What is wrong with the file. */
    public enum Problem {
        /** The file does not start with the format's signature: it is some other kind of file. */
        NOT_A_MODEL_FILE,
        /** The file ends before the length its header states: an interrupted copy or download. */
        TRUNCATED,
        /** The file goes on after the length its header states: something was appended to it. */
        TRAILING_DATA,
        /** A checksum does not match: bytes of the file changed after it was written. */
        CHECKSUM_MISMATCH,
        /** The file was written in a newer format version than this chainrule reads. */
        NEWER_VERSION,
        /**
         * The file's structure is inconsistent although its checksums match (a writer bug or a
         * crafted file), or, for safetensors, its header is not valid.
         */
        MALFORMED,
        /** The file is valid but needs something this version does not support (a data type, a size). */
        UNSUPPORTED,
        /** The file is valid but holds a different network: other sizes, activations, loss or precision. */
        WRONG_NETWORK
    }

    /** What is wrong with the file. */
    private final Problem problem;
    /** The file; not serialized ({@code Path} is not serializable). */
    private final transient Path path;

    ModelFileException(Problem problem, Path path, String message) {
        super(path + ": " + message);
        this.problem = Objects.requireNonNull(problem);
        this.path = path;
    }

    /** What is wrong with the file. */
    public Problem problem() {
        return problem;
    }

    /** The file that failed to load. */
    public Path path() {
        return path;
    }
}
