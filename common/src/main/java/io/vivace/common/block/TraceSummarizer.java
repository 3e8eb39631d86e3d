package io.vivace.common.block;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Computes the trace-level columns of one trace (time range, root span, per-service counts) and the nested-set
 * numbers of each span. One instance is reused for every trace of a block, so its arrays are allocated once and
 * only grow.
 *
 * <p>Nested sets (as Tempo's vParquet4): spans are matched to parents by the first 8 bytes of their IDs; a
 * depth-first walk from each root (empty parent ID) numbers {@code left} on entry and {@code right} on exit from
 * one counter starting at 1; {@code parentId} is the parent's {@code left}, -1 for roots. Spans not reachable
 * from a root keep 0, and so does every span when the trace has no root or an ID occurs more than twice.
 * Span arrays are indexed in the order resource spans → scope spans → spans appear.
 */
final class TraceSummarizer {

    private static final int KIND_SERVER = Span.SpanKind.SPAN_KIND_SERVER_VALUE;
    private static final int KIND_CLIENT = Span.SpanKind.SPAN_KIND_CLIENT_VALUE;
    static final ByteString SERVICE_NAME = ByteString.copyFromUtf8("service.name");

    // Results of the last summarize().
    int spanCount;
    long startNanos;
    long endNanos;
    ByteString rootServiceName;
    ByteString rootSpanName;
    /** Service names (UTF-8) in order of appearance; the counts below are indexed alike. */
    final List<ByteString> services = new ArrayList<>();
    int[] serviceSpans = new int[4];
    int[] serviceErrors = new int[4];
    int[] parentId = new int[64];
    int[] left = new int[64];
    int[] right = new int[64];
    /** Index of each span's parent in the nested sets, -1 for roots and unreachable spans. */
    int[] parentIndex = new int[64];
    /** Each span's ID, as sent. */
    ByteString[] spanIds = new ByteString[64];

    // Scratch, per span.
    private long[] idKey = new long[64];
    private long[] parentKey = new long[64];
    private boolean[] isRoot = new boolean[64];
    private int[] kind = new int[64];
    private int[] firstChild = new int[64];
    private int[] lastChild = new int[64];
    private int[] nextSibling = new int[64];
    private int[] cursor = new int[64];
    private int[] stack = new int[64];

    // Open-addressing map from span-ID key to the (at most two) spans carrying it.
    private long[] slotKey = new long[128];
    private int[] slotFirst = new int[128]; // span index + 1; 0 = empty slot
    private int[] slotSecond = new int[128]; // span index, or -1
    private int slotCapacity; // the part of the slot arrays in use: a power of two about twice the span count

    void summarize(TracesData trace) {
        List<ResourceSpans> resourceSpans = trace.getResourceSpansList();
        int n = 0;
        for (int r = 0; r < resourceSpans.size(); r++) {
            List<ScopeSpans> scopeSpans = resourceSpans.get(r).getScopeSpansList();
            for (int s = 0; s < scopeSpans.size(); s++) {
                n += scopeSpans.get(s).getSpansCount();
            }
        }
        ensureSpanCapacity(n);
        spanCount = n;
        startNanos = 0;
        endNanos = 0;
        rootServiceName = ByteString.EMPTY;
        rootSpanName = ByteString.EMPTY;
        services.clear();

        boolean hasRoot = false;
        int i = 0;
        for (int r = 0; r < resourceSpans.size(); r++) {
            ResourceSpans rs = resourceSpans.get(r);
            ByteString service = serviceName(rs.getResource());
            int serviceIndex = serviceIndex(service);
            List<ScopeSpans> scopeSpans = rs.getScopeSpansList();
            for (int s = 0; s < scopeSpans.size(); s++) {
                List<Span> spans = scopeSpans.get(s).getSpansList();
                for (int k = 0; k < spans.size(); k++) {
                    Span span = spans.get(k);
                    long start = span.getStartTimeUnixNano();
                    long end = span.getEndTimeUnixNano();
                    if (i == 0 || Long.compareUnsigned(start, startNanos) < 0) {
                        startNanos = start;
                    }
                    if (i == 0 || Long.compareUnsigned(end, endNanos) > 0) {
                        endNanos = end;
                    }
                    serviceSpans[serviceIndex]++;
                    if (span.getStatus().getCodeValue() == Status.StatusCode.STATUS_CODE_ERROR_VALUE) {
                        serviceErrors[serviceIndex]++;
                    }
                    ByteString parent = span.getParentSpanId();
                    spanIds[i] = span.getSpanId();
                    idKey[i] = key(span.getSpanId());
                    parentKey[i] = key(parent);
                    isRoot[i] = parent.isEmpty();
                    kind[i] = span.getKindValue();
                    if (isRoot[i] && !hasRoot) {
                        hasRoot = true;
                        rootServiceName = service;
                        rootSpanName = span.getNameBytes();
                    }
                    i++;
                }
            }
        }
        Arrays.fill(parentId, 0, n, 0);
        Arrays.fill(left, 0, n, 0);
        Arrays.fill(right, 0, n, 0);
        Arrays.fill(parentIndex, 0, n, -1);
        if (hasRoot && indexSpanIds(n)) {
            linkChildren(n);
            number(n);
        }
    }

    /** The first string {@code service.name} of a resource, or "" (what Tempo records for "no service"). */
    static ByteString serviceName(Resource resource) {
        List<KeyValue> attrs = resource.getAttributesList();
        for (int i = 0; i < attrs.size(); i++) {
            KeyValue kv = attrs.get(i);
            if (kv.getValue().getValueCase() == AnyValue.ValueCase.STRING_VALUE && kv.getKeyBytes().equals(SERVICE_NAME)) {
                return kv.getValue().getStringValueBytes();
            }
        }
        return ByteString.EMPTY;
    }

    private int serviceIndex(ByteString service) {
        int index = services.indexOf(service);
        if (index >= 0) {
            return index;
        }
        index = services.size();
        services.add(service);
        if (index == serviceSpans.length) {
            serviceSpans = Arrays.copyOf(serviceSpans, index * 2);
            serviceErrors = Arrays.copyOf(serviceErrors, index * 2);
        }
        serviceSpans[index] = 0;
        serviceErrors[index] = 0;
        return index;
    }

    /** Fills the ID map; false when some ID occurs more than twice (then nested sets are not computed). */
    private boolean indexSpanIds(int n) {
        int capacity = Integer.highestOneBit(Math.max(4, n) * 2 - 1) << 1;
        if (slotKey.length < capacity) {
            slotKey = new long[capacity];
            slotFirst = new int[capacity];
            slotSecond = new int[capacity];
        } else {
            Arrays.fill(slotFirst, 0, capacity, 0);
        }
        slotCapacity = capacity;
        for (int i = 0; i < n; i++) {
            int slot = slotOf(idKey[i]);
            if (slotFirst[slot] == 0) {
                slotKey[slot] = idKey[i];
                slotFirst[slot] = i + 1;
                slotSecond[slot] = -1;
            } else if (slotSecond[slot] == -1) {
                slotSecond[slot] = i;
            } else {
                return false;
            }
        }
        return true;
    }

    /** The slot holding {@code key}, or the empty slot where it would go. */
    private int slotOf(long key) {
        int mask = slotCapacity - 1;
        int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & mask;
        while (slotFirst[slot] != 0 && slotKey[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void linkChildren(int n) {
        Arrays.fill(firstChild, 0, n, -1);
        Arrays.fill(lastChild, 0, n, -1);
        Arrays.fill(nextSibling, 0, n, -1);
        for (int i = 0; i < n; i++) {
            if (isRoot[i]) {
                continue;
            }
            int slot = slotOf(parentKey[i]);
            if (slotFirst[slot] == 0) {
                continue; // parent not in this trace
            }
            int parent = chooseParent(i, slotFirst[slot] - 1, slotSecond[slot]);
            if (parent < 0) {
                continue;
            }
            if (lastChild[parent] < 0) {
                firstChild[parent] = i;
            } else {
                nextSibling[lastChild[parent]] = i;
            }
            lastChild[parent] = i;
        }
    }

    /**
     * Two spans may share an ID (Zipkin's shared client/server span): a child takes the SERVER one, or the
     * CLIENT one when the child itself is the SERVER. A span is never its own parent.
     */
    private int chooseParent(int child, int a, int b) {
        if (b < 0) {
            return a == child ? -1 : a;
        }
        if (a == child) {
            return b;
        }
        if (b == child) {
            return a;
        }
        int preferred = kind[child] == KIND_SERVER ? KIND_CLIENT : KIND_SERVER;
        if (kind[a] != preferred && kind[b] == preferred) {
            return b;
        }
        return a;
    }

    private void number(int n) {
        int counter = 1;
        for (int root = 0; root < n; root++) {
            if (!isRoot[root]) {
                continue;
            }
            int depth = 0;
            stack[depth++] = root;
            left[root] = counter++;
            parentId[root] = -1;
            cursor[root] = firstChild[root];
            while (depth > 0) {
                int node = stack[depth - 1];
                int child = cursor[node];
                if (child >= 0) {
                    cursor[node] = nextSibling[child];
                    left[child] = counter++;
                    parentId[child] = left[node];
                    parentIndex[child] = node;
                    cursor[child] = firstChild[child];
                    stack[depth++] = child;
                } else {
                    right[node] = counter++;
                    depth--;
                }
            }
        }
    }

    /** The first 8 bytes of an ID, big-endian (shorter IDs are zero-extended on the right). */
    private static long key(ByteString id) {
        long v = 0;
        int len = Math.min(8, id.size());
        for (int k = 0; k < 8; k++) {
            v = (v << 8) | (k < len ? id.byteAt(k) & 0xFF : 0);
        }
        return v;
    }

    private void ensureSpanCapacity(int n) {
        if (parentId.length >= n) {
            return;
        }
        int size = Math.max(n, parentId.length * 2);
        parentId = new int[size];
        left = new int[size];
        right = new int[size];
        parentIndex = new int[size];
        spanIds = new ByteString[size];
        idKey = new long[size];
        parentKey = new long[size];
        isRoot = new boolean[size];
        kind = new int[size];
        firstChild = new int[size];
        lastChild = new int[size];
        nextSibling = new int[size];
        cursor = new int[size];
        stack = new int[size];
    }
}
