package io.vivace.bench.load;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deterministic synthetic traces. Trace {@code i} is a pure function of (seed, i, spans per trace, services,
 * base time): the load tool sends it and verify mode regenerates it to compare with what the server returns.
 *
 * <p>Each trace is a tree of HTTP/gRPC servers, HTTP/DB/cache clients, internal work and Kafka producer/consumer
 * spans spread over several services, all ending before the base time and starting at most about five minutes
 * earlier.
 */
public final class SyntheticTraces {

    /** What a trace depends on besides its index. */
    public record Config(long seed, int spansPerTrace, int services, long baseTimeMs) {
        public Config {
            if (spansPerTrace < 1) throw new IllegalArgumentException("spans per trace must be >= 1");
            if (services < 1) throw new IllegalArgumentException("services must be >= 1");
            if (baseTimeMs <= MAX_TRACE_AGE_MS) throw new IllegalArgumentException("base time must be a recent epoch millisecond");
        }
    }

    /** A span with the resource and scope it is reported under. Resources and scopes are shared instances. */
    public record GeneratedSpan(Resource resource, InstrumentationScope scope, Span span) {}

    static final long MAX_TRACE_AGE_MS = 300_000;
    private static final int INSTANCES_PER_SERVICE = 3;
    private static final String SCHEMA_URL = "https://opentelemetry.io/schemas/1.26.0";
    private static final String[] SERVICE_NAMES = {
        "frontend", "checkout", "cart", "payment", "shipping", "inventory",
        "catalog", "users", "search", "recommendation", "email", "currency"};

    private enum Category {
        HTTP_SERVER(Span.SpanKind.SPAN_KIND_SERVER, scope("io.opentelemetry.armeria-1.3", "2.11.0-alpha")),
        GRPC_SERVER(Span.SpanKind.SPAN_KIND_SERVER, scope("io.opentelemetry.grpc-1.6", "2.11.0-alpha")),
        HTTP_CLIENT(Span.SpanKind.SPAN_KIND_CLIENT, scope("io.opentelemetry.java-http-client", "2.11.0-alpha")),
        DB(Span.SpanKind.SPAN_KIND_CLIENT, scope("io.opentelemetry.jdbc", "2.11.0-alpha")),
        CACHE(Span.SpanKind.SPAN_KIND_CLIENT, scope("io.opentelemetry.lettuce-5.1", "2.11.0-alpha")),
        INTERNAL(Span.SpanKind.SPAN_KIND_INTERNAL, scope("io.vivace.synthetic", "1.0.0")),
        PRODUCER(Span.SpanKind.SPAN_KIND_PRODUCER, scope("io.opentelemetry.kafka-clients-2.6", "2.11.0-alpha")),
        CONSUMER(Span.SpanKind.SPAN_KIND_CONSUMER, scope("io.opentelemetry.kafka-clients-2.6", "2.11.0-alpha"));

        final Span.SpanKind kind;
        final InstrumentationScope scope;

        Category(Span.SpanKind kind, InstrumentationScope scope) {
            this.kind = kind;
            this.scope = scope;
        }

        /** Database and cache calls have no children. */
        boolean leaf() {
            return this == DB || this == CACHE;
        }
    }

    private static final String[][] HTTP_ROUTES = {
        {"GET", "/api/items/{id}"}, {"GET", "/api/cart"}, {"POST", "/api/orders"},
        {"PUT", "/api/users/{id}"}, {"GET", "/api/search"}, {"DELETE", "/api/cart/items/{id}"}};
    private static final String[][] GRPC_METHODS = {
        {"oteldemo.CartService", "GetCart"}, {"oteldemo.ProductCatalogService", "GetProduct"},
        {"oteldemo.PaymentService", "Charge"}, {"oteldemo.ShippingService", "GetQuote"}};
    private static final String[][] DB_QUERIES = {
        {"SELECT", "items", "SELECT id, name, price FROM items WHERE id = ?"},
        {"SELECT", "users", "SELECT * FROM users WHERE email = ?"},
        {"INSERT", "orders", "INSERT INTO orders (id, user_id, total) VALUES (?, ?, ?)"},
        {"UPDATE", "inventory", "UPDATE inventory SET stock = stock - ? WHERE item_id = ?"}};
    private static final String[] CACHE_COMMANDS = {"GET", "SET", "HGET", "HSET", "EXPIRE"};
    private static final String[] INTERNAL_OPS = {
        "render-page", "compute-price", "validate-order", "serialize-response", "load-config"};
    private static final String[] ERROR_MESSAGES = {
        "upstream request timeout", "connection reset by peer", "item not found", "insufficient stock"};
    private static final String[] EXCEPTION_TYPES = {
        "java.util.concurrent.TimeoutException", "java.net.SocketException", "java.lang.IllegalStateException"};
    private static final String[] FEATURE_FLAGS = {"new-checkout", "dark-mode", "fast-search", "beta-pricing"};

