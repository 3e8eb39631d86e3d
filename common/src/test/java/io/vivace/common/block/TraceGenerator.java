package io.vivace.common.block;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.model.TraceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/** Deterministic, richly varied traces: every attribute type, well-known keys with right and wrong types, odd IDs. */
final class TraceGenerator {

    private static final String[] SERVICES = {"frontend", "checkout", "payments", "db-proxy", "ünïcødé-svc"};
    private static final String[] NAMES = {"GET /", "POST /cart", "SELECT", "render", "queue.publish", "span with spaces"};

    private final Random random;

    TraceGenerator(long seed) {
        random = new Random(seed);
    }

    /** {@code count} traces sorted by ID, including the all-zero and all-one IDs and IDs with the top bit set. */
    List<TraceRecord> traces(int count) {
        TreeSet<TraceId> ids = new TreeSet<>();
        ids.add(new TraceId(0, 0));
        ids.add(new TraceId(-1, -1));
        ids.add(new TraceId(Long.MIN_VALUE, 1));
        while (ids.size() < count) {
            ids.add(new TraceId(random.nextLong(), random.nextLong()));
        }
        List<TraceRecord> traces = new ArrayList<>();
        for (TraceId id : ids) {
            traces.add(new TraceRecord(id, trace(id)));
        }
        return traces;
    }

    TracesData trace(TraceId id) {
        TracesData.Builder trace = TracesData.newBuilder();
        long traceStart = 1_700_000_000_000_000_000L + random.nextInt(1_000_000) * 1_000_000L;
        List<ByteString> spanIds = new ArrayList<>();
        int resources = 1 + random.nextInt(3);
        for (int r = 0; r < resources; r++) {
            ResourceSpans.Builder rs = ResourceSpans.newBuilder().setResource(resource(r));
            if (random.nextBoolean()) {
                rs.setSchemaUrl("https://opentelemetry.io/schemas/1.2" + random.nextInt(10) + ".0");
            }
            int scopes = 1 + random.nextInt(2);
            for (int s = 0; s < scopes; s++) {
                ScopeSpans.Builder ss = ScopeSpans.newBuilder().setScope(scope());
                if (random.nextInt(3) == 0) {
                    ss.setSchemaUrl("https://example.com/scope-schema");
                }
                int spans = 1 + random.nextInt(8);
                for (int i = 0; i < spans; i++) {
                    ss.addSpans(span(id, traceStart, spanIds));
                }
                rs.addScopeSpans(ss);
            }
            trace.addResourceSpans(rs);
        }
        return trace.build();
    }

    private Resource resource(int index) {
        Resource.Builder resource = Resource.newBuilder();
        switch (random.nextInt(6)) {
            case 0 -> { } // no service.name at all
            case 1 -> resource.addAttributes(kv("service.name", str(""))); // present but empty
            case 2 -> resource.addAttributes(kv("service.name", AnyValue.newBuilder().setIntValue(7).build())); // wrong type
            default -> resource.addAttributes(kv("service.name", str(SERVICES[random.nextInt(SERVICES.length)])));
        }
        if (random.nextBoolean()) {
            resource.addAttributes(kv("k8s.namespace.name", str("prod")));
            resource.addAttributes(kv("k8s.pod.name", str("pod-" + random.nextInt(100))));
        }
        if (random.nextInt(4) == 0) {
            resource.addAttributes(kv("cluster", AnyValue.newBuilder().setIntValue(3).build())); // wrong type: stays generic
        }
        if (random.nextInt(4) == 0) {
            resource.addAttributes(kv("namespace", str("a")));
            resource.addAttributes(kv("namespace", str("duplicate key")));
        }
        resource.addAttributes(kv("host.index", AnyValue.newBuilder().setIntValue(index).build()));
        addRandomAttrs(resource::addAttributes, 3);
        if (random.nextInt(5) == 0) {
            resource.setDroppedAttributesCount(random.nextInt(5) + 1);
        }
        return resource.build();
    }

    private InstrumentationScope scope() {
        InstrumentationScope.Builder scope = InstrumentationScope.newBuilder()
                .setName("io.opentelemetry." + random.nextInt(4));
        if (random.nextBoolean()) {
            scope.setVersion("1." + random.nextInt(30) + ".0");
        }
        addRandomAttrs(scope::addAttributes, 2);
        if (random.nextInt(5) == 0) {
            scope.setDroppedAttributesCount(2);
        }
        return scope.build();
    }

