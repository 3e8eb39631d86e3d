package io.vivace.bench.load;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** OTLP/HTTP with a binary protobuf body ({@code POST /v1/traces}, {@code application/x-protobuf}). */
final class HttpOtlpSender implements OtlpSender {
    static final MediaType X_PROTOBUF = MediaType.create("application", "x-protobuf");
    private static final int MAX_DETAIL = 200;

    private final WebClient client;
    private final String path;
    private final String tenant;

    HttpOtlpSender(ClientFactory factory, URI base, String path, String tenant, Duration timeout) {
        this.client = WebClient.builder(base).factory(factory)
            .responseTimeout(timeout).writeTimeout(timeout).build();
        this.path = path;
        this.tenant = tenant;
    }

    @Override
    public CompletableFuture<Outcome> send(byte[] exportRequest) {
        RequestHeadersBuilder headers = RequestHeaders.builder(HttpMethod.POST, path).contentType(X_PROTOBUF);
        if (tenant != null) headers.set("x-scope-orgid", tenant);
        try {
            return client.execute(headers.build(), HttpData.wrap(exportRequest))
                .aggregate()
                .handle((response, error) -> {
                    if (error != null) return OtlpSender.failure(error);
                    int code = response.status().code();
                    if (code >= 200 && code < 300) return Outcome.OK;
                    String body = response.contentUtf8();
                    return new Outcome("http:" + code, body.length() > MAX_DETAIL ? body.substring(0, MAX_DETAIL) : body);
                });
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(OtlpSender.failure(e));
        }
    }
}
