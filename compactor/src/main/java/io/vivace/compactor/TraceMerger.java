package io.vivace.compactor;

import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.block.TraceRecord;
import io.vivace.common.model.TraceCombiner;
import io.vivace.common.model.TraceId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * A k-way merge of traces sorted by ID: each input is read one trace at a time, so memory holds one trace per input.
 * Parts of one trace found in several inputs are combined and their duplicate spans dropped.
 */
final class TraceMerger implements Iterator<TraceRecord> {

    private record Head(TraceRecord trace, Iterator<TraceRecord> rest) {
    }

    private final PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparing((Head h) -> h.trace().id()));

    TraceMerger(List<Iterator<TraceRecord>> inputs) {
        inputs.forEach(this::advance);
    }

    @Override
    public boolean hasNext() {
        return !heads.isEmpty();
    }

    @Override
    public TraceRecord next() {
        if (heads.isEmpty()) {
            throw new NoSuchElementException();
        }
        Head first = heads.poll();
        advance(first.rest());
        TraceId id = first.trace().id();
        if (heads.isEmpty() || !heads.peek().trace().id().equals(id)) {
            return first.trace();
        }
        List<TracesData> parts = new ArrayList<>();
        parts.add(first.trace().trace());
        while (!heads.isEmpty() && heads.peek().trace().id().equals(id)) {
            Head same = heads.poll();
            parts.add(same.trace().trace());
            advance(same.rest());
        }
        return new TraceRecord(id, TraceCombiner.combine(parts));
    }

    private void advance(Iterator<TraceRecord> input) {
        if (input.hasNext()) {
            heads.add(new Head(input.next(), input));
        }
    }
}
