package io.vivace.distributor.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;

/**
 * Cuts attribute keys and string values longer than {@code max_attribute_bytes} down to that many bytes (at a
 * UTF-8 character boundary), as Tempo's distributor does, everywhere attributes occur: resource, scope, span, event
 * and link attributes, inside arrays and key-value lists too. Only called when the splitter found a value that is
 * too long, so the common case pays nothing.
 */
public final class AttributeTruncator {

    /** The rewritten request; {@code values} attributes were cut, {@code spans} spans carry at least one of them. */
    public record Result(byte[] request, int values, int spans) {
    }

    private final int maxBytes;
    private int values;

    private AttributeTruncator(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    public static Result truncate(byte[] request, int maxBytes) throws InvalidOtlpException {
        ExportTraceServiceRequest parsed;
        try {
            parsed = ExportTraceServiceRequest.parseFrom(request);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidOtlpException("malformed protobuf: " + e.getMessage());
        }
        AttributeTruncator t = new AttributeTruncator(maxBytes);
        ExportTraceServiceRequest.Builder out = parsed.toBuilder();
        int spans = 0;
        for (ResourceSpans.Builder rs : out.getResourceSpansBuilderList()) {
            int before = t.values;
            if (rs.hasResource()) {
                Resource.Builder res = rs.getResourceBuilder();
                t.cut(res.getAttributesBuilderList());
            }
            boolean resourceCut = t.values > before;
            for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
                int beforeScope = t.values;
                if (ss.hasScope()) {
                    t.cut(ss.getScopeBuilder().getAttributesBuilderList());
                }
                boolean scopeCut = t.values > beforeScope;
                for (Span.Builder span : ss.getSpansBuilderList()) {
                    int beforeSpan = t.values;
                    t.cut(span.getAttributesBuilderList());
                    span.getEventsBuilderList().forEach(e -> t.cut(e.getAttributesBuilderList()));
                    span.getLinksBuilderList().forEach(l -> t.cut(l.getAttributesBuilderList()));
                    if (resourceCut || scopeCut || t.values > beforeSpan) {
                        spans++;
                    }
                }
            }
        }
        return new Result(out.build().toByteArray(), t.values, spans);
    }

    private void cut(List<KeyValue.Builder> attributes) {
        for (KeyValue.Builder kv : attributes) {
            ByteString key = kv.getKeyBytes();
            if (key.size() > maxBytes) {
                kv.setKeyBytes(prefix(key));
                values++;
            }
            if (kv.hasValue()) {
                cut(kv.getValueBuilder());
            }
        }
    }

    private void cut(AnyValue.Builder v) {
        switch (v.getValueCase()) {
            case STRING_VALUE -> {
                ByteString s = v.getStringValueBytes();
                if (s.size() > maxBytes) {
                    v.setStringValueBytes(prefix(s));
                    values++;
                }
            }
            case ARRAY_VALUE -> v.getArrayValueBuilder().getValuesBuilderList().forEach(this::cut);
            case KVLIST_VALUE -> cut(v.getKvlistValueBuilder().getValuesBuilderList());
            default -> {
            }
        }
    }

    /** The first {@code maxBytes} bytes, shortened so no UTF-8 character is split. */
    private ByteString prefix(ByteString utf8) {
        int end = maxBytes;
        while (end > 0 && (utf8.byteAt(end) & 0xC0) == 0x80) {
            end--;
        }
        return utf8.substring(0, end);
    }
}
