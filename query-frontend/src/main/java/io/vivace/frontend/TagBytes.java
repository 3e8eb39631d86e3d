package io.vivace.frontend;

/**
 * The bytes of distinct tag names or values a tag query has gathered, against its cap: beyond it further entries
 * are dropped silently and the scan stops, as Tempo's {@code max_bytes_per_tag_values_query} does, so one
 * high-cardinality attribute cannot fill the heap. Not thread-safe (sinks run under their collector's lock).
 */
final class TagBytes {

    private final long max;
    private long used;
    private boolean full;

    /** {@code max} 0 = no cap. */
    TagBytes(long max) {
        this.max = max;
    }

    /** Whether the entry still fits; once one does not, the sink counts as full. */
    boolean fits(String entry) {
        if (max > 0 && used + entry.length() > max) {
            full = true;
        }
        return !full;
    }

    void add(String entry) {
        used += entry.length();
    }

    boolean full() {
        return full;
    }
}