    private final Config config;
    private final long seedKey;
    private final Resource[][] resources;

    public SyntheticTraces(Config config) {
        this.config = config;
        this.seedKey = SplitMix.mix64(config.seed() ^ 0x5DEECE66DL);
        this.resources = new Resource[config.services()][INSTANCES_PER_SERVICE];
        for (int s = 0; s < config.services(); s++) {
            for (int inst = 0; inst < INSTANCES_PER_SERVICE; inst++) {
                resources[s][inst] = resource(s, inst);
            }
        }
    }

    public Config config() {
        return config;
    }

    /** The 16-byte trace ID of trace {@code i}; distinct indexes always give distinct IDs. */
    public byte[] traceId(long i) {
        long low = traceIdLow(i);
        long high = SplitMix.mix64(low + seedKey);
        byte[] id = new byte[16];
        putLong(id, 0, high);
        putLong(id, 8, low);
        return id;
    }

    /** The trace ID of trace {@code i} as 32 lower-case hex characters. */
    public String traceIdHex(long i) {
        return HexFormat.of().formatHex(traceId(i));
    }

    /** All spans of trace {@code i}, root first, each parent before its children. */
    public List<GeneratedSpan> trace(long i) {
        int n = config.spansPerTrace();
        long low = traceIdLow(i);
        ByteString traceId = ByteString.copyFrom(traceId(i));
        SplitMix rng = new SplitMix(SplitMix.mix64(low ^ seedKey));

        int[] service = new int[n];
        int[] parent = new int[n];
        Category[] category = new Category[n];
        long[] start = new long[n];
        long[] end = new long[n];
        ByteString[] spanIds = new ByteString[n];
        List<GeneratedSpan> spans = new ArrayList<>(n);

        long baseNs = config.baseTimeMs() * 1_000_000L;
        for (int j = 0; j < n; j++) {
            spanIds[j] = spanId(low, j);
            if (j == 0) {
                parent[j] = -1;
                service[j] = rng.nextInt(config.services());
                category[j] = rng.chance(0.2) ? Category.GRPC_SERVER : Category.HTTP_SERVER;
                end[j] = baseNs - rng.nextLong((MAX_TRACE_AGE_MS - 10_000) * 1_000_000L);
                start[j] = end[j] - 5_000_000L - rng.nextLong(2_000_000_000L);
            } else {
                int p = rng.nextInt(j);
                if (category[p].leaf()) p = parent[p];
                parent[j] = p;
                switch (category[p]) {
                    case HTTP_CLIENT -> {
                        service[j] = otherService(service[p], rng);
                        category[j] = rng.chance(0.3) ? Category.GRPC_SERVER : Category.HTTP_SERVER;
                    }
                    case PRODUCER -> {
                        service[j] = otherService(service[p], rng);
                        category[j] = Category.CONSUMER;
                    }
                    default -> {
                        service[j] = service[p];
                        category[j] = localChild(rng);
                    }
                }
                long parentDuration = end[p] - start[p];
                start[j] = start[p] + rng.nextLong(Math.max(1, parentDuration * 3 / 4));
                long room = end[p] - start[j];
                end[j] = start[j] + 1 + rng.nextLong(Math.max(1, room - 1));
            }
            int instance = (int) Long.remainderUnsigned(SplitMix.mix64(low ^ service[j]), INSTANCES_PER_SERVICE);
            Span span = span(rng, traceId, spanIds[j], j == 0 ? ByteString.EMPTY : spanIds[parent[j]],
                category[j], service[j], start[j], end[j]);
            spans.add(new GeneratedSpan(resources[service[j]][instance], category[j].scope, span));
        }
        return spans;
    }

