package io.vivace.common.storage;

import io.vivace.common.config.VivaceConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Records the S3 operations a client runs and the HTTP headers it sends; can make chosen calls fail. */
final class RecordingInterceptor implements ExecutionInterceptor {

    record Call(String operation, Map<String, List<String>> headers) {
    }

    final List<String> operations = new CopyOnWriteArrayList<>();
    final List<Call> transmitted = new CopyOnWriteArrayList<>();
    private volatile Predicate<String> failWhen = operation -> false;

    /** A client for {@code config}, as {@link S3ClientFactory} builds it, with this interceptor added. */
    S3Client client(VivaceConfig.S3 config) {
        S3ClientBuilder builder = S3ClientFactory.builder(config);
        builder.overrideConfiguration(builder.overrideConfiguration().toBuilder().addExecutionInterceptor(this).build());
        return builder.build();
    }

    /** Fails, before sending, each call for which {@code predicate} (given the operation name) is true. */
    void failWhen(Predicate<String> predicate) {
        failWhen = predicate;
    }

    long count(String operation) {
        return operations.stream().filter(operation::equals).count();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        operations.add(operation);
        if (failWhen.test(operation)) {
            throw new IllegalStateException("injected failure of " + operation);
        }
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        transmitted.add(new Call(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), context.httpRequest().headers()));
    }
}
