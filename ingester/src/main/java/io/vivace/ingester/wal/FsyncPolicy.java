package io.vivace.ingester.wal;

/** When the write-ahead log forces written records to stable storage, and so what an acknowledgement means. */
public enum FsyncPolicy {
    /**
     * Group commit: an append's future completes only after the fsync that covers its record, so a
     * completed append survives a process kill and a power loss.
     */
    ALWAYS,
    /**
     * An append completes once written to the OS; the log fsyncs every {@code fsyncInterval}. A completed
     * append survives a process kill; a power loss can lose about the last interval.
     */
    INTERVAL,
    /**
     * An append completes once written to the OS, which flushes when it likes (Linux: dirty pages older
     * than about 30 s). Survives a process kill, not a power loss. The log still fsyncs on close.
     */
    NEVER
}
