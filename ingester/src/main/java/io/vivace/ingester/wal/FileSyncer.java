package io.vivace.ingester.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;

/** Forces a segment's written bytes to stable storage; a seam so tests can observe and delay fsyncs. */
@FunctionalInterface
interface FileSyncer {

    /**
     * {@code fdatasync}: the data and the metadata needed to read it back (the file size), not the
     * modification time.
     */
    FileSyncer FORCE = channel -> channel.force(false);

    void sync(FileChannel channel) throws IOException;
}
