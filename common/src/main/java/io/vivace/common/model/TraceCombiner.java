package io.vivace.common.model;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Joins parts of one trace (from several requests, the WAL, several blocks) into one trace: identical resources
 * and scopes are merged, and a span seen more than once (same span ID and kind, as Tempo keys them) is kept once.
 * Order of first appearance is preserved.
 */
public final class TraceCombiner {

    /** Hashed from the UTF-8 bytes of its strings: a {@code String} field would decode them only to be hashed. */
    private record ResourceKey(Resource resource, ByteString schemaUrl) {
        @Override
        public int hashCode() {
            return 31 * (31 * attributesHash(resource.getAttributesList()) + resource.getDroppedAttributesCount())
                    + schemaUrl.hashCode();
        }
    }

    /** Hashed from the UTF-8 bytes of its strings, as {@link ResourceKey}. */
    private record ScopeKey(InstrumentationScope scope, ByteString schemaUrl) {
        @Override
        public int hashCode() {
            int h = 31 * scope.getNameBytes().hashCode() + scope.getVersionBytes().hashCode();
            h = 31 * h + attributesHash(scope.getAttributesList());
            return 31 * (31 * h + scope.getDroppedAttributesCount()) + schemaUrl.hashCode();
        }
    }

    private record SpanKey(ByteString spanId, int kind) {
    }

    private final Map<ResourceKey, Map<ScopeKey, ScopeSpans.Builder>> resources = new LinkedHashMap<>();
    private final Set<SpanKey> seen = new HashSet<>();
    private int spanCount;

    public static TracesData combine(List<TracesData> parts) {
        if (parts.size() == 1 && !hasDuplicates(parts.getFirst())) {
            return parts.getFirst();
        }
        TraceCombiner combiner = new TraceCombiner();
        parts.forEach(combiner::add);
        return combiner.result();
    }

    public void add(TracesData part) {
        for (ResourceSpans rs : part.getResourceSpansList()) {
            Map<ScopeKey, ScopeSpans.Builder> scopes = resources.computeIfAbsent(
                    new ResourceKey(rs.getResource(), rs.getSchemaUrlBytes()), k -> new LinkedHashMap<>());
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                ScopeSpans.Builder target = null;
                for (Span span : ss.getSpansList()) {
                    if (!seen.add(new SpanKey(span.getSpanId(), span.getKindValue()))) {
                        continue;
                    }
                    if (target == null) {
                        target = scopes.computeIfAbsent(new ScopeKey(ss.getScope(), ss.getSchemaUrlBytes()),
                                k -> ScopeSpans.newBuilder().setScope(k.scope()).setSchemaUrlBytes(k.schemaUrl()));
                    }
                    target.addSpans(span);
                    spanCount++;
                }
            }
        }
    }

    public int spanCount() {
        return spanCount;
    }

    public TracesData result() {
        TracesData.Builder out = TracesData.newBuilder();
        resources.forEach((key, scopes) -> {
            if (scopes.isEmpty()) {
                return;
            }
            ResourceSpans.Builder rs = out.addResourceSpansBuilder().setResource(key.resource()).setSchemaUrlBytes(key.schemaUrl());
            scopes.values().forEach(rs::addScopeSpans);
        });
        return out.build();
    }

    /**
     * True when the single part still needs combining (repeated resources, scopes or spans). Most traces have none,
     * so hashes are compared first, in sorted arrays; only when two are equal do the keys themselves decide.
     */
    private static boolean hasDuplicates(TracesData trace) {
        List<ResourceSpans> resources = trace.getResourceSpansList();
        int[] resourceHashes = new int[resources.size()];
        int spans = 0;
        for (int r = 0; r < resources.size(); r++) {
            ResourceSpans rs = resources.get(r);
            resourceHashes[r] = new ResourceKey(rs.getResource(), rs.getSchemaUrlBytes()).hashCode();
            List<ScopeSpans> scopes = rs.getScopeSpansList();
            int[] scopeHashes = new int[scopes.size()];
            for (int s = 0; s < scopes.size(); s++) {
                ScopeSpans ss = scopes.get(s);
                scopeHashes[s] = new ScopeKey(ss.getScope(), ss.getSchemaUrlBytes()).hashCode();
                spans += ss.getSpansCount();
            }
            if (hasEqualPair(scopeHashes)) {
                return hasEqualKeys(trace);
            }
        }
        if (hasEqualPair(resourceHashes)) {
            return hasEqualKeys(trace);
        }
        int[] spanHashes = new int[spans];
        int i = 0;
        for (ResourceSpans rs : resources) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    spanHashes[i++] = 31 * span.getSpanId().hashCode() + span.getKindValue();
                }
            }
        }
        return hasEqualPair(spanHashes) && hasEqualKeys(trace);
    }

    private static boolean hasEqualPair(int[] hashes) {
        if (hashes.length < 2) {
            return false;
        }
        Arrays.sort(hashes);
        for (int i = 1; i < hashes.length; i++) {
            if (hashes[i] == hashes[i - 1]) {
                return true;
            }
        }
        return false;
    }

    /** The exact test behind {@link #hasDuplicates}: two equal resource keys, scope keys in one resource, or span keys. */
    private static boolean hasEqualKeys(TracesData trace) {
        Set<ResourceKey> resourceKeys = new HashSet<>();
        Set<SpanKey> spanKeys = new HashSet<>();
        for (ResourceSpans rs : trace.getResourceSpansList()) {
            if (!resourceKeys.add(new ResourceKey(rs.getResource(), rs.getSchemaUrlBytes()))) {
                return true;
            }
            Set<ScopeKey> scopeKeys = new HashSet<>();
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                if (!scopeKeys.add(new ScopeKey(ss.getScope(), ss.getSchemaUrlBytes()))) {
                    return true;
                }
                for (Span span : ss.getSpansList()) {
                    if (!spanKeys.add(new SpanKey(span.getSpanId(), span.getKindValue()))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Consistent with {@code equals} of the attributes: equal strings have equal UTF-8 bytes. */
    private static int attributesHash(List<KeyValue> attributes) {
        int h = attributes.size();
        for (int i = 0; i < attributes.size(); i++) {
            KeyValue kv = attributes.get(i);
            AnyValue value = kv.getValue();
            h = 31 * h + kv.getKeyBytes().hashCode();
            h = 31 * h + switch (value.getValueCase()) {
                case STRING_VALUE -> value.getStringValueBytes().hashCode();
                case INT_VALUE -> Long.hashCode(value.getIntValue());
                case BOOL_VALUE -> Boolean.hashCode(value.getBoolValue());
                case DOUBLE_VALUE -> Double.hashCode(value.getDoubleValue());
                default -> value.getValueCase().getNumber();
            };
        }
        return h;
    }
}
