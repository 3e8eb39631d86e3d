package io.vivace.bench.jmh;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.vivace.bench.load.SyntheticTraces;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Client-side cost of the load tool: building one OTLP export request of 1000 spans from the synthetic generator
 * and encoding it to protobuf bytes. It bounds the spans/s one load-tool thread can offer a server.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1) // the forked JVM inherits the host JVM's options (bench/jmh.sh sets the JDK 24+ flags)
public class SyntheticExportBenchmark {
    private static final int SPANS_PER_REQUEST = 1000;
    private static final long BASE_TIME_MS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z, fixed for repeatability
    private static final long TRACE_INDEX_WRAP = 1_000_000;

    @Param({"20"})
    public int spansPerTrace;

    private SyntheticTraces generator;
    private int tracesPerRequest;
    private long nextTrace;
    private ExportTraceServiceRequest prebuilt;

    @Setup
    public void setUp() {
        if (SPANS_PER_REQUEST % spansPerTrace != 0) {
            throw new IllegalArgumentException("spansPerTrace must divide " + SPANS_PER_REQUEST);
        }
        generator = new SyntheticTraces(new SyntheticTraces.Config(42, spansPerTrace, 8, BASE_TIME_MS));
        tracesPerRequest = SPANS_PER_REQUEST / spansPerTrace;
        prebuilt = generator.request(0, tracesPerRequest);
    }

    /** Generate 1000 spans (new trace indexes each call), group them into a request and serialise it. */
    @Benchmark
    public byte[] generateAndEncode() {
        return generator.request(advance(), tracesPerRequest).toByteArray();
    }

    /** Generation and grouping alone. */
    @Benchmark
    public ExportTraceServiceRequest generateOnly() {
        return generator.request(advance(), tracesPerRequest);
    }

    /** Serialisation alone, of one fixed 1000-span request. */
    @Benchmark
    public byte[] encodeOnly() {
        return prebuilt.toByteArray();
    }

    private long advance() {
        long first = nextTrace;
        nextTrace = (nextTrace + tracesPerRequest) % TRACE_INDEX_WRAP;
        return first;
    }
}
