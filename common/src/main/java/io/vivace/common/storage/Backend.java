package io.vivace.common.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Object storage as Vivace uses it: whole-object writes, whole and ranged reads, listing by prefix.
 * Keys are slash-separated, {@code <tenant>/<blockId>/<name>}; implementations map them to files or objects.
 */
public interface Backend extends AutoCloseable {

    /** Writes an object atomically: readers see the old object, no object, or the whole new one. */
    void write(String key, byte[] data) throws IOException;

    /** Writes an object from a local file (large objects; S3 uses multipart upload). */
    void writeFile(String key, Path source) throws IOException;

    /** @throws ObjectNotFoundException if there is no such object */
    byte[] read(String key) throws IOException;

    /** Reads {@code length} bytes from {@code offset}. @throws ObjectNotFoundException if there is no such object */
    byte[] readRange(String key, long offset, int length) throws IOException;

    /** Object size in bytes. @throws ObjectNotFoundException if there is no such object */
    long size(String key) throws IOException;

    boolean exists(String key) throws IOException;

    /** Every key that starts with {@code prefix}, in lexical order. */
    List<String> list(String prefix) throws IOException;

    /**
     * The distinct next path segments below {@code prefix} (which ends with '/' or is empty),
     * like a directory listing: {@code children("t1/")} gives the block IDs of tenant t1.
     */
    List<String> children(String prefix) throws IOException;

    /** Deletes an object; deleting a missing object is not an error. */
    void delete(String key) throws IOException;

    @Override
    default void close() throws IOException {
    }
}
