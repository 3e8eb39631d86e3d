package io.vivace.distributor.otlp;

import static io.vivace.distributor.otlp.WireReader.FIXED32;
import static io.vivace.distributor.otlp.WireReader.FIXED64;
import static io.vivace.distributor.otlp.WireReader.LEN;
import static io.vivace.distributor.otlp.WireReader.VARINT;

import io.vivace.common.ingest.TraceFragment;
import io.vivace.common.model.TraceId;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates an encoded OTLP {@code ExportTraceServiceRequest} and regroups its spans by trace ID without
 * decoding it into objects: each trace's fragment is assembled by copying the byte ranges of its spans,
 * resources and scopes. Validation covers what decoding would (structure, UTF-8 of strings) plus the
 * ID rules: 16-byte non-zero trace IDs, 8-byte non-zero span IDs.
 */
public final class OtlpTraceSplitter {

    /** Deepest nesting of array/kvlist attribute values accepted (protobuf's own recursion limit is 100). */
    private static final int MAX_VALUE_DEPTH = 32;

    /**
     * The request's spans grouped into one fragment per trace, in order of first appearance, and the length in bytes
     * of the longest attribute key or string value anywhere in the request (for {@code max_attribute_bytes}).
     */
    public record Split(List<TraceFragment> fragments, int spanCount, int longestAttributeBytes) {
    }

    /**
     * Each thread keeps one splitter, so its bookkeeping arrays and readers are allocated once rather than per request
     * (they were a fifth of a request's allocation). Splitters that grew for an unusually large request are not kept.
     */
    private static final ThreadLocal<OtlpTraceSplitter> PER_THREAD = new ThreadLocal<>();
    private static final int MAX_KEPT_SPANS = 1 << 14;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    // Readers of the nested messages, one per level, reused: the nesting is fixed apart from attribute values.
    private static final int REQUEST = 0, RESOURCE_SPANS = 1, RESOURCE_OR_SCOPE_SPANS = 2, SCOPE_OR_SPAN = 3, SPAN_PART = 4;
    private final WireReader[] readers = new WireReader[5];

    private byte[] buf;
    private int requestOffset, requestLength;
    // Resources: where their Resource message and schema_url are (-1 offset = absent).
    private int[] resOff = new int[4], resLen = new int[4], resSchemaOff = new int[4], resSchemaLen = new int[4];
    private int resources;
    // Scopes: owning resource, the InstrumentationScope message and schema_url.
    private int[] scopeRes = new int[8], scopeOff = new int[8], scopeLen = new int[8], scopeSchemaOff = new int[8], scopeSchemaLen = new int[8];
    private int scopes;
    // Spans.
    private int[] spanScope = new int[64], spanOff = new int[64], spanLen = new int[64];
    private long[] spanStart = new long[64], spanEnd = new long[64];
    private TraceId[] spanTrace = new TraceId[64];
    private int spans;
    // Body sizes of one fragment's resource and scope runs, computed once and written by the second pass.
    private int[] runBytes = new int[64];
    // Readers for attribute values, three per nesting level (key-value, value, array or kvlist), reused across
    // attributes: the recursion defeats escape analysis, and a fresh reader per attribute was a tenth of the
    // request's allocation.
    private final WireReader[] attributeReaders = new WireReader[3 * (MAX_VALUE_DEPTH + 2)];
    private int longestAttribute;

    private OtlpTraceSplitter() {
        for (int i = 0; i < readers.length; i++) {
            readers[i] = new WireReader(null, 0, 0);
        }
        for (int i = 0; i < attributeReaders.length; i++) {
            attributeReaders[i] = new WireReader(null, 0, 0);
        }
    }

    public static Split split(byte[] request) throws InvalidOtlpException {
        return split(request, 0, request.length);
    }

    /** Splits the request held in {@code request[offset, offset + length)} (a gRPC body read in place). */
    public static Split split(byte[] request, int offset, int length) throws InvalidOtlpException {
        java.util.Objects.checkFromIndexSize(offset, length, request.length);
        OtlpTraceSplitter s = PER_THREAD.get();
        if (s == null) {
            s = new OtlpTraceSplitter();
        } else {
            PER_THREAD.remove(); // a nested call on this thread (none today) gets its own
        }
        try {
            return s.run(request, offset, length);
        } finally {
            s.release();
            if (s.spanOff.length <= MAX_KEPT_SPANS) {
                PER_THREAD.set(s);
            }
        }
    }

