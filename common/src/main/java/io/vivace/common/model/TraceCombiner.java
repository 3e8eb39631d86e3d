package io.vivace.common.model;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
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

    private record ResourceKey(Resource resource, String schemaUrl) {
    }

    private record ScopeKey(InstrumentationScope scope, String schemaUrl) {
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
                    new ResourceKey(rs.getResource(), rs.getSchemaUrl()), k -> new LinkedHashMap<>());
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                ScopeSpans.Builder target = null;
                for (Span span : ss.getSpansList()) {
                    if (!seen.add(new SpanKey(span.getSpanId(), span.getKindValue()))) {
                        continue;
                    }
                    if (target == null) {
                        target = scopes.computeIfAbsent(new ScopeKey(ss.getScope(), ss.getSchemaUrl()),
                                k -> ScopeSpans.newBuilder().setScope(k.scope()).setSchemaUrl(k.schemaUrl()));
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
            ResourceSpans.Builder rs = out.addResourceSpansBuilder().setResource(key.resource()).setSchemaUrl(key.schemaUrl());
            scopes.values().forEach(rs::addScopeSpans);
        });
        return out.build();
    }

    /** True when the single part still needs combining (repeated resources or spans). */
    private static boolean hasDuplicates(TracesData trace) {
        Set<ResourceKey> resourceKeys = new HashSet<>();
        Set<SpanKey> spanKeys = new HashSet<>();
        for (ResourceSpans rs : trace.getResourceSpansList()) {
            if (!resourceKeys.add(new ResourceKey(rs.getResource(), rs.getSchemaUrl()))) {
                return true;
            }
            Set<ScopeKey> scopeKeys = new HashSet<>();
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                if (!scopeKeys.add(new ScopeKey(ss.getScope(), ss.getSchemaUrl()))) {
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
}