    /** Groups spans into one OTLP export request by resource, then scope, keeping their order. */
    public static ExportTraceServiceRequest toRequest(List<GeneratedSpan> spans) {
        Map<Resource, Map<InstrumentationScope, ScopeSpans.Builder>> grouped = new LinkedHashMap<>();
        for (GeneratedSpan s : spans) {
            grouped.computeIfAbsent(s.resource(), r -> new LinkedHashMap<>())
                .computeIfAbsent(s.scope(), sc -> ScopeSpans.newBuilder().setScope(sc).setSchemaUrl(SCHEMA_URL))
                .addSpans(s.span());
        }
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        grouped.forEach((resource, scopes) -> {
            ResourceSpans.Builder rs = ResourceSpans.newBuilder().setResource(resource).setSchemaUrl(SCHEMA_URL);
            scopes.values().forEach(rs::addScopeSpans);
            request.addResourceSpans(rs);
        });
        return request.build();
    }

    /** The export request holding traces {@code [first, first + count)} in full. */
    public ExportTraceServiceRequest request(long first, int count) {
        List<GeneratedSpan> spans = new ArrayList<>(count * config.spansPerTrace());
        for (long i = first; i < first + count; i++) spans.addAll(trace(i));
        return toRequest(spans);
    }

    private long traceIdLow(long i) {
        return SplitMix.mix64(i ^ seedKey);
    }

    private static ByteString spanId(long traceLow, int j) {
        long id = SplitMix.mix64(traceLow + (j + 1) * 0x9E3779B97F4A7C15L);
        if (id == 0) id = 0x1L; // all-zero span IDs are invalid; this branch is astronomically unlikely
        byte[] bytes = new byte[8];
        putLong(bytes, 0, id);
        return ByteString.copyFrom(bytes);
    }

    private int otherService(int current, SplitMix rng) {
        int n = config.services();
        return n == 1 ? current : (current + 1 + rng.nextInt(n - 1)) % n;
    }

    private static Category localChild(SplitMix rng) {
        int r = rng.nextInt(100);
        if (r < 35) return Category.HTTP_CLIENT;
        if (r < 55) return Category.DB;
        if (r < 65) return Category.CACHE;
        if (r < 95) return Category.INTERNAL;
        return Category.PRODUCER;
    }

