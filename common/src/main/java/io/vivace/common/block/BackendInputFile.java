package io.vivace.common.block;

import io.vivace.common.storage.Backend;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A Parquet {@link InputFile} over {@link Backend#readRange}. Each stream keeps one read-ahead window, so the
 * many small reads of a lookup (footer trailer, page-index entries laid out side by side) become few requests.
 */
final class BackendInputFile implements InputFile {

    static final int READ_AHEAD = 64 * 1024;

    private final Backend backend;
    private final String key;
    private final long length;

    BackendInputFile(Backend backend, String key, long length) {
        this.backend = backend;
        this.key = key;
        this.length = length;
    }

    @Override
    public long getLength() {
        return length;
    }

    @Override
    public SeekableInputStream newStream() {
        return new Stream();
    }

    @Override
    public String toString() {
        return key;
    }

    private final class Stream extends SeekableInputStream {
        private long pos;
        private byte[] window = new byte[0];
        private long windowStart;

        @Override
        public long getPos() {
            return pos;
        }

        @Override
        public void seek(long newPos) throws IOException {
            if (newPos < 0 || newPos > length) {
                throw new EOFException("seek to " + newPos + " outside " + key + " of " + length + " bytes");
            }
            pos = newPos;
        }

        @Override
        public int read() throws IOException {
            if (pos >= length) {
                return -1;
            }
            fill(1);
            return window[(int) (pos++ - windowStart)] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pos >= length) {
                return -1;
            }
            int n = (int) Math.min(len, length - pos);
            readFully(b, off, n);
            return n;
        }

        @Override
        public void readFully(byte[] bytes) throws IOException {
            readFully(bytes, 0, bytes.length);
        }

        @Override
        public void readFully(byte[] bytes, int start, int len) throws IOException {
            if (pos + len > length) {
                throw new EOFException("read of " + len + " bytes at " + pos + " past the end of " + key);
            }
            fill(len);
            System.arraycopy(window, (int) (pos - windowStart), bytes, start, len);
            pos += len;
        }

        @Override
        public int read(ByteBuffer buf) throws IOException {
            if (!buf.hasRemaining()) {
                return 0;
            }
            if (pos >= length) {
                return -1;
            }
            int n = (int) Math.min(buf.remaining(), length - pos);
            fill(n);
            buf.put(window, (int) (pos - windowStart), n);
            pos += n;
            return n;
        }

        @Override
        public void readFully(ByteBuffer buf) throws IOException {
            int len = buf.remaining();
            if (pos + len > length) {
                throw new EOFException("read of " + len + " bytes at " + pos + " past the end of " + key);
            }
            fill(len);
            buf.put(window, (int) (pos - windowStart), len);
            pos += len;
        }

        /** Makes the window cover [pos, pos + len), fetching at least READ_AHEAD bytes when it must fetch. */
        private void fill(int len) throws IOException {
            if (pos >= windowStart && pos + len <= windowStart + window.length) {
                return;
            }
            int fetch = (int) Math.min(Math.max(len, READ_AHEAD), length - pos);
            window = backend.readRange(key, pos, fetch);
            windowStart = pos;
        }
    }
}
