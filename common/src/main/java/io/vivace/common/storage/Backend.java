package io.vivace.common.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Object storage as Vivace uses it: whole-object writes, whole and ranged reads, listing by prefix.
 * Keys are slash-separated, {@code <tenant>/<blockId>/<name>}; implementations map them to files or objects.
 * A key is non-empty, does not start or end with '/', has no empty segment, no segment that is {@code .} or
 * {@code ..}, and no '\'; anything else is refused with {@link IllegalArgumentException} (see {@link ObjectKeys}).
 * Implementations are safe for concurrent use.
 */
public interface Backend extends AutoCloseable {

    /**
     * Writes an object atomically: readers see the old object, no object, or the whole new one. Of concurrent
     * writers to one key the last to finish wins; the result is always one writer's complete data.
     */
    void write(String key, byte[] data) throws IOException;

    /** Writes an object from a local file (large objects; S3 uses multipart upload), atomically like {@link #write}. */
    void writeFile(String key, Path source) throws IOException;

    /** @throws ObjectNotFoundException if there is no such object */
    byte[] read(String key) throws IOException;

    /**
     * Reads exactly {@code length} bytes from {@code offset}. A zero-length read at any offset up to the size
     * returns an empty array. There are no short reads.
     *
     * @throws ObjectNotFoundException if there is no such object
     * @throws InvalidRangeException if {@code [offset, offset + length)} reaches past the end of the object
     * @throws IllegalArgumentException if {@code offset} or {@code length} is negative
     */
    byte[] readRange(String key, long offset, int length) throws IOException;

    /** Object size in bytes. @throws ObjectNotFoundException if there is no such object */
    long size(String key) throws IOException;

    boolean exists(String key) throws IOException;

    /**
     * Every key that starts with {@code prefix} (a plain string prefix: {@code "t1/"} excludes {@code "t10/x"},
     * {@code "t1"} includes it), in lexical ({@link String#compareTo}) order.
     */
    List<String> list(String prefix) throws IOException;

    /**
     * The distinct next path segments below {@code prefix} (which ends with '/' or is empty; a missing trailing
     * '/' is implied), like a directory listing: {@code children("t1/")} gives the block IDs of tenant t1.
     * Sorted lexically; empty when nothing is below the prefix.
     */
    List<String> children(String prefix) throws IOException;

    /** Deletes an object; deleting a missing object is not an error. */
    void delete(String key) throws IOException;

    @Override
    default void close() throws IOException {
    }
}
