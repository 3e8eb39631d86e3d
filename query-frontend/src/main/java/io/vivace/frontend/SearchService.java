package io.vivace.frontend;

import io.vivace.common.proto.tempopb.SearchResponse;
import io.vivace.common.proto.tempopb.SearchTagValuesResponse;
import io.vivace.common.proto.tempopb.SearchTagValuesV2Response;
import io.vivace.common.proto.tempopb.SearchTagsResponse;
import io.vivace.common.proto.tempopb.SearchTagsV2Response;
import io.vivace.common.limits.Overrides;
import io.vivace.common.query.TraceScanSource;
import io.vivace.common.traceql.Attribute;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Search and tag queries over recent data and backend blocks, shared by the HTTP API and the gRPC
 * {@code StreamingQuerier}: parameter validation, running the scans, and building Tempo's responses.
 */
public final class SearchService {


    private final SearchRunner runner;
    private final QueryParameters parameters;
    private final SearchQueryParser searchParser;
    private final Overrides overrides;
    private final Duration maxRange;

    /**
     * {@code maxRange} is the longest start..end range accepted (0 = no limit) unless a tenant's
     * {@code read.max_search_duration} in {@code overrides} says otherwise; {@code overrides} also holds each
     * tenant's {@code read.max_result_limit}. Both are looked up on every request, so a reloaded overrides file
     * applies to the next one.
     */
    public SearchService(TraceScanSource recent, TraceScanSource blocks, Executor executor, Duration maxRange, Overrides overrides) {
        this.runner = new SearchRunner(recent, blocks, executor);
        this.parameters = new QueryParameters(() -> System.currentTimeMillis() / 1000);
        this.searchParser = new SearchQueryParser(parameters);
        this.overrides = overrides;
        this.maxRange = maxRange;
    }

    /** Validates a search of {@code tenants} (parameters as {@link SearchQueryParser#parse}), within their read limits. */
    SearchQuery parseSearch(List<String> tenants, Function<String, String> param, Iterable<String> names) throws BadRequestException {
        return searchParser.parse(param, names, limits(tenants));
    }

    /** The bytes of names or values a tag query may gather: the smallest {@code read.max_bytes_per_tag_values_query}. */
    private long tagBytes(List<String> tenants) {
        return tenants.stream().mapToLong(t -> overrides.forTenant(t).maxBytesPerTagValuesQuery())
                .filter(max -> max > 0).min().orElse(0);
    }

    private ReadLimits limits(List<String> tenants) {
        return ReadLimits.forTenants(tenants, overrides, maxRange);
    }

    /** A running search; {@code onDiff} receives partial results (new or changed traces) as jobs complete. */
    Running<SearchResponse> search(List<String> tenants, SearchQuery query, Consumer<SearchResponse> onDiff) {
        SearchCollector[] holder = new SearchCollector[1];
        SearchCollector collector = new SearchCollector(query, () -> {
            SearchResponse diff = holder[0].diff();
            if (diff.getTracesCount() > 0) {
                onDiff.accept(diff);
            }
        });
        holder[0] = collector;
        return new Running<>(runner.search(tenants, query, collector), collector::cancel);
    }

    /** A tag query of {@code tenants} from HTTP parameters; its range must be within their read limits. */
    TagQuery parseTagQuery(List<String> tenants, String q, String limit, String start, String end) throws BadRequestException {
        return new TagQuery(TagQuery.filter(q), TagQuery.limit(limit), parameters.range(start, end, limits(tenants)));
    }

    /** A tag query of {@code tenants} from gRPC fields; its range must be within their read limits. */
    TagQuery tagQuery(List<String> tenants, String q, int limit, long start, long end) throws BadRequestException {
        return new TagQuery(TagQuery.filter(q), limit, parameters.range(start, end, limits(tenants)));
    }

    Running<SearchTagsResponse> tagsV1(List<String> tenants, String scope, TagQuery query) {
        TagNames names = new TagNames(tagBytes(tenants));
        TagCollector collector = new TagCollector(query, names);
        return new Running<>(runner.run(tenants, query.range(), collector)
                .thenApply(v -> names.v1(scope, query.limit(), collector.metrics())), collector::cancel);
    }

    Running<SearchTagsV2Response> tagsV2(List<String> tenants, String scope, TagQuery query) {
        TagNames names = new TagNames(tagBytes(tenants));
        TagCollector collector = new TagCollector(query, names);
        if (scope.equals("intrinsic")) {
            return new Running<>(CompletableFuture.completedFuture(names.v2(scope, query.limit(), collector.metrics())), () -> { });
        }
        return new Running<>(runner.run(tenants, query.range(), collector)
                .thenApply(v -> names.v2(scope, query.limit(), collector.metrics())), collector::cancel);
    }

    Running<SearchTagValuesResponse> tagValuesV1(List<String> tenants, String tagName, TagQuery query) {
        TagValues values = new TagValues(TagValues.v1Attribute(tagName), tagBytes(tenants));
        TagCollector collector = new TagCollector(new TagQuery(null, query.limit(), query.range()), values);
        return new Running<>(runner.run(tenants, query.range(), collector)
                .thenApply(v -> values.v1(tagName, query.limit(), collector.metrics())), collector::cancel);
    }

    Running<SearchTagValuesV2Response> tagValuesV2(List<String> tenants, Attribute attribute, TagQuery query) {
        TagValues values = new TagValues(attribute, tagBytes(tenants));
        TagCollector collector = new TagCollector(query, values);
        SearchTagValuesV2Response shortcut = TagValues.v2Shortcut(attribute, collector.metrics());
        if (shortcut != null) {
            return new Running<>(CompletableFuture.completedFuture(shortcut), () -> { });
        }
        return new Running<>(runner.run(tenants, query.range(), collector)
                .thenApply(v -> values.v2(query.limit(), collector.metrics())), collector::cancel);
    }

    /** A search or tag query in progress: its final result, and how to stop it when the caller goes away. */
    record Running<T>(CompletableFuture<T> result, Runnable cancel) {
    }
}