    private Split run(byte[] request, int offset, int length) throws InvalidOtlpException {
        buf = request;
        requestOffset = offset;
        requestLength = length;
        for (WireReader r : readers) {
            r.reset(request, 0, 0);
        }
        for (WireReader r : attributeReaders) {
            r.reset(request, 0, 0);
        }
        scanRequest();
        if (spans == 0) {
            throw new InvalidOtlpException("request contains no spans");
        }
        return new Split(buildFragments(), spans, longestAttribute);
    }

    /** Forgets the request, so a kept splitter holds on to no request bytes or trace IDs. */
    private void release() {
        buf = null;
        for (WireReader r : readers) {
            r.reset(null, 0, 0);
        }
        for (WireReader r : attributeReaders) {
            r.reset(null, 0, 0);
        }
        Arrays.fill(spanTrace, 0, spans, null);
        resources = 0;
        scopes = 0;
        spans = 0;
        longestAttribute = 0;
    }

    private WireReader reader(int level, int off, int len) {
        return readers[level].reset(off, len);
    }

    // ---- scanning and validation ----

    private void scanRequest() throws InvalidOtlpException {
        WireReader r = reader(REQUEST, requestOffset, requestLength);
        while (r.hasMore()) {
            int tag = r.readTag();
            if (tag >>> 3 == 1) {
                expect(tag, LEN, "ExportTraceServiceRequest.resource_spans");
                int len = r.readLength();
                scanResourceSpans(r.lenStart(), len);
            } else {
                r.skip(tag & 7);
            }
        }
    }

