package io.vivace.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Traces made with the real OpenTelemetry SDK and sent by its OTLP gRPC exporter, each export acknowledged before the
 * next; remembers what went on the wire so tests can compare what they read back.
 */
final class SdkTraffic implements AutoCloseable {

    private final OtlpSdkRoundTripTest.Capturing exporter;
    private final SdkTracerProvider provider;
    private final Tracer tracer;
    private final Instant base;

    /** @param base when the traces happen (spans start a few milliseconds apart from it) */
    SdkTraffic(int otlpGrpcPort, String service, Instant base) {
        this.base = base;
        exporter = new OtlpSdkRoundTripTest.Capturing(
                OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + otlpGrpcPort).build());
        provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.builder().put("service.name", service).build())))
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
        tracer = provider.get("io.vivace.test.s3", "1.0");
    }

    /** A trace of a server span and {@code children} client spans below it; returns the root's context. */
    SpanContext trace(int number, int children) {
        Instant t0 = base.plusMillis(number * 100L);
        Span root = tracer.spanBuilder("GET /orders/" + number).setSpanKind(SpanKind.SERVER).setStartTimestamp(t0)
                .setAttribute("http.request.method", "GET").setAttribute("order.number", number).startSpan();
        for (int c = 0; c < children; c++) {
            childOf(root.getSpanContext(), "SELECT orders " + c, c + 1);
        }
        root.end(t0.plusMillis(50));
        return root.getSpanContext();
    }

    /** One more span in an existing trace, possibly sent long after its parent (a trace split across blocks). */
    void childOf(SpanContext parent, String name, int offsetMillis) {
        Instant start = base.plusMillis(offsetMillis);
        tracer.spanBuilder(name).setSpanKind(SpanKind.CLIENT).setParent(Context.root().with(Span.wrap(parent)))
                .setStartTimestamp(start).setAttribute("db.system", "postgresql").startSpan().end(start.plusMillis(3));
    }

    /** Sends the spans of this trace that were sent before once more, as a retrying client would. */
    void resend(String traceId) {
        List<SpanData> again = exporter.exported.stream().filter(s -> s.getTraceId().equals(traceId)).toList();
        assertTrue(!again.isEmpty());
        assertTrue(exporter.delegate.export(again).join(30, TimeUnit.SECONDS).isSuccess(), "export acknowledged");
    }

    /** Every span acknowledged so far, as OTLP, by trace ID (hex). */
    Map<String, List<ResourceSpans>> acknowledged() throws Exception {
        return OtlpSdkRoundTripTest.expectedByTrace(exporter.exported);
    }

    @Override
    public void close() {
        assertTrue(provider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess());
        provider.close();
    }
}
