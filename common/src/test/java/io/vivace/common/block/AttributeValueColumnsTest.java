package io.vivace.common.block;

import static io.vivace.common.block.TraceNormalizer.normalize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.model.TraceId;
import io.vivace.common.query.ColumnarBlockScanner;
import io.vivace.common.query.OtlpTraceData;
import io.vivace.common.query.TimeWindow;
import io.vivace.common.storage.LocalBackend;
import io.vivace.common.traceql.SearchEngine;
import io.vivace.common.traceql.TraceQL;
import io.vivace.common.traceql.TraceQLQuery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every attribute value type through the generic attribute columns of the block being written (vivace4: one optional
 * column per scalar type, everything else as OTLP JSON): a trace per type, read back by ID and by a full scan
 * exactly, and searched by the columnar search with equality, range, regex, a condition of another type and a missing
 * attribute. Trace {@code i} has span attribute {@code v} of the type in row {@code i} of {@link #VALUES}, and one
 * resource attribute {@code r} of the same value.
 */
class AttributeValueColumnsTest {

    @TempDir
    static Path dir;

    private static final List<AnyValue> VALUES = List.of(
            str("GET /api"),                                                    // 0 string
            AnyValue.newBuilder().setIntValue(404).build(),                     // 1 int
            AnyValue.newBuilder().setDoubleValue(2.5).build(),                  // 2 double
            AnyValue.newBuilder().setBoolValue(true).build(),                   // 3 bool
            array(str("a"), str("b")),                                          // 4 string array
            array(AnyValue.newBuilder().setIntValue(7).build(), AnyValue.newBuilder().setIntValue(500).build()), // 5 int array
            array(AnyValue.newBuilder().setDoubleValue(0.25).build()),          // 6 double array
            array(AnyValue.newBuilder().setBoolValue(false).build()),           // 7 bool array
            array(),                                                            // 8 empty array
            array(str("x"), AnyValue.newBuilder().setIntValue(1).build()),      // 9 mixed array
            AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()      // 10 kvlist
                    .addValues(KeyValue.newBuilder().setKey("k").setValue(str("GET /api")))).build(),
            AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {0, 1, (byte) 0xFF})).build(), // 11 bytes
            AnyValue.getDefaultInstance(),                                      // 12 no value
            AnyValue.newBuilder().setIntValue(200).build(),                     // 13 int
            str("POST /api/orders"));                                           // 14 string

    private static List<TraceRecord> traces;
    private static BackendBlock block;

    @BeforeAll
    static void writeBlock() throws Exception {
        traces = new ArrayList<>();
        for (int i = 0; i < VALUES.size(); i++) {
            traces.add(trace(i, VALUES.get(i)));
        }
        traces.sort((a, b) -> a.id().compareTo(b.id()));
        LocalBackend backend = new LocalBackend(dir.resolve("store"));
        BlockMeta meta = new BlockWriter(BlockConfig.DEFAULT.withPageRowCountLimit(4).withPageMinEntryCount(20), dir.resolve("scratch"))
                .write(backend, "t", UUID.randomUUID(), 0, traces.iterator());
        assertEquals(TraceSchema.FORMAT, meta.format());
        block = BackendBlock.open(backend, meta);
    }

    @Test
    void everyValueTypeReadsBackExactly() throws Exception {
        for (TraceRecord trace : traces) {
            assertEquals(normalize(trace.trace()), normalize(block.findTraceById(trace.id()).orElseThrow()), "trace " + trace.id());
        }
        try (Stream<TraceRecord> read = block.traces()) {
            assertEquals(traces.stream().map(t -> normalize(t.trace())).toList(), read.map(t -> normalize(t.trace())).toList());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{ span.v = \"GET /api\" }                 | 0",
        "{ span.v =~ \".*api.*\" }                 | 0, 14",
        "{ span.v != \"GET /api\" }                | 4, 14",
        "{ span.v = 404 }                          | 1",
        "{ span.v >= 300 }                         | 1, 5",
        "{ span.v < 300 }                          | 2, 5, 6, 13",
        "{ span.v > 2.0 && span.v < 3.0 }          | 2",
        "{ span.v = true }                         | 3",
        "{ span.v = false }                        | 7",
        "{ resource.r = 404 }                      | 1",
        "{ resource.r = \"POST /api/orders\" }     | 14",
        "{ .v = 2.5 }                              | 2",
        "{ span.v = \"b\" }                        | 4",
        "{ span.v = 500 }                          | 5",
        "{ span.v = \"404\" }                      | ''",
        "{ span.v = 1 }                            | ''",
        "{ span.v = \"k\" }                        | ''",
        "{ span.missing = \"GET /api\" }           | ''",
        "{ span.missing > 0 }                      | ''",
        "{ span.v != nil }                         | 0, 1, 2, 3, 4, 5, 6, 7, 13, 14",
    })
    void columnarSearchTestsEveryValueType(String query, String expectedIndexes) throws Exception {
        Set<String> expected = new TreeSet<>();
        for (String index : expectedIndexes.split(",")) {
            if (!index.isBlank()) {
                expected.add(OtlpTraceData.of(trace(Integer.parseInt(index.trim()), VALUES.get(Integer.parseInt(index.trim()))).trace()).traceId());
            }
        }
        TraceQLQuery q = TraceQL.parse(query);
        SearchEngine engine = new SearchEngine(q);
        Set<String> byEngine = new TreeSet<>();
        traces.stream().map(t -> OtlpTraceData.of(t.trace())).filter(t -> engine.evaluate(t).isPresent())
                .forEach(t -> byEngine.add(t.traceId()));
        MatchingTraces found = new MatchingTraces(engine, q);
        ColumnarBlockScanner.scan(List.of(block), TimeWindow.ALL, new HashSet<>(), found);
        assertEquals(expected, byEngine, "the engine on the OTLP traces: " + query);
        assertEquals(expected, found.ids, "the columnar search: " + query);
    }

    private static TraceRecord trace(int index, AnyValue value) {
        byte[] id = new byte[16];
        id[0] = (byte) (17 * index + 3);
        id[15] = (byte) index;
        TraceId traceId = TraceId.fromBytes(id);
        long start = 1_700_000_000_000_000_000L + index * 1_000_000L;
        Span span = Span.newBuilder()
                .setTraceId(ByteString.copyFrom(id))
                .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) index}))
                .setName("op")
                .setStartTimeUnixNano(start)
                .setEndTimeUnixNano(start + 5_000)
                .addAttributes(KeyValue.newBuilder().setKey("v").setValue(value))
                .addAttributes(KeyValue.newBuilder().setKey("other").setValue(str("GET /api")))
                .build();
        Resource resource = Resource.newBuilder()
                .addAttributes(KeyValue.newBuilder().setKey("service.name").setValue(str("svc")))
                .addAttributes(KeyValue.newBuilder().setKey("r").setValue(value))
                .build();
        return new TraceRecord(traceId, TracesData.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(resource).addScopeSpans(ScopeSpans.newBuilder().addSpans(span))).build());
    }

    private static AnyValue str(String s) {
        return AnyValue.newBuilder().setStringValue(s).build();
    }

    private static AnyValue array(AnyValue... elements) {
        return AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addAllValues(List.of(elements))).build();
    }
}
