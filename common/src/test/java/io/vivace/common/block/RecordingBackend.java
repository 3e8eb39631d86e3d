package io.vivace.common.block;

import io.vivace.common.storage.Backend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend that is not a LocalBackend (so blocks are read through ranged reads), recording the order of
 * writes and counting reads.
 */
final class RecordingBackend implements Backend {

    private final Backend delegate;
    final List<String> writes = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger rangeReads = new AtomicInteger();
    final AtomicInteger wholeReads = new AtomicInteger();
    final AtomicInteger largestRangeRead = new AtomicInteger();

    RecordingBackend(Backend delegate) {
        this.delegate = delegate;
    }

    @Override
    public void write(String key, byte[] data) throws IOException {
        writes.add(key);
        delegate.write(key, data);
    }

    @Override
    public void writeFile(String key, Path source) throws IOException {
        writes.add(key);
        delegate.writeFile(key, source);
    }

    @Override
    public byte[] read(String key) throws IOException {
        wholeReads.incrementAndGet();
        return delegate.read(key);
    }

    @Override
    public byte[] readRange(String key, long offset, int length) throws IOException {
        rangeReads.incrementAndGet();
        largestRangeRead.accumulateAndGet(length, Math::max);
        return delegate.readRange(key, offset, length);
    }

    @Override
    public long size(String key) throws IOException {
        return delegate.size(key);
    }

    @Override
    public boolean exists(String key) throws IOException {
        return delegate.exists(key);
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        return delegate.list(prefix);
    }

    @Override
    public List<String> children(String prefix) throws IOException {
        return delegate.children(prefix);
    }

    @Override
    public void delete(String key) throws IOException {
        delegate.delete(key);
    }
}
