package io.vivace.frontend;

import io.vivace.common.proto.tempopb.MetadataMetrics;
import io.vivace.common.proto.tempopb.SearchTagsResponse;
import io.vivace.common.proto.tempopb.SearchTagsV2Response;
import io.vivace.common.proto.tempopb.SearchTagsV2Scope;
import io.vivace.common.query.OtlpTraceData;
import io.vivace.common.query.OtlpTraceData.OtlpEvent;
import io.vivace.common.query.OtlpTraceData.OtlpLink;
import io.vivace.common.query.OtlpTraceData.OtlpSpan;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Collects attribute names per scope, and answers the v1 and v2 tag-name endpoints (api.md §2.7, §2.8). */
final class TagNames implements TagCollector.TagSink {

    static final List<String> SCOPES = List.of("resource", "span", "event", "link", "instrumentation");

    /** Tempo's fixed intrinsic list ({@code pkg/search/util.go}), sorted. */
    static final List<String> INTRINSICS = List.of("duration", "event:name", "event:timeSinceStart",
            "instrumentation:name", "instrumentation:version", "kind", "link:spanID", "link:traceID", "name", "rootName",
            "rootServiceName", "span:duration", "span:id", "span:kind", "span:name", "span:parentID", "span:status",
            "span:statusMessage", "status", "statusMessage", "trace:duration", "trace:id", "trace:rootName",
            "trace:rootService", "traceDuration");

    private final Map<String, Set<String>> byScope = new LinkedHashMap<>();
    private final TagBytes bytes;

    /** {@code maxBytes}: the most name bytes gathered (Tempo's {@code max_bytes_per_tag_values_query}); 0 = no cap. */
    TagNames(long maxBytes) {
        SCOPES.forEach(s -> byScope.put(s, new TreeSet<>()));
        this.bytes = new TagBytes(maxBytes);
    }

    @Override
    public boolean full() {
        return bytes.full();
    }

    /** Checks the {@code scope} parameter: empty, {@code none}, {@code intrinsic} or one of {@link #SCOPES}. */
    static String scope(String scope) throws BadRequestException {
        String s = scope == null ? "" : scope;
        if (!s.isEmpty() && !s.equals("none") && !s.equals("intrinsic") && !SCOPES.contains(s)) {
            throw new BadRequestException("invalid scope: " + s);
        }
        return s;
    }

    @Override
    public void add(OtlpTraceData trace, OtlpSpan span) {
        addAll("resource", span.resourceAttributes().keySet());
        addAll("span", span.spanAttributes().keySet());
        addAll("instrumentation", span.instrumentationAttributes().keySet());
        for (OtlpEvent e : span.events()) {
            addAll("event", e.attributes().keySet());
        }
        for (OtlpLink l : span.links()) {
            addAll("link", l.attributes().keySet());
        }
    }

    private void addAll(String scope, Collection<String> names) {
        Set<String> known = byScope.get(scope);
        for (String name : names) {
            if (!known.contains(name) && bytes.fits(name)) {
                known.add(name);
                bytes.add(name);
            }
        }
    }

    /** v1: one sorted list; intrinsics only with {@code scope=intrinsic}, else the union of the attribute scopes. */
    SearchTagsResponse v1(String scope, int limit, MetadataMetrics metrics) {
        Set<String> names = new TreeSet<>();
        if (scope.equals("intrinsic")) {
            names.addAll(INTRINSICS);
        } else if (scope.isEmpty() || scope.equals("none")) {
            byScope.values().forEach(names::addAll);
        } else {
            names.addAll(byScope.get(scope));
        }
        return SearchTagsResponse.newBuilder().addAllTagNames(truncate(names, limit)).setMetrics(metrics).build();
    }

    /** v2: names per scope, {@code limit} per scope; the intrinsic scope is added unless one attribute scope is asked. */
    SearchTagsV2Response v2(String scope, int limit, MetadataMetrics metrics) {
        SearchTagsV2Response.Builder out = SearchTagsV2Response.newBuilder().setMetrics(metrics);
        boolean all = scope.isEmpty() || scope.equals("none");
        for (String s : SCOPES) {
            if ((all || scope.equals(s)) && !byScope.get(s).isEmpty()) {
                out.addScopes(SearchTagsV2Scope.newBuilder().setName(s).addAllTags(truncate(byScope.get(s), limit)));
            }
        }
        if (all || scope.equals("intrinsic")) {
            out.addScopes(SearchTagsV2Scope.newBuilder().setName("intrinsic").addAllTags(truncate(INTRINSICS, limit)));
        }
        return out.build();
    }

    static List<String> truncate(Collection<String> names, int limit) {
        List<String> list = new ArrayList<>(names);
        return limit > 0 && list.size() > limit ? list.subList(0, limit) : list;
    }
}
