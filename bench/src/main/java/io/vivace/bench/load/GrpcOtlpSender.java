package io.vivace.bench.load;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * OTLP over gRPC ({@code TraceService/Export}): the serialized request in one uncompressed gRPC frame, POSTed over
 * HTTP/2 as any gRPC client does, and the outcome read from {@code grpc-status} / {@code grpc-message} (in the
 * trailers, or in the headers of a trailers-only response). Sending bytes the run encoded beforehand keeps the
 * client's CPU per span low: it shares the machine with the server it measures.
 */
final class GrpcOtlpSender implements OtlpSender {
    static final String EXPORT_PATH = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    private static final MediaType GRPC_PROTO = MediaType.parse("application/grpc+proto");
    private static final int MAX_DETAIL = 200;

    private final WebClient client;
    private final String tenant;

    GrpcOtlpSender(ClientFactory factory, URI base, String tenant, Duration timeout) {
        this.client = WebClient.builder("h2c://" + base.getAuthority())
            .factory(factory)
            .responseTimeout(timeout)
            .writeTimeout(timeout) // Armeria's 1 s default is short for multi-megabyte requests under load
            .build();
        this.tenant = tenant;
    }

    @Override
    public CompletableFuture<Outcome> send(byte[] exportRequest) {
        RequestHeadersBuilder headers = RequestHeaders.builder(HttpMethod.POST, EXPORT_PATH)
            .contentType(GRPC_PROTO)
            .set("te", "trailers");
        if (tenant != null) headers.set("x-scope-orgid", tenant);
        try {
            return client.execute(headers.build(), HttpData.wrap(frame(exportRequest)))
                .aggregate()
                .handle((response, error) -> error != null ? OtlpSender.failure(error) : outcome(response));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(OtlpSender.failure(e));
        }
    }

    /** The gRPC length-prefixed message: compressed flag 0, 4-byte big-endian length, the message. */
    static byte[] frame(byte[] message) {
        byte[] framed = new byte[5 + message.length];
        int n = message.length;
        framed[1] = (byte) (n >>> 24);
        framed[2] = (byte) (n >>> 16);
        framed[3] = (byte) (n >>> 8);
        framed[4] = (byte) n;
        System.arraycopy(message, 0, framed, 5, n);
        return framed;
    }

    static Outcome outcome(AggregatedHttpResponse response) {
        int code = response.status().code();
        if (code != 200) {
            String body = response.contentUtf8();
            return new Outcome("http:" + code, body.length() > MAX_DETAIL ? body.substring(0, MAX_DETAIL) : body);
        }
        HttpHeaders status = response.trailers().contains("grpc-status") ? response.trailers() : response.headers();
        String value = status.get("grpc-status");
        if (value == null) return new Outcome("grpc:UNKNOWN", "the response has no grpc-status");
        Status.Code grpcCode;
        try {
            grpcCode = Status.fromCodeValue(Integer.parseInt(value.trim())).getCode();
        } catch (NumberFormatException e) {
            return new Outcome("grpc:UNKNOWN", "grpc-status is not a number: " + value);
        }
        if (grpcCode == Status.Code.OK) return Outcome.OK;
        String message = status.get("grpc-message");
        return new Outcome("grpc:" + grpcCode.name(), message == null ? null : percentDecoded(message));
    }

    /** {@code grpc-message} is UTF-8 with bytes outside printable ASCII (and '%') written as {@code %XX}. */
    static String percentDecoded(String message) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(message.length());
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c == '%' && i + 2 < message.length() && HexFormat.isHexDigit(message.charAt(i + 1))
                && HexFormat.isHexDigit(message.charAt(i + 2))) {
                bytes.write(HexFormat.fromHexDigits(message, i + 1, i + 3));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
