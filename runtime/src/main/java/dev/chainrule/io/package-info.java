/**
 * Models out: {@link dev.chainrule.io.ModelFile}, chainrule's own versioned, checksummed format
 * (parameters, the fitted input scaler, the training state of a checkpoint), and
 * {@link dev.chainrule.io.Safetensors}, the format PyTorch and the Hugging Face ecosystem read.
 *
 * <p>Both are written atomically (a temporary file beside the target, flushed to disk, then moved
 * over it), so a crash or a full disk never leaves a half-written or destroyed file; both are
 * read defensively, so that an untrusted file cannot exhaust memory or load silently wrong
 * values: no Java serialization, every size checked against the file's length before anything is
 * allocated, every failure a {@link dev.chainrule.io.ModelFileException} that says what is wrong.
 * The byte layouts are documented in {@code docs/files.md}.
 */
package dev.chainrule.io;