    private Span span(TraceId traceId, long traceStart, List<ByteString> spanIds) {
        byte[] idBytes = new byte[8];
        random.nextBytes(idBytes);
        ByteString spanId = ByteString.copyFrom(idBytes);
        long start = traceStart + random.nextInt(1_000_000_000);
        Span.Builder span = Span.newBuilder()
                .setTraceId(ByteString.copyFrom(traceId.toBytes()))
                .setSpanId(spanId)
                .setName(NAMES[random.nextInt(NAMES.length)])
                .setKindValue(random.nextInt(6))
                .setStartTimeUnixNano(start)
                .setEndTimeUnixNano(start + random.nextInt(500_000_000));
        if (!spanIds.isEmpty() && random.nextInt(5) != 0) {
            span.setParentSpanId(spanIds.get(random.nextInt(spanIds.size())));
        } else if (random.nextInt(10) == 0) {
            span.setParentSpanId(ByteString.copyFromUtf8("missing!")); // parent not in the trace
        }
        spanIds.add(spanId);
        if (random.nextInt(3) == 0) {
            span.setTraceState("vendor=" + random.nextInt(100) + ",other=x");
        }
        if (random.nextBoolean()) {
            span.setFlags(random.nextInt(512));
        }
        switch (random.nextInt(4)) {
            case 0 -> span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom: " + random.nextInt(9)));
            case 1 -> span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK));
            case 2 -> span.setStatus(Status.newBuilder().setMessage("message without code"));
            default -> { }
        }
        if (random.nextBoolean()) {
            span.addAttributes(kv("http.method", str("GET")));
            span.addAttributes(kv("http.status_code", AnyValue.newBuilder().setIntValue(200 + random.nextInt(300)).build()));
            span.addAttributes(kv("http.route", str("/api/v" + random.nextInt(3))));
        }
        if (random.nextInt(4) == 0) {
            span.addAttributes(kv("http.response.status_code", str("not an int"))); // wrong type: stays generic
            span.addAttributes(kv("http.request.method", AnyValue.newBuilder().setBoolValue(true).build()));
        }
        if (random.nextInt(4) == 0) {
            span.addAttributes(kv("url.full", str("https://example.com/a?b=c")));
            span.addAttributes(kv("url.full", str("second occurrence stays generic")));
            span.addAttributes(kv("db.system", str("postgresql")));
            span.addAttributes(kv("server.address", str("db.internal")));
            span.addAttributes(kv("rpc.service", str("Checkout")));
            span.addAttributes(kv("url.path", str("/p")));
            span.addAttributes(kv("http.url", str("http://x")));
            span.addAttributes(kv("http.response.status_code", AnyValue.newBuilder().setIntValue(503).build()));
        }
        addRandomAttrs(span::addAttributes, 6);
        if (random.nextInt(5) == 0) {
            span.setDroppedAttributesCount(random.nextInt(10) + 1);
        }
        int events = random.nextInt(4);
        for (int e = 0; e < events; e++) {
            Span.Event.Builder event = Span.Event.newBuilder()
                    .setTimeUnixNano(start + random.nextInt(1_000_000))
                    .setName(e % 2 == 0 ? "exception" : "log");
            addRandomAttrs(event::addAttributes, 3);
            if (random.nextInt(4) == 0) {
                event.setDroppedAttributesCount(1);
            }
            span.addEvents(event);
        }
        if (random.nextInt(6) == 0) {
            // An event before the span start: the stored delta is negative as a signed number.
            span.addEvents(Span.Event.newBuilder().setTimeUnixNano(start - 1_000).setName("early"));
        }
        int links = random.nextInt(3);
        for (int l = 0; l < links; l++) {
            byte[] linkedTrace = new byte[16];
            byte[] linkedSpan = new byte[8];
            random.nextBytes(linkedTrace);
            random.nextBytes(linkedSpan);
            Span.Link.Builder link = Span.Link.newBuilder()
                    .setTraceId(ByteString.copyFrom(linkedTrace))
                    .setSpanId(ByteString.copyFrom(linkedSpan));
            if (random.nextBoolean()) {
                link.setTraceState("k=v");
            }
            if (random.nextBoolean()) {
                link.setFlags(257);
            }
            addRandomAttrs(link::addAttributes, 2);
            if (random.nextInt(3) == 0) {
                link.setDroppedAttributesCount(4);
            }
            span.addLinks(link);
        }
        if (random.nextInt(5) == 0) {
            span.setDroppedEventsCount(3).setDroppedLinksCount(1);
        }
        return span.build();
    }

    private void addRandomAttrs(java.util.function.Consumer<KeyValue> sink, int max) {
        int n = random.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            sink.accept(kv("attr." + random.nextInt(20), randomValue(0)));
        }
    }

    /** Every kind of attribute value, including the ones stored as protobuf-JSON. */
    AnyValue randomValue(int depth) {
        return switch (random.nextInt(depth > 1 ? 4 : 15)) {
            case 0 -> str(random.nextBoolean() ? "value-" + random.nextInt(50) : "");
            case 1 -> AnyValue.newBuilder().setIntValue(random.nextLong()).build();
            case 2 -> AnyValue.newBuilder().setDoubleValue(random.nextInt(10) == 0 ? Double.NaN : random.nextGaussian() * 1e6).build();
            case 3 -> AnyValue.newBuilder().setBoolValue(random.nextBoolean()).build();
            case 4 -> array(i -> str("s" + i));
            case 5 -> array(i -> AnyValue.newBuilder().setIntValue(i * 1_000_000_007L).build());
            case 6 -> array(i -> AnyValue.newBuilder().setDoubleValue(i / 3.0).build());
            case 7 -> array(i -> AnyValue.newBuilder().setBoolValue(i % 2 == 0).build());
            case 8 -> AnyValue.newBuilder().setArrayValue(ArrayValue.getDefaultInstance()).build(); // empty array
            case 9 -> AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {0, 1, (byte) 0xFF, 42})).build();
            case 10 -> AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                    .addValues(kv("nested", randomValue(depth + 1)))
                    .addValues(kv("n", AnyValue.newBuilder().setIntValue(1).build()))).build();
            case 11 -> AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder() // mixed types
                    .addValues(str("a")).addValues(AnyValue.newBuilder().setIntValue(1))).build();
            case 12 -> AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder() // nested array
                    .addValues(AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(str("x"))))).build();
            case 13 -> AnyValue.getDefaultInstance(); // no value
            default -> str("日本語 ✓ " + random.nextInt(5));
        };
    }

    private AnyValue array(java.util.function.IntFunction<AnyValue> element) {
        ArrayValue.Builder array = ArrayValue.newBuilder();
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            array.addValues(element.apply(i));
        }
        return AnyValue.newBuilder().setArrayValue(array).build();
    }

    static KeyValue kv(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    static AnyValue str(String value) {
        return AnyValue.newBuilder().setStringValue(value).build();
    }
}
