package io.vivace.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every receiver and endpoint answers bad input with a 4xx and a message, never a 5xx, and keeps serving. */
class BadInputTest {

    @TempDir
    static Path dir;
    static VivaceServer server;
    static WebClient otlpHttp;
    static WebClient otlpGrpc;
    static WebClient query;

    @BeforeAll
    static void start() throws Exception {
        server = VivaceServer.start(TestServers.config(dir, false));
        otlpHttp = WebClient.of("http://127.0.0.1:" + server.otlpHttpPort());
        otlpGrpc = WebClient.of("h2c://127.0.0.1:" + server.otlpGrpcPort());
        query = WebClient.of("http://127.0.0.1:" + server.queryPort());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void stillServing() {
        byte[] valid = request("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331").toByteArray();
        assertEquals(200, postProtobuf(valid).status().code());
        assertEquals(200, query.get("/ready").aggregate().join().status().code());
    }

    static ExportTraceServiceRequest request(String traceIdHex, String spanIdHex) {
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
                .addSpans(Span.newBuilder().setTraceId(ByteString.fromHex(traceIdHex)).setSpanId(ByteString.fromHex(spanIdHex))
                        .setName("op").setStartTimeUnixNano(1).setEndTimeUnixNano(2)))).build();
    }

    static AggregatedHttpResponse post(MediaType type, HttpData body) {
        return otlpHttp.execute(RequestHeaders.builder(HttpMethod.POST, "/v1/traces").contentType(type).build(), body).aggregate().join();
    }

    static AggregatedHttpResponse postProtobuf(byte[] body) {
        return post(MediaType.parse("application/x-protobuf"), HttpData.wrap(body));
    }

    static AggregatedHttpResponse postJson(String body) {
        return post(MediaType.JSON, HttpData.ofUtf8(body));
    }

    static AggregatedHttpResponse grpcExport(byte[] message) {
        ByteBuffer frame = ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message);
        RequestHeaders headers = RequestHeaders.builder(HttpMethod.POST, "/opentelemetry.proto.collector.trace.v1.TraceService/Export")
                .contentType(MediaType.parse("application/grpc+proto")).set("te", "trailers").build();
        return otlpGrpc.execute(headers, HttpData.wrap(frame.array())).aggregate().join();
    }

    static String grpcStatus(AggregatedHttpResponse r) {
        String status = r.trailers().get("grpc-status");
        return status != null ? status : r.headers().get("grpc-status");
    }

    static String grpcMessage(AggregatedHttpResponse r) {
        String m = r.trailers().get("grpc-message");
        return m != null ? m : r.headers().get("grpc-message");
    }

    static void assertStatusMessage(AggregatedHttpResponse r, int status, String message) throws Exception {
        assertEquals(status, r.status().code(), r.contentUtf8());
        com.google.rpc.Status body = com.google.rpc.Status.parseFrom(r.content().array());
        assertTrue(body.getMessage().contains(message), body.getMessage());
    }

    @Test
    void httpTruncatedProtobuf() throws Exception {
        byte[] valid = request("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331").toByteArray();
        assertStatusMessage(postProtobuf(Arrays.copyOf(valid, valid.length - 3)), 400, "malformed protobuf");
    }

    @Test
    void httpBadIdsInProtobuf() throws Exception {
        assertStatusMessage(postProtobuf(request("0af7651916cd43dd", "b7ad6b7169203331").toByteArray()), 400,
                "trace ids must be 128 bit, received 64 bits");
        assertStatusMessage(postProtobuf(request("0af7651916cd43dd8448eb211c80319c", "0000000000000000").toByteArray()), 400,
                "span ids must be 64 bit and not all zero");
    }

    @Test
    void httpBadHexIdInJson() {
        AggregatedHttpResponse r = postJson("""
                {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"zz","spanId":"b7ad6b7169203331","name":"x"}]}]}]}""");
        assertEquals(400, r.status().code());
        assertTrue(r.contentUtf8().contains("traceId is not a hex string"), r.contentUtf8());
        assertTrue(r.contentType().is(MediaType.JSON), String.valueOf(r.contentType()));
    }

    @Test
    void httpMalformedJsonAndEmptyRequest() {
        AggregatedHttpResponse malformed = postJson("{\"resourceSpans\": [");
        assertEquals(400, malformed.status().code());
        assertTrue(malformed.contentUtf8().contains("malformed JSON"), malformed.contentUtf8());
        AggregatedHttpResponse empty = postJson("{}");
        assertEquals(400, empty.status().code());
        assertTrue(empty.contentUtf8().contains("request contains no spans"), empty.contentUtf8());
    }

    @Test
    void httpWrongContentTypeAndMethod() {
        AggregatedHttpResponse wrongType = post(MediaType.PLAIN_TEXT_UTF_8, HttpData.ofUtf8("hello"));
        assertEquals(415, wrongType.status().code());
        assertTrue(wrongType.contentUtf8().contains("unsupported media type"));
        AggregatedHttpResponse get = otlpHttp.get("/v1/traces").aggregate().join();
        assertEquals(405, get.status().code());
    }

    @Test
    void httpBadCompression() throws Exception {
        RequestHeaders headers = RequestHeaders.builder(HttpMethod.POST, "/v1/traces").contentType(MediaType.parse("application/x-protobuf"))
                .set(HttpHeaderNames.CONTENT_ENCODING, "gzip").build();
        AggregatedHttpResponse corrupt = otlpHttp.execute(headers, HttpData.ofUtf8("not gzip")).aggregate().join();
        assertStatusMessage(corrupt, 400, "cannot be decompressed");
        RequestHeaders br = headers.toBuilder().set(HttpHeaderNames.CONTENT_ENCODING, "br").build();
        assertStatusMessage(otlpHttp.execute(br, HttpData.ofUtf8("x")).aggregate().join(), 400, "unsupported Content-Encoding");
    }

    @Test
    void httpHugeBodies() throws Exception {
        byte[] huge = new byte[5 << 20];
        AggregatedHttpResponse raw = postProtobuf(huge);
        assertEquals(413, raw.status().code());
        // A small gzip body that inflates past the limit is refused too.
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write(huge);
        }
        RequestHeaders headers = RequestHeaders.builder(HttpMethod.POST, "/v1/traces").contentType(MediaType.parse("application/x-protobuf"))
                .set(HttpHeaderNames.CONTENT_ENCODING, "gzip").build();
        AggregatedHttpResponse bomb = otlpHttp.execute(headers, HttpData.wrap(zipped.toByteArray())).aggregate().join();
        assertEquals(413, bomb.status().code());
        assertTrue(bomb.contentUtf8().contains("max_request_body_size"), bomb.contentUtf8());
    }

    @Test
    void grpcMalformedAndInvalid() {
        byte[] valid = request("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331").toByteArray();
        AggregatedHttpResponse ok = grpcExport(valid);
        assertEquals("0", grpcStatus(ok));

        AggregatedHttpResponse truncated = grpcExport(Arrays.copyOf(valid, valid.length - 3));
        assertEquals("3", grpcStatus(truncated), "INVALID_ARGUMENT");
        assertTrue(grpcMessage(truncated).contains("malformed protobuf"), grpcMessage(truncated));

        AggregatedHttpResponse badId = grpcExport(request("0af7", "b7ad6b7169203331").toByteArray());
        assertEquals("3", grpcStatus(badId));
        assertTrue(grpcMessage(badId).contains("trace ids must be 128 bit"), grpcMessage(badId));

        AggregatedHttpResponse empty = grpcExport(new byte[0]);
        assertEquals("3", grpcStatus(empty));
    }

    static AggregatedHttpResponse grpcFrame(String encoding, byte[] body) {
        RequestHeaders headers = RequestHeaders.builder(HttpMethod.POST, "/opentelemetry.proto.collector.trace.v1.TraceService/Export")
                .contentType(MediaType.parse("application/grpc")).set("te", "trailers").set("grpc-encoding", encoding).build();
        return otlpGrpc.execute(headers, HttpData.wrap(body)).aggregate().join();
    }

    static byte[] compressedFrame(byte[] gzipped) {
        return ByteBuffer.allocate(5 + gzipped.length).put((byte) 1).putInt(gzipped.length).put(gzipped).array();
    }

    @Test
    void grpcCompressionAndFraming() throws Exception {
        byte[] valid = request("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331").toByteArray();
        assertEquals("0", grpcStatus(grpcFrame("gzip", compressedFrame(gzip(valid)))));

        AggregatedHttpResponse zstd = grpcFrame("zstd", compressedFrame(valid));
        assertEquals("12", grpcStatus(zstd), "UNIMPLEMENTED");
        assertTrue(grpcMessage(zstd).contains("grpc-encoding 'zstd' is not supported"), grpcMessage(zstd));

        AggregatedHttpResponse notGzip = grpcFrame("gzip", compressedFrame(valid));
        assertEquals("3", grpcStatus(notGzip), "INVALID_ARGUMENT");
        assertTrue(grpcMessage(notGzip).contains("not valid gzip"), grpcMessage(notGzip));

        AggregatedHttpResponse bomb = grpcFrame("gzip", compressedFrame(gzip(new byte[5 << 20])));
        assertEquals("8", grpcStatus(bomb), "RESOURCE_EXHAUSTED");

        RequestHeaders grpcWeb = RequestHeaders.builder(HttpMethod.POST, "/opentelemetry.proto.collector.trace.v1.TraceService/Export")
                .contentType(MediaType.parse("application/grpc-web")).build();
        AggregatedHttpResponse web = otlpGrpc.execute(grpcWeb, HttpData.wrap(compressedFrame(valid))).aggregate().join();
        assertEquals(415, web.status().code());
        assertTrue(web.contentUtf8().contains("application/grpc or application/grpc+proto"), web.contentUtf8());

        AggregatedHttpResponse noPrefix = grpcFrame("identity", new byte[] {0, 0});
        assertEquals("3", grpcStatus(noPrefix));
        assertTrue(grpcMessage(noPrefix).contains("no complete 5-byte message prefix"), grpcMessage(noPrefix));
    }

    private static byte[] gzip(byte[] bytes) throws java.io.IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void grpcHugeMessage() {
        AggregatedHttpResponse r = grpcExport(new byte[5 << 20]);
        assertEquals("8", grpcStatus(r), "RESOURCE_EXHAUSTED");
    }

    @Test
    void queryBadTraceIdsAndParameters() {
        assertQuery400("/api/traces/xyz", "trace IDs can only contain hex characters: invalid character 'x' at position 1");
        assertQuery400("/api/v2/traces/" + "a".repeat(33), "trace IDs can't be larger than 128 bits");
        assertQuery400("/api/traces/abc?start=soon", "invalid start");
        assertQuery400("/api/traces/abc?start=20&end=10", "http parameter start must be before end. received start=20 end=10");
        assertQuery400("/api/v2/traces/abc?mode=everything", "invalid value for mode everything");
    }

    @Test
    void unknownTraceIsV1NotFoundAndV2EmptyTrace() {
        AggregatedHttpResponse v1 = query.get("/api/traces/1234").aggregate().join();
        assertEquals(404, v1.status().code());
        assertEquals("", v1.contentUtf8());
        AggregatedHttpResponse v2 = query.get("/api/v2/traces/1234").aggregate().join();
        assertEquals(200, v2.status().code());
        assertEquals("{\"trace\":{},\"metrics\":{}}", v2.contentUtf8());
    }

    private static void assertQuery400(String path, String message) {
        AggregatedHttpResponse r = query.get(path).aggregate().join();
        assertEquals(400, r.status().code(), path);
        assertTrue(r.contentUtf8().contains(message), r.contentUtf8());
    }
}
