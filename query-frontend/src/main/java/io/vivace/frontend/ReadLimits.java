package io.vivace.frontend;

import io.vivace.common.limits.Overrides;
import io.vivace.common.limits.TenantLimits;
import java.time.Duration;
import java.util.List;

/**
 * The read limits one search or tag query is held to: the longest {@code start}..{@code end} range and the largest
 * search {@code limit}, each with the setting it comes from (named in the 400 message). For a multi-tenant query
 * ({@code a|b}) each is the strictest of the tenants'.
 *
 * @param maxRange           longest range; zero = no limit
 * @param maxRangeSource     the setting {@code maxRange} comes from
 * @param maxResults         largest search {@code limit}; always positive
 * @param maxResultsSource   the setting {@code maxResults} comes from
 */
record ReadLimits(Duration maxRange, String maxRangeSource, long maxResults, String maxResultsSource) {

    /** No per-tenant limits: the query-frontend's range limit and Tempo's hard result cap. */
    static ReadLimits frontendOnly(Duration frontendMaxRange) {
        return new ReadLimits(frontendMaxRange, "query_frontend.search.max_duration", SearchQueryParser.MAX_LIMIT,
                "the largest limit Vivace accepts");
    }

    /**
     * A tenant's {@code read.max_search_duration} replaces the query-frontend's {@code max_duration} (as in Tempo,
     * also when it is longer); its {@code read.max_result_limit} can only lower Tempo's cap of 262144.
     */
    static ReadLimits forTenants(List<String> tenants, Overrides overrides, Duration frontendMaxRange) {
        ReadLimits frontend = frontendOnly(frontendMaxRange);
        ReadLimits strictest = null;
        for (String tenant : tenants) {
            TenantLimits l = overrides.forTenant(tenant);
            Duration range = frontend.maxRange();
            String rangeSource = frontend.maxRangeSource();
            if (!l.maxSearchDuration().isZero()) {
                range = l.maxSearchDuration();
                rangeSource = "overrides read.max_search_duration of tenant " + tenant;
            }
            long results = frontend.maxResults();
            String resultsSource = frontend.maxResultsSource();
            if (l.maxResultLimit() > 0 && l.maxResultLimit() < results) {
                results = l.maxResultLimit();
                resultsSource = "overrides read.max_result_limit of tenant " + tenant;
            }
            ReadLimits tenantLimits = new ReadLimits(range, rangeSource, results, resultsSource);
            strictest = strictest == null ? tenantLimits : strictest.stricter(tenantLimits);
        }
        return strictest == null ? frontend : strictest;
    }

    private ReadLimits stricter(ReadLimits other) {
        boolean otherRange = !other.maxRange().isZero() && (maxRange.isZero() || other.maxRange().compareTo(maxRange) < 0);
        boolean otherResults = other.maxResults() < maxResults;
        return new ReadLimits(otherRange ? other.maxRange() : maxRange, otherRange ? other.maxRangeSource() : maxRangeSource,
                otherResults ? other.maxResults() : maxResults, otherResults ? other.maxResultsSource() : maxResultsSource);
    }
}
