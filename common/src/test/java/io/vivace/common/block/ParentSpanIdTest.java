package io.vivace.common.block;

import static io.vivace.common.block.TraceNormalizer.normalize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.model.TraceId;
import io.vivace.common.storage.LocalBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vivace2 leaves a span's ParentSpanID empty when its nested-set parent carries exactly that ID, and the reader
 * derives it back; every other parent ID is stored as sent. The cases where deriving could go wrong come back exact.
 */
class ParentSpanIdTest {

    @TempDir
    Path dir;

    @Test
    void parentSpanIdsComeBackExactlyWhateverTheirShape() throws IOException {
        ByteString root = id(1);
        ByteString parent = id(2);
        ByteString shared = id(3);
        TracesData trace = TracesData.newBuilder()
                // The children come in a resource before their parents'.
                .addResourceSpans(resource("early",
                        span(id(10), parent, Span.SpanKind.SPAN_KIND_INTERNAL),
                        // A 16-byte parent ID whose first 8 bytes are a span's: linked in the nested sets, stored as sent.
                        span(id(11), parent.concat(id(99)), Span.SpanKind.SPAN_KIND_INTERNAL),
                        // The parent is not in the trace.
                        span(id(12), id(77), Span.SpanKind.SPAN_KIND_INTERNAL),
                        // Zipkin's shared span: the server half's parent is the client half, with the same ID.
                        span(shared, shared, Span.SpanKind.SPAN_KIND_SERVER)))
                .addResourceSpans(resource("late",
                        span(root, ByteString.EMPTY, Span.SpanKind.SPAN_KIND_SERVER),
                        span(parent, root, Span.SpanKind.SPAN_KIND_INTERNAL),
                        span(shared, parent, Span.SpanKind.SPAN_KIND_CLIENT),
                        span(id(13), shared, Span.SpanKind.SPAN_KIND_INTERNAL)))
                .build();
        TraceRecord record = new TraceRecord(new TraceId(5, 6), trace);
        LocalBackend backend = new LocalBackend(dir.resolve("store"));
        BlockMeta meta = new BlockWriter(BlockConfig.DEFAULT, dir.resolve("scratch"))
                .write(backend, "tenant", UUID.randomUUID(), 0, List.of(record).iterator());

        assertEquals("vivace4", meta.format());
        BackendBlock block = BackendBlock.open(backend, meta);
        assertEquals(normalize(trace), normalize(block.findTraceById(record.id()).orElseThrow()));
        try (Stream<TraceRecord> read = block.traces()) {
            assertEquals(List.of(normalize(trace)), read.map(t -> normalize(t.trace())).toList());
        }
    }

    private static ResourceSpans resource(String service, Span... spans) {
        return ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue(service))))
                .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans)))
                .build();
    }

    private static Span span(ByteString id, ByteString parent, Span.SpanKind kind) {
        return Span.newBuilder()
                .setTraceId(ByteString.copyFrom(new TraceId(5, 6).toBytes()))
                .setSpanId(id)
                .setParentSpanId(parent)
                .setName("op")
                .setKind(kind)
                .setStartTimeUnixNano(1_700_000_000_000_000_000L)
                .setEndTimeUnixNano(1_700_000_000_000_001_000L)
                .build();
    }

    private static ByteString id(long n) {
        byte[] bytes = new byte[8];
        for (int i = 0; i < 8; i++) {
            bytes[7 - i] = (byte) (n >>> (8 * i));
        }
        return ByteString.copyFrom(bytes);
    }
}
