package io.vivace.common.block;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.Comparator;
import java.util.List;

/**
 * What a block is allowed to change, undone: attribute order (well-known columns come back last), the presence
 * of empty resource/scope/status messages.
 */
final class TraceNormalizer {

    private static final Comparator<KeyValue> BY_KEY_THEN_VALUE = Comparator.comparing(KeyValue::getKey)
            .thenComparing(kv -> kv.getValue().toByteString(), ByteString.unsignedLexicographicalComparator());

    private TraceNormalizer() {
    }

    static TracesData normalize(TracesData trace) {
        TracesData.Builder builder = trace.toBuilder();
        for (ResourceSpans.Builder rs : builder.getResourceSpansBuilderList()) {
            rs.setResource(rs.getResource().toBuilder().clearAttributes().addAllAttributes(sorted(rs.getResource().getAttributesList())));
            for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
                ss.setScope(ss.getScope().toBuilder().clearAttributes().addAllAttributes(sorted(ss.getScope().getAttributesList())));
                for (Span.Builder span : ss.getSpansBuilderList()) {
                    List<KeyValue> attrs = sorted(span.getAttributesList());
                    span.clearAttributes().addAllAttributes(attrs);
                    if (span.getStatus().equals(Status.getDefaultInstance())) {
                        span.clearStatus();
                    }
                    for (Span.Event.Builder event : span.getEventsBuilderList()) {
                        List<KeyValue> eventAttrs = sorted(event.getAttributesList());
                        event.clearAttributes().addAllAttributes(eventAttrs);
                    }
                    for (Span.Link.Builder link : span.getLinksBuilderList()) {
                        List<KeyValue> linkAttrs = sorted(link.getAttributesList());
                        link.clearAttributes().addAllAttributes(linkAttrs);
                    }
                }
            }
        }
        return builder.build();
    }

    private static List<KeyValue> sorted(List<KeyValue> attrs) {
        return attrs.stream().sorted(BY_KEY_THEN_VALUE).toList();
    }
}
