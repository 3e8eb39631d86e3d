package io.vivace.bench.load;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** OTLP over gRPC ({@code TraceService/Export}) with Armeria's gRPC client. */
final class GrpcOtlpSender implements OtlpSender {
    private final TraceServiceGrpc.TraceServiceStub stub;

    GrpcOtlpSender(ClientFactory factory, URI base, String tenant, Duration timeout) {
        var builder = GrpcClients.builder("gproto+" + base)
            .factory(factory)
            .responseTimeout(timeout)
            .writeTimeout(timeout) // Armeria's 1 s default is short for multi-megabyte requests under load
            .maxResponseLength(0);
        if (tenant != null) builder.addHeader("x-scope-orgid", tenant);
        this.stub = builder.build(TraceServiceGrpc.TraceServiceStub.class);
    }

    @Override
    public CompletableFuture<Outcome> send(ExportTraceServiceRequest request) {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        try {
            stub.export(request, new StreamObserver<>() {
                @Override
                public void onNext(ExportTraceServiceResponse response) {}

                @Override
                public void onError(Throwable t) {
                    Status status = Status.fromThrowable(t);
                    if (status.getCode() == Status.Code.UNKNOWN && status.getDescription() == null) {
                        result.complete(OtlpSender.failure(t));
                        return;
                    }
                    String detail = status.getDescription() != null ? status.getDescription()
                        : status.getCause() != null ? OtlpSender.failure(status.getCause()).detail() : null;
                    result.complete(new Outcome("grpc:" + status.getCode().name(), detail));
                }

                @Override
                public void onCompleted() {
                    result.complete(Outcome.OK);
                }
            });
        } catch (RuntimeException e) {
            result.complete(OtlpSender.failure(e));
        }
        return result;
    }
}
