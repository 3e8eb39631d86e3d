package io.vivace.common.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * A small file read again on demand, reporting its content only when it differs from the last content seen.
 * Change is detected by content digest, not modification time, so two writes within the file system's
 * timestamp granularity are still told apart.
 */
public final class WatchedFile {

    private final Path path;
    private byte[] lastDigest;

    public WatchedFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** The file's content if it changed since the last call that returned content (the first call always does). */
    public synchronized Optional<byte[]> readIfChanged() throws IOException {
        byte[] content = Files.readAllBytes(path);
        byte[] digest = digest(content);
        if (lastDigest != null && MessageDigest.isEqual(lastDigest, digest)) {
            return Optional.empty();
        }
        lastDigest = digest;
        return Optional.of(content);
    }

    /** Forgets what was seen, so the next {@link #readIfChanged()} returns the content again. */
    public synchronized void reset() {
        lastDigest = null;
    }

    private static byte[] digest(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