    private void scanResourceSpans(int off, int len) throws InvalidOtlpException {
        int res = addResource();
        WireReader r = reader(RESOURCE_SPANS, off, len);
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case 1 -> {
                    expect(tag, LEN, "ResourceSpans.resource");
                    resLen[res] = r.readLength();
                    resOff[res] = r.lenStart();
                    scanResource(resOff[res], resLen[res]);
                }
                case 2 -> {
                    expect(tag, LEN, "ResourceSpans.scope_spans");
                    int l = r.readLength();
                    scanScopeSpans(res, r.lenStart(), l);
                }
                case 3 -> {
                    expect(tag, LEN, "ResourceSpans.schema_url");
                    resSchemaLen[res] = r.readLength();
                    resSchemaOff[res] = r.lenStart();
                    checkUtf8(resSchemaOff[res], resSchemaLen[res], "ResourceSpans.schema_url");
                }
                default -> r.skip(tag & 7);
            }
        }
    }

    private void scanResource(int off, int len) throws InvalidOtlpException {
        WireReader r = reader(RESOURCE_OR_SCOPE_SPANS, off, len);
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case 1 -> scanKeyValue(r, tag, "Resource.attributes", 0, false);
                case 2 -> expectAndSkip(r, tag, VARINT, "Resource.dropped_attributes_count");
                default -> r.skip(tag & 7);
            }
        }
    }

    private void scanScopeSpans(int res, int off, int len) throws InvalidOtlpException {
        int scope = addScope(res);
        WireReader r = reader(RESOURCE_OR_SCOPE_SPANS, off, len);
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case 1 -> {
                    expect(tag, LEN, "ScopeSpans.scope");
                    scopeLen[scope] = r.readLength();
                    scopeOff[scope] = r.lenStart();
                    scanScope(scopeOff[scope], scopeLen[scope]);
                }
                case 2 -> {
                    expect(tag, LEN, "ScopeSpans.spans");
                    int l = r.readLength();
                    scanSpan(scope, r.lenStart(), l);
                }
                case 3 -> {
                    expect(tag, LEN, "ScopeSpans.schema_url");
                    scopeSchemaLen[scope] = r.readLength();
                    scopeSchemaOff[scope] = r.lenStart();
                    checkUtf8(scopeSchemaOff[scope], scopeSchemaLen[scope], "ScopeSpans.schema_url");
                }
                default -> r.skip(tag & 7);
            }
        }
    }

    private void scanScope(int off, int len) throws InvalidOtlpException {
        WireReader r = reader(SCOPE_OR_SPAN, off, len);
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case 1 -> scanString(r, tag, "InstrumentationScope.name");
                case 2 -> scanString(r, tag, "InstrumentationScope.version");
                case 3 -> scanKeyValue(r, tag, "InstrumentationScope.attributes", 0, false);
                case 4 -> expectAndSkip(r, tag, VARINT, "InstrumentationScope.dropped_attributes_count");
                default -> r.skip(tag & 7);
            }
        }
    }

    private void scanSpan(int scope, int off, int len) throws InvalidOtlpException {
        TraceId traceId = null;
        boolean hasSpanId = false;
        long start = 0;
        long end = 0;
        WireReader r = reader(SCOPE_OR_SPAN, off, len);
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case 1 -> {
                    expect(tag, LEN, "Span.trace_id");
                    int l = r.readLength();
                    if (l != TraceId.BYTES) {
                        throw new InvalidOtlpException("trace ids must be 128 bit, received " + l * 8 + " bits");
                    }
                    traceId = traceIdAt(r.lenStart());
                    if (traceId.hi() == 0 && traceId.lo() == 0) {
                        throw new InvalidOtlpException("trace ids must not be all zero");
                    }
                }
                case 2 -> {
                    expect(tag, LEN, "Span.span_id");
                    int l = r.readLength();
                    if (l != 8 || isAllZero(r.lenStart(), l)) {
                        throw new InvalidOtlpException("span ids must be 64 bit and not all zero, received " + l * 8 + " bits");
                    }
                    hasSpanId = true;
                }
                case 3 -> scanString(r, tag, "Span.trace_state");
                case 4 -> expectAndSkip(r, tag, LEN, "Span.parent_span_id");
                case 5 -> scanString(r, tag, "Span.name");
                case 6 -> expectAndSkip(r, tag, VARINT, "Span.kind");
                case 7 -> {
                    expect(tag, FIXED64, "Span.start_time_unix_nano");
                    start = r.readFixed64();
                }
                case 8 -> {
                    expect(tag, FIXED64, "Span.end_time_unix_nano");
                    end = r.readFixed64();
                }
                case 9 -> scanKeyValue(r, tag, "Span.attributes", 0, false);
                case 10, 12, 14 -> expectAndSkip(r, tag, VARINT, "Span dropped count");
                case 11 -> {
                    expect(tag, LEN, "Span.events");
                    int l = r.readLength();
                    scanEvent(r.lenStart(), l);
                }
                case 13 -> {
                    expect(tag, LEN, "Span.links");
                    int l = r.readLength();
                    scanLink(r.lenStart(), l);
                }
                case 15 -> {
                    expect(tag, LEN, "Span.status");
                    int l = r.readLength();
                    scanStatus(r.lenStart(), l);
                }
                case 16 -> expectAndSkip(r, tag, FIXED32, "Span.flags");
                default -> r.skip(tag & 7);
            }
        }
        if (traceId == null) {
            throw new InvalidOtlpException("trace ids must be 128 bit, received 0 bits");
        }
        if (!hasSpanId) {
            throw new InvalidOtlpException("span ids must be 64 bit and not all zero, received 0 bits");
        }
        addSpan(scope, off, len, traceId, start, end);
    }

    private void scanEvent(int off, int len) throws InvalidOtlpException {
        WireReader r = reader(SPAN_PART, off, len);
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case 1 -> expectAndSkip(r, tag, FIXED64, "Span.Event.time_unix_nano");
                case 2 -> scanString(r, tag, "Span.Event.name");
                case 3 -> scanKeyValue(r, tag, "Span.Event.attributes", 0, false);
                case 4 -> expectAndSkip(r, tag, VARINT, "Span.Event.dropped_attributes_count");
                default -> r.skip(tag & 7);
            }
        }
    }

    private void scanLink(int off, int len) throws InvalidOtlpException {
        WireReader r = reader(SPAN_PART, off, len);
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case 1 -> {
                    expect(tag, LEN, "Span.Link.trace_id");
                    if (r.readLength() != TraceId.BYTES) {
                        throw new InvalidOtlpException("link trace ids must be 128 bit");
                    }
                }
                case 2 -> {
                    expect(tag, LEN, "Span.Link.span_id");
                    if (r.readLength() != 8) {
                        throw new InvalidOtlpException("link span ids must be 64 bit");
                    }
                }
                case 3 -> scanString(r, tag, "Span.Link.trace_state");
                case 4 -> scanKeyValue(r, tag, "Span.Link.attributes", 0, false);
                case 5 -> expectAndSkip(r, tag, VARINT, "Span.Link.dropped_attributes_count");
                case 6 -> expectAndSkip(r, tag, FIXED32, "Span.Link.flags");
                default -> r.skip(tag & 7);
            }
        }
    }

    private void scanStatus(int off, int len) throws InvalidOtlpException {
        WireReader r = reader(SPAN_PART, off, len);
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case 2 -> scanString(r, tag, "Status.message");
                case 3 -> expectAndSkip(r, tag, VARINT, "Status.code");
                default -> r.skip(tag & 7);
            }
        }
    }

    /**
     * Scans one attribute. {@code ascii}: the caller found no byte with the high bit set in a message around this one,
     * so its strings are ASCII and need no UTF-8 check. Most attributes are a string key with a string, bool or small
     * int value: one eight-bytes-at-a-time pass over the whole attribute is cheaper than checking key and value apart.
     */
    private void scanKeyValue(WireReader outer, int tag, String field, int depth, boolean ascii) throws InvalidOtlpException {
        expect(tag, LEN, field);
        int len = outer.readLength();
        boolean allAscii = ascii || Utf8Validator.isAscii(buf, outer.lenStart(), len);
        WireReader r = attributeReader(3 * depth, outer.lenStart(), len);
        while (r.hasMore()) {
            int t = r.readTag();
            switch (t >>> 3) {
                case 1 -> {
                    scanString(r, t, field, ".key", allAscii);
                    longestAttribute = Math.max(longestAttribute, r.position() - r.lenStart());
                }
                case 2 -> {
                    expect(t, LEN, field, ".value");
                    int l = r.readLength();
                    scanAnyValue(r.lenStart(), l, field, depth, allAscii);
                }
                default -> r.skip(t & 7);
            }
        }
    }

    private void scanAnyValue(int off, int len, String field, int depth, boolean ascii) throws InvalidOtlpException {
        if (depth > MAX_VALUE_DEPTH) {
            throw new InvalidOtlpException(field + ": attribute value nested more than " + MAX_VALUE_DEPTH + " levels");
        }
        WireReader r = attributeReader(3 * depth + 1, off, len);
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case 1 -> {
                    scanString(r, tag, field, " string value", ascii);
                    longestAttribute = Math.max(longestAttribute, r.position() - r.lenStart());
                }
                case 2, 3 -> expectAndSkip(r, tag, VARINT, field, " value");
                case 4 -> expectAndSkip(r, tag, FIXED64, field, " double value");
                case 5 -> {
                    expect(tag, LEN, field, " array value");
                    int l = r.readLength();
                    WireReader arr = attributeReader(3 * depth + 2, r.lenStart(), l);
                    while (arr.hasMore()) {
                        int t = arr.readTag();
                        if (t >>> 3 == 1) {
                            expect(t, LEN, field, " array element");
                            int el = arr.readLength();
                            scanAnyValue(arr.lenStart(), el, field, depth + 1, ascii);
                        } else {
                            arr.skip(t & 7);
                        }
                    }
                }
                case 6 -> {
                    expect(tag, LEN, field, " kvlist value");
                    int l = r.readLength();
                    WireReader kv = attributeReader(3 * depth + 2, r.lenStart(), l);
                    while (kv.hasMore()) {
                        int t = kv.readTag();
                        if (t >>> 3 == 1) {
                            scanKeyValue(kv, t, field, depth + 1, ascii);
                        } else {
                            kv.skip(t & 7);
                        }
                    }
                }
                case 7 -> expectAndSkip(r, tag, LEN, field, " bytes value");
                default -> r.skip(tag & 7);
            }
        }
    }

    private WireReader attributeReader(int slot, int off, int len) {
        return attributeReaders[slot].reset(off, len);
    }

    // Field names come in two parts (attribute context and detail) that are only joined for an error message:
    // joining them for every attribute was most of the allocation of a request.

    private void scanString(WireReader r, int tag, String field) throws InvalidOtlpException {
        scanString(r, tag, field, "");
    }

    private void scanString(WireReader r, int tag, String field, String detail) throws InvalidOtlpException {
        scanString(r, tag, field, detail, false);
    }

    private void scanString(WireReader r, int tag, String field, String detail, boolean ascii) throws InvalidOtlpException {
        expect(tag, LEN, field, detail);
        int len = r.readLength();
        if (!ascii) {
            checkUtf8(r.lenStart(), len, field, detail);
        }
    }

    private void checkUtf8(int off, int len, String field) throws InvalidOtlpException {
        checkUtf8(off, len, field, "");
    }

    private void checkUtf8(int off, int len, String field, String detail) throws InvalidOtlpException {
        if (!Utf8Validator.isValid(buf, off, len)) {
            throw new InvalidOtlpException(field + detail + " is not valid UTF-8");
        }
    }

    private static void expectAndSkip(WireReader r, int tag, int wireType, String field) throws InvalidOtlpException {
        expectAndSkip(r, tag, wireType, field, "");
    }

    private static void expectAndSkip(WireReader r, int tag, int wireType, String field, String detail)
            throws InvalidOtlpException {
        expect(tag, wireType, field, detail);
        r.skip(wireType);
    }

    private static void expect(int tag, int wireType, String field) throws InvalidOtlpException {
        expect(tag, wireType, field, "");
    }

    private static void expect(int tag, int wireType, String field, String detail) throws InvalidOtlpException {
        if ((tag & 7) != wireType) {
            throw new InvalidOtlpException("malformed protobuf: " + field + detail + " has wire type " + (tag & 7)
                    + ", expected " + wireType);
        }
    }

    /** The trace ID at {@code off}: the previous span's object when it is the same ID, as it mostly is. */
    private TraceId traceIdAt(int off) {
        long hi = (long) LONGS.get(buf, off);
        long lo = (long) LONGS.get(buf, off + 8);
        TraceId previous = spans > 0 ? spanTrace[spans - 1] : null;
        if (previous != null && previous.hi() == hi && previous.lo() == lo) {
            return previous;
        }
        return new TraceId(hi, lo);
    }

    private boolean isAllZero(int off, int len) {
        if (len == Long.BYTES) {
            return (long) LONGS.get(buf, off) == 0;
        }
        for (int i = off; i < off + len; i++) {
            if (buf[i] != 0) {
                return false;
            }
        }
        return true;
    }

    // ---- bookkeeping ----

    private int addResource() {
        if (resources == resOff.length) {
            int n = resources * 2;
            resOff = Arrays.copyOf(resOff, n);
            resLen = Arrays.copyOf(resLen, n);
            resSchemaOff = Arrays.copyOf(resSchemaOff, n);
            resSchemaLen = Arrays.copyOf(resSchemaLen, n);
        }
        resOff[resources] = -1;
        resSchemaOff[resources] = -1;
        return resources++;
    }

    private int addScope(int res) {
        if (scopes == scopeOff.length) {
            int n = scopes * 2;
            scopeRes = Arrays.copyOf(scopeRes, n);
            scopeOff = Arrays.copyOf(scopeOff, n);
            scopeLen = Arrays.copyOf(scopeLen, n);
            scopeSchemaOff = Arrays.copyOf(scopeSchemaOff, n);
            scopeSchemaLen = Arrays.copyOf(scopeSchemaLen, n);
        }
        scopeRes[scopes] = res;
        scopeOff[scopes] = -1;
        scopeSchemaOff[scopes] = -1;
        return scopes++;
    }

    private void addSpan(int scope, int off, int len, TraceId traceId, long start, long end) {
        if (spans == spanOff.length) {
            int n = spans * 2;
            spanScope = Arrays.copyOf(spanScope, n);
            spanOff = Arrays.copyOf(spanOff, n);
            spanLen = Arrays.copyOf(spanLen, n);
            spanStart = Arrays.copyOf(spanStart, n);
            spanEnd = Arrays.copyOf(spanEnd, n);
            spanTrace = Arrays.copyOf(spanTrace, n);
        }
        spanScope[spans] = scope;
        spanOff[spans] = off;
        spanLen[spans] = len;
        spanStart[spans] = start;
        spanEnd[spans] = end;
        spanTrace[spans] = traceId;
        spans++;
    }

    // ---- fragment assembly ----

    private List<TraceFragment> buildFragments() {
        // Spans of one trace, in request order: "next span of the same trace" links, heads per trace.
        Map<TraceId, int[]> firstLast = new HashMap<>();
        int[] next = new int[spans];
        List<TraceId> order = new ArrayList<>();
        for (int i = 0; i < spans; i++) {
            next[i] = -1;
            int[] fl = firstLast.get(spanTrace[i]);
            if (fl == null) {
                firstLast.put(spanTrace[i], new int[] {i, i});
                order.add(spanTrace[i]);
            } else {
                next[fl[1]] = i;
                fl[1] = i;
            }
        }
        List<TraceFragment> out = new ArrayList<>(order.size());
        for (TraceId id : order) {
            out.add(buildFragment(id, firstLast.get(id)[0], next));
        }
        return out;
    }

    /**
     * Writes {@code TracesData{ resource_spans: [ {resource, scope_spans: [{scope, spans...}], schema_url} ] }}
     * for one trace. Spans arrive grouped by scope and scopes by resource, so runs are contiguous.
     */
    private TraceFragment buildFragment(TraceId id, int first, int[] next) {
        int size = 0;
        int count = 0;
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        // Pass 1: sizes of each resource run and scope run, in the order pass 2 writes their headers.
        int runs = 0;
        for (int i = first; i != -1; ) {
            int res = scopeRes[spanScope[i]];
            int resourceRun = runs++;
            int rsBody = resourceFieldsSize(res);
            while (i != -1 && scopeRes[spanScope[i]] == res) {
                int scope = spanScope[i];
                int ssBody = scopeFieldsSize(scope);
                for (; i != -1 && spanScope[i] == scope; i = next[i]) {
                    ssBody += field(spanLen[i]);
                    count++;
                    start = Math.min(start, spanStart[i]);
                    end = Math.max(end, spanEnd[i]);
                }
                runBytes(runs++, ssBody);
                rsBody += field(ssBody);
            }
            runBytes(resourceRun, rsBody);
            size += field(rsBody);
        }
        byte[] out = new byte[size];
        int p = 0;
        // Pass 2: bytes.
        int run = 0;
        for (int i = first; i != -1; ) {
            int res = scopeRes[spanScope[i]];
            p = writeHeader(out, p, 1, runBytes[run++]);
            if (resOff[res] >= 0) {
                p = writeBytes(out, p, 1, resOff[res], resLen[res]);
            }
            while (i != -1 && scopeRes[spanScope[i]] == res) {
                int scope = spanScope[i];
                p = writeHeader(out, p, 2, runBytes[run++]);
                if (scopeOff[scope] >= 0) {
                    p = writeBytes(out, p, 1, scopeOff[scope], scopeLen[scope]);
                }
                for (; i != -1 && spanScope[i] == scope; i = next[i]) {
                    p = writeBytes(out, p, 2, spanOff[i], spanLen[i]);
                }
                if (scopeSchemaOff[scope] >= 0) {
                    p = writeBytes(out, p, 3, scopeSchemaOff[scope], scopeSchemaLen[scope]);
                }
            }
            if (resSchemaOff[res] >= 0) {
                p = writeBytes(out, p, 3, resSchemaOff[res], resSchemaLen[res]);
            }
        }
        assert p == size;
        return new TraceFragment(id, out, count, start, end);
    }

    private void runBytes(int run, int bytes) {
        if (run >= runBytes.length) {
            runBytes = Arrays.copyOf(runBytes, Math.max(2 * runBytes.length, run + 1));
        }
        runBytes[run] = bytes;
    }

    private int resourceFieldsSize(int res) {
        return (resOff[res] >= 0 ? field(resLen[res]) : 0) + (resSchemaOff[res] >= 0 ? field(resSchemaLen[res]) : 0);
    }

    private int scopeFieldsSize(int scope) {
        return (scopeOff[scope] >= 0 ? field(scopeLen[scope]) : 0) + (scopeSchemaOff[scope] >= 0 ? field(scopeSchemaLen[scope]) : 0);
    }

    /** Encoded size of a length-delimited field (tag numbers here are all below 16, so the tag is one byte). */
    private static int field(int payload) {
        return 1 + varintSize(payload) + payload;
    }

    private static int varintSize(int v) {
        return v < 1 << 7 ? 1 : v < 1 << 14 ? 2 : v < 1 << 21 ? 3 : v < 1 << 28 ? 4 : 5;
    }

    private static int writeHeader(byte[] out, int p, int fieldNumber, int len) {
        out[p++] = (byte) (fieldNumber << 3 | LEN);
        int v = len;
        while ((v & ~0x7F) != 0) {
            out[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[p++] = (byte) v;
        return p;
    }

    private int writeBytes(byte[] out, int p, int fieldNumber, int off, int len) {
        p = writeHeader(out, p, fieldNumber, len);
        System.arraycopy(buf, off, out, p, len);
        return p + len;
    }
}