    private Span span(SplitMix rng, ByteString traceId, ByteString spanId, ByteString parentId,
                      Category category, int service, long start, long end) {
        boolean error = rng.chance(0.05);
        Span.Builder span = Span.newBuilder()
            .setTraceId(traceId)
            .setSpanId(spanId)
            .setParentSpanId(parentId)
            .setKind(category.kind)
            .setStartTimeUnixNano(start)
            .setEndTimeUnixNano(end);
        String name = categoryAttributes(rng, span, category, error);
        span.setName(name);
        span.addAttributes(intAttr("thread.id", 20 + rng.nextInt(200)));
        span.addAttributes(boolAttr("app.cache_hit", rng.chance(0.7)));
        span.addAttributes(doubleAttr("app.work_ratio", rng.nextDouble()));
        if (rng.chance(0.08)) {
            span.addAttributes(KeyValue.newBuilder().setKey("app.feature_flags").setValue(stringArray(
                rng.pick(FEATURE_FLAGS), rng.pick(FEATURE_FLAGS))));
        } else if (rng.chance(0.04)) {
            span.addAttributes(KeyValue.newBuilder().setKey("app.retry.delays_ms").setValue(intArray(
                10 + rng.nextInt(50), 100 + rng.nextInt(400), 1000 + rng.nextInt(1000))));
        }

        if (error) {
            String message = rng.pick(ERROR_MESSAGES);
            span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage(message));
            span.addEvents(Span.Event.newBuilder()
                .setName("exception")
                .setTimeUnixNano(start + rng.nextLong(end - start))
                .addAttributes(stringAttr("exception.type", rng.pick(EXCEPTION_TYPES)))
                .addAttributes(stringAttr("exception.message", message))
                .addAttributes(boolAttr("exception.escaped", rng.chance(0.5))));
        } else if (category.kind == Span.SpanKind.SPAN_KIND_SERVER && rng.chance(0.1)) {
            span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK));
        }
        if (!error && rng.chance(0.1)) {
            span.addEvents(Span.Event.newBuilder()
                .setName(rng.chance(0.5) ? "cache.miss" : "retry")
                .setTimeUnixNano(start + rng.nextLong(end - start))
                .addAttributes(stringAttr("app.key", "item:" + rng.nextInt(100_000)))
                .addAttributes(intAttr("app.attempt", 1 + rng.nextInt(3))));
        }
        if (rng.chance(0.05)) {
            byte[] linkedTrace = new byte[16];
            putLong(linkedTrace, 0, rng.nextLong());
            putLong(linkedTrace, 8, rng.nextLong() | 1);
            byte[] linkedSpan = new byte[8];
            putLong(linkedSpan, 0, rng.nextLong() | 1);
            span.addLinks(Span.Link.newBuilder()
                .setTraceId(ByteString.copyFrom(linkedTrace))
                .setSpanId(ByteString.copyFrom(linkedSpan))
                .setTraceState("vv=" + rng.nextInt(10))
                .addAttributes(stringAttr("link.reason", rng.chance(0.5) ? "batch" : "follows_from")));
        }
        return span.build();
    }

    /** Adds the attributes specific to the category (about five) and returns the span name. */
    private String categoryAttributes(SplitMix rng, Span.Builder span, Category category, boolean error) {
        switch (category) {
            case HTTP_SERVER -> {
                String[] route = rng.pick(HTTP_ROUTES);
                String path = route[1].replace("{id}", Integer.toString(rng.nextInt(100_000)));
                span.addAttributes(stringAttr("http.request.method", route[0]))
                    .addAttributes(stringAttr("http.route", route[1]))
                    .addAttributes(stringAttr("url.path", path))
                    .addAttributes(intAttr("http.response.status_code", error ? 500 : 200))
                    .addAttributes(stringAttr("network.protocol.version", rng.chance(0.5) ? "1.1" : "2"));
                return route[0] + " " + route[1];
            }
            case GRPC_SERVER -> {
                String[] method = rng.pick(GRPC_METHODS);
                span.addAttributes(stringAttr("rpc.system", "grpc"))
                    .addAttributes(stringAttr("rpc.service", method[0]))
                    .addAttributes(stringAttr("rpc.method", method[1]))
                    .addAttributes(intAttr("rpc.grpc.status_code", error ? 14 : 0))
                    .addAttributes(intAttr("server.port", 9090));
                return method[0] + "/" + method[1];
            }
            case HTTP_CLIENT -> {
                String[] route = rng.pick(HTTP_ROUTES);
                String host = serviceName(rng.nextInt(config.services()));
                span.addAttributes(stringAttr("http.request.method", route[0]))
                    .addAttributes(stringAttr("server.address", host))
                    .addAttributes(intAttr("server.port", 8080))
                    .addAttributes(stringAttr("url.full", "http://" + host + ":8080"
                        + route[1].replace("{id}", Integer.toString(rng.nextInt(100_000)))))
                    .addAttributes(intAttr("http.response.status_code", error ? 503 : 200));
                return route[0];
            }
            case DB -> {
                String[] query = rng.pick(DB_QUERIES);
                span.addAttributes(stringAttr("db.system.name", "postgresql"))
                    .addAttributes(stringAttr("db.namespace", "shop"))
                    .addAttributes(stringAttr("db.operation.name", query[0]))
                    .addAttributes(stringAttr("db.collection.name", query[1]))
                    .addAttributes(stringAttr("db.query.text", query[2]));
                return query[0] + " shop." + query[1];
            }
            case CACHE -> {
                String command = rng.pick(CACHE_COMMANDS);
                span.addAttributes(stringAttr("db.system.name", "redis"))
                    .addAttributes(stringAttr("db.operation.name", command))
                    .addAttributes(stringAttr("db.query.text", command + " cart:" + rng.nextInt(100_000)))
                    .addAttributes(stringAttr("server.address", "redis"))
                    .addAttributes(intAttr("server.port", 6379));
                return command;
            }
            case INTERNAL -> {
                String op = rng.pick(INTERNAL_OPS);
                span.addAttributes(stringAttr("code.function.name", "io.shop." + op.replace("-", "_")))
                    .addAttributes(stringAttr("code.file.path", "src/main/java/io/shop/" + op + ".java"))
                    .addAttributes(intAttr("code.line.number", 10 + rng.nextInt(500)))
                    .addAttributes(intAttr("app.batch.size", rng.nextInt(64)))
                    .addAttributes(stringAttr("app.step", rng.chance(0.5) ? "prepare" : "commit"));
                return op;
            }
            case PRODUCER -> {
                span.addAttributes(stringAttr("messaging.system", "kafka"))
                    .addAttributes(stringAttr("messaging.destination.name", "orders"))
                    .addAttributes(stringAttr("messaging.operation.type", "send"))
                    .addAttributes(stringAttr("messaging.kafka.message.key", "order-" + rng.nextInt(1_000_000)))
                    .addAttributes(stringAttr("messaging.destination.partition.id", Integer.toString(rng.nextInt(12))));
                return "orders publish";
            }
            case CONSUMER -> {
                span.addAttributes(stringAttr("messaging.system", "kafka"))
                    .addAttributes(stringAttr("messaging.destination.name", "orders"))
                    .addAttributes(stringAttr("messaging.operation.type", "process"))
                    .addAttributes(stringAttr("messaging.consumer.group.name", "order-workers"))
                    .addAttributes(intAttr("messaging.kafka.offset", rng.nextLong(10_000_000L)));
                return "orders process";
            }
        }
        throw new AssertionError(category);
    }

    private Resource resource(int service, int instance) {
        String name = serviceName(service);
        String pod = name + "-7d9f" + Integer.toHexString(service * INSTANCES_PER_SERVICE + instance) + "-x" + instance;
        return Resource.newBuilder()
            .addAttributes(stringAttr("service.name", name))
            .addAttributes(stringAttr("service.namespace", "shop"))
            .addAttributes(stringAttr("service.version", "1." + service + ".0"))
            .addAttributes(stringAttr("service.instance.id", pod))
            .addAttributes(stringAttr("deployment.environment.name", "bench"))
            .addAttributes(stringAttr("k8s.namespace.name", "shop"))
            .addAttributes(stringAttr("k8s.pod.name", pod))
            .addAttributes(stringAttr("host.name", "node-" + ((service * INSTANCES_PER_SERVICE + instance) % 5)))
            .addAttributes(stringAttr("telemetry.sdk.language", "java"))
            .addAttributes(stringAttr("telemetry.sdk.name", "opentelemetry"))
            .addAttributes(stringAttr("telemetry.sdk.version", "1.68.0"))
            .build();
    }

    static String serviceName(int service) {
        return service < SERVICE_NAMES.length ? SERVICE_NAMES[service] : "service-" + service;
    }

    private static InstrumentationScope scope(String name, String version) {
        return InstrumentationScope.newBuilder().setName(name).setVersion(version).build();
    }

    private static KeyValue stringAttr(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static KeyValue intAttr(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    private static KeyValue doubleAttr(String key, double value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setDoubleValue(value)).build();
    }

    private static KeyValue boolAttr(String key, boolean value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setBoolValue(value)).build();
    }

    private static AnyValue stringArray(String... values) {
        ArrayValue.Builder array = ArrayValue.newBuilder();
        for (String v : values) array.addValues(AnyValue.newBuilder().setStringValue(v));
        return AnyValue.newBuilder().setArrayValue(array).build();
    }

    private static AnyValue intArray(long... values) {
        ArrayValue.Builder array = ArrayValue.newBuilder();
        for (long v : values) array.addValues(AnyValue.newBuilder().setIntValue(v));
        return AnyValue.newBuilder().setArrayValue(array).build();
    }

    private static void putLong(byte[] target, int offset, long value) {
        for (int b = 7; b >= 0; b--) {
            target[offset + b] = (byte) value;
            value >>>= 8;
        }
    }
}
