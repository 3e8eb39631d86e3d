package io.vivace.distributor.receiver;

import com.github.luben.zstd.ZstdInputStream;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.vivace.common.tenant.TenantException;
import io.vivace.common.tenant.TenantId;
import io.vivace.common.tenant.TenantResolver;
import io.vivace.distributor.Distributor;
import io.vivace.distributor.otlp.InvalidOtlpException;
import io.vivace.distributor.otlp.OtlpJsonDecoder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * OTLP/HTTP {@code POST /v1/traces} with protobuf or JSON bodies, optionally gzip, deflate or zstd compressed.
 * Answers as the OpenTelemetry Collector does: the request's content type, errors as a {@code google.rpc.Status}.
 */
public final class OtlpHttpReceiver implements HttpService {

    public static final String PATH = "/v1/traces";
    private static final MediaType PROTOBUF = MediaType.parse("application/x-protobuf");
    private static final byte[] JSON_OK = "{\"partialSuccess\":{}}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final Distributor distributor;
    private final TenantResolver tenants;
    private final long maxBodyBytes;

    public OtlpHttpReceiver(Distributor distributor, TenantResolver tenants, long maxBodyBytes) {
        this.distributor = distributor;
        this.tenants = tenants;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        if (req.method() != HttpMethod.POST) {
            return HttpResponse.of(HttpStatus.METHOD_NOT_ALLOWED, MediaType.PLAIN_TEXT_UTF_8, "405 method not allowed, supported: [POST]");
        }
        MediaType contentType = req.contentType();
        boolean json;
        if (contentType != null && contentType.is(MediaType.JSON)) {
            json = true;
        } else if (contentType != null && (contentType.is(PROTOBUF) || contentType.is(MediaType.PROTOBUF))) {
            json = false;
        } else {
            return HttpResponse.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, MediaType.PLAIN_TEXT_UTF_8,
                    "415 unsupported media type, supported: [application/json, application/x-protobuf]");
        }
        return HttpResponse.of(req.aggregate().thenCompose(agg -> handle(agg, json)));
    }

    private java.util.concurrent.CompletableFuture<HttpResponse> handle(AggregatedHttpRequest req, boolean json) {
        String tenant;
        byte[] body;
        try {
            tenant = tenants.resolveWrite(req.headers().getAll(TenantId.HEADER));
            body = decompress(req);
            if (json) {
                body = OtlpJsonDecoder.decode(body);
            }
        } catch (TenantException | InvalidOtlpException e) {
            distributor.refusedUnread("unknown", e instanceof TenantException ? "invalid_tenant" : "invalid_request");
            return java.util.concurrent.CompletableFuture.completedFuture(error(PushFailure.of(e), json));
        } catch (BodyTooLargeException e) {
            distributor.refusedUnread("unknown", "too_large");
            return java.util.concurrent.CompletableFuture.completedFuture(
                    HttpResponse.of(HttpStatus.REQUEST_ENTITY_TOO_LARGE, MediaType.PLAIN_TEXT_UTF_8, e.getMessage()));
        }
        return distributor.push(tenant, body).handle((ok, error) -> {
            if (error != null) {
                return error(PushFailure.of(error), json);
            }
            return json ? HttpResponse.of(HttpStatus.OK, MediaType.JSON, HttpData.wrap(JSON_OK))
                    : HttpResponse.of(HttpStatus.OK, PROTOBUF, HttpData.empty());
        });
    }

    private byte[] decompress(AggregatedHttpRequest req) throws InvalidOtlpException, BodyTooLargeException {
        String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING, "").trim().toLowerCase(Locale.ROOT);
        byte[] raw = req.content().array();
        try {
            return switch (encoding) {
                case "", "identity" -> raw;
                case "gzip", "x-gzip" -> readLimited(new GZIPInputStream(new ByteArrayInputStream(raw)));
                case "deflate", "zlib" -> readLimited(new InflaterInputStream(new ByteArrayInputStream(raw)));
                case "zstd" -> readLimited(new ZstdInputStream(new ByteArrayInputStream(raw)));
                default -> throw new InvalidOtlpException("unsupported Content-Encoding '" + encoding + "', supported: gzip, deflate, zstd");
            };
        } catch (IOException e) {
            throw new InvalidOtlpException("body cannot be decompressed as " + encoding + ": " + e.getMessage());
        }
    }

    private byte[] readLimited(InputStream in) throws IOException, BodyTooLargeException {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[64 * 1024];
            for (int n; (n = in.read(chunk)) > 0; ) {
                out.write(chunk, 0, n);
                if (out.size() > maxBodyBytes) {
                    throw new BodyTooLargeException("decompressed body exceeds max_request_body_size (" + maxBodyBytes + " bytes)");
                }
            }
            return out.toByteArray();
        }
    }

    private static HttpResponse error(PushFailure failure, boolean json) {
        HttpStatus status = HttpStatus.valueOf(failure.httpStatus());
        com.linecorp.armeria.common.ResponseHeadersBuilder headers = ResponseHeaders.builder(status);
        if (failure.retryAfter()) {
            headers.set(HttpHeaderNames.RETRY_AFTER, Integer.toString(PushFailure.RETRY_AFTER_SECONDS));
        }
        com.google.rpc.Status body = com.google.rpc.Status.newBuilder()
                .setCode(failure.grpcCode().value()).setMessage(failure.message()).build();
        if (json) {
            String text = "{\"code\":" + body.getCode() + ",\"message\":" + jsonString(failure.message()) + "}";
            return HttpResponse.of(headers.contentType(MediaType.JSON).build(), HttpData.ofUtf8(text));
        }
        return HttpResponse.of(headers.contentType(PROTOBUF).build(), HttpData.wrap(body.toByteArray()));
    }

    private static String jsonString(String s) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class BodyTooLargeException extends Exception {
        BodyTooLargeException(String message) {
            super(message, null, false, false);
        }
    }
}
