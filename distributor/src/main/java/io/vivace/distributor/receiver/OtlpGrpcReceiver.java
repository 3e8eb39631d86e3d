package io.vivace.distributor.receiver;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.grpc.GrpcService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.vivace.common.tenant.TenantException;
import io.vivace.common.tenant.TenantId;
import io.vivace.common.tenant.TenantResolver;
import io.vivace.distributor.Distributor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * OTLP {@code TraceService/Export} over gRPC. The request is taken as raw bytes (no protobuf objects are
 * built) and handed to the distributor, which validates and regroups it.
 */
public final class OtlpGrpcReceiver {

    private static final ExportTraceServiceResponse OK = ExportTraceServiceResponse.getDefaultInstance();

    private OtlpGrpcReceiver() {
    }

    public static GrpcService service(Distributor distributor, TenantResolver tenants, int maxMessageBytes) {
        MethodDescriptor<byte[], ExportTraceServiceResponse> export = TraceServiceGrpc.getExportMethod().toBuilder(
                RawBytesMarshaller.INSTANCE, ProtoUtils.marshaller(OK)).build();
        ServerServiceDefinition definition = ServerServiceDefinition.builder(TraceServiceGrpc.SERVICE_NAME)
                .addMethod(export, ServerCalls.asyncUnaryCall((request, response) -> export(distributor, tenants, request, response)))
                .build();
        return GrpcService.builder()
                .addService(definition)
                .maxRequestMessageLength(maxMessageBytes)
                .build();
    }

    private static void export(Distributor distributor, TenantResolver tenants, byte[] request,
                               StreamObserver<ExportTraceServiceResponse> response) {
        String tenant;
        try {
            tenant = tenants.resolveWrite(ServiceRequestContext.current().request().headers().getAll(TenantId.HEADER));
        } catch (TenantException e) {
            distributor.refusedUnread("unknown", "invalid_tenant");
            response.onError(toStatus(PushFailure.of(e)));
            return;
        }
        distributor.push(tenant, request).whenComplete((ok, error) -> {
            if (error == null) {
                response.onNext(OK);
                response.onCompleted();
            } else {
                response.onError(toStatus(PushFailure.of(error)));
            }
        });
    }

    private static StatusRuntimeException toStatus(PushFailure failure) {
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
                .setCode(failure.grpcCode().value())
                .setMessage(failure.message());
        if (failure.retryAfter()) {
            status.addDetails(Any.pack(RetryInfo.newBuilder()
                    .setRetryDelay(Duration.newBuilder().setSeconds(PushFailure.RETRY_AFTER_SECONDS)).build()));
        }
        return StatusProto.toStatusRuntimeException(status.build());
    }

    /** Passes the message through undecoded. */
    private enum RawBytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new java.io.ByteArrayInputStream(value);
        }

        /**
         * Armeria hands over the deframed message as a stream whose {@code available()} is exact; reading into an
         * array of that size avoids {@code readAllBytes}' chunk buffers and their final concatenation.
         */
        @Override
        public byte[] parse(InputStream stream) {
            try {
                byte[] bytes = new byte[stream.available()];
                int read = stream.readNBytes(bytes, 0, bytes.length);
                int next = stream.read();
                if (read == bytes.length && next == -1) {
                    return bytes;
                }
                byte[] rest = stream.readAllBytes();
                byte[] all = Arrays.copyOf(bytes, read + (next == -1 ? 0 : 1) + rest.length);
                if (next != -1) {
                    all[read] = (byte) next;
                }
                System.arraycopy(rest, 0, all, all.length - rest.length, rest.length);
                return all;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
