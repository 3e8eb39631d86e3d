package io.vivace.common.block;

import io.vivace.common.block.parquet.ChunkLayout;
import io.vivace.common.storage.Backend;
import io.vivace.common.storage.CachingBackend;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A block's {@code data.parquet}, read by byte ranges: a local file in place, or ranged reads from the backend.
 * Each batch of reads opens its own {@link Reads}, so closing a block never breaks a read in progress.
 */
sealed interface DataFile {

    long length();

    /** Ranges closer than this are read as one: a second read would cost more than the bytes between. */
    int coalesceGap();

    Reads open() throws IOException;

    /** Reads of one batch (a lookup, a row group); close when done. */
    interface Reads extends ChunkLayout.Source, AutoCloseable {

        /** The bytes of a page range read before, or null: a caching store keeps each page range on its own. */
        default byte[] cachedPage(long offset, int length) {
            return null;
        }

        /** Offers a page range just read to the cache (which copies it out of a larger read when it keeps it). */
        default void pageRead(long offset, CoalescedReads.Slice page) {
        }

        /** A read that bypasses the caches: its ranges are offered one by one through {@link #pageRead}. */
        default byte[] readPagesUncached(long offset, int length) throws IOException {
            return read(offset, length);
        }

        @Override
        void close() throws IOException;
    }

    record Local(Path path, long length) implements DataFile {
        @Override
        public int coalesceGap() {
            return 16 * 1024;
        }

        @Override
        public Reads open() throws IOException {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
            return new Reads() {
                @Override
                public byte[] read(long offset, int length) throws IOException {
                    byte[] bytes = new byte[length];
                    ByteBuffer buffer = ByteBuffer.wrap(bytes);
                    while (buffer.hasRemaining()) {
                        if (channel.read(buffer, offset + buffer.position()) < 0) {
                            throw new EOFException(path + ": read of " + length + " bytes at " + offset + " past the end");
                        }
                    }
                    return bytes;
                }

                @Override
                public void close() throws IOException {
                    channel.close();
                }
            };
        }
    }

    /**
     * Ranged reads of an object. Reads from {@code indexStart} on (where the column and offset indexes and the
     * footer lie) are {@link CachingBackend.RangeRole#FOOTER} reads, the rest page reads, for a caching backend.
     */
    record Remote(Backend backend, String key, long length, long indexStart) implements DataFile {
        @Override
        public int coalesceGap() {
            return 256 * 1024;
        }

        @Override
        public Reads open() {
            return new Reads() {
                @Override
                public byte[] read(long offset, int length) throws IOException {
                    if (backend instanceof CachingBackend cache) {
                        return cache.readRange(key, offset, length,
                                offset >= indexStart ? CachingBackend.RangeRole.FOOTER : CachingBackend.RangeRole.PAGE);
                    }
                    return backend.readRange(key, offset, length);
                }

                @Override
                public byte[] readPagesUncached(long offset, int length) throws IOException {
                    return backend instanceof CachingBackend cache ? cache.store().readRange(key, offset, length)
                            : backend.readRange(key, offset, length);
                }

                @Override
                public byte[] cachedPage(long offset, int length) {
                    return backend instanceof CachingBackend cache ? cache.cachedPage(key, offset, length) : null;
                }

                @Override
                public void pageRead(long offset, CoalescedReads.Slice page) {
                    if (backend instanceof CachingBackend cache) {
                        byte[] bytes = page.offset() == 0 && page.length() == page.bytes().length ? page.bytes()
                                : Arrays.copyOfRange(page.bytes(), page.offset(), page.offset() + page.length());
                        cache.rememberPage(key, offset, bytes);
                    }
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
