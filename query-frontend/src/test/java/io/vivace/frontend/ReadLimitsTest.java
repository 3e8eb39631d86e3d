package io.vivace.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vivace.common.config.ConfigLoader;
import io.vivace.common.limits.Overrides;
import io.vivace.common.limits.RuntimeOverrides;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-tenant read limits: which one applies, the strictest for {@code a|b}, and how search and tag parsing use them. */
class ReadLimitsTest {

    static final Duration FRONTEND = Duration.ofHours(168);

    static Overrides overrides(Path dir, String file) throws Exception {
        Path path = dir.resolve("overrides.yaml");
        Files.writeString(path, file);
        return new RuntimeOverrides(new ConfigLoader(Map.<String, String>of()::get).parse("").overrides().defaults(), Optional.of(path));
    }

    static final String FILE = """
            overrides:
              narrow:
                read: {max_search_duration: 1h, max_result_limit: 10}
              wide:
                read: {max_search_duration: 720h, max_result_limit: 500}
            """;

    @Test
    void aTenantsMaxSearchDurationReplacesTheFrontendsAndItsResultLimitCanOnlyLowerTheCap(@TempDir Path dir) throws Exception {
        Overrides o = overrides(dir, FILE);
        ReadLimits plain = ReadLimits.forTenants(List.of("plain"), o, FRONTEND);
        assertEquals(FRONTEND, plain.maxRange());
        assertEquals("query_frontend.search.max_duration", plain.maxRangeSource());
        assertEquals(SearchQueryParser.MAX_LIMIT, plain.maxResults());

        ReadLimits wide = ReadLimits.forTenants(List.of("wide"), o, FRONTEND);
        assertEquals(Duration.ofHours(720), wide.maxRange(), "as in Tempo, the tenant's value wins even when longer");
        assertEquals(500, wide.maxResults());

        ReadLimits unlimitedFrontend = ReadLimits.forTenants(List.of("plain"), o, Duration.ZERO);
        assertEquals(Duration.ZERO, unlimitedFrontend.maxRange());
    }

    @Test
    void aMultiTenantQueryGetsTheStrictestOfEachLimit(@TempDir Path dir) throws Exception {
        Overrides o = overrides(dir, FILE);
        ReadLimits both = ReadLimits.forTenants(List.of("narrow", "wide"), o, FRONTEND);
        assertEquals(Duration.ofHours(1), both.maxRange());
        assertEquals("overrides read.max_search_duration of tenant narrow", both.maxRangeSource());
        assertEquals(10, both.maxResults());
        assertEquals("overrides read.max_result_limit of tenant narrow", both.maxResultsSource());

        ReadLimits mixed = ReadLimits.forTenants(List.of("plain", "wide"), o, FRONTEND);
        assertEquals(FRONTEND, mixed.maxRange(), "plain falls back to the frontend's 168h, shorter than wide's 720h");
        assertEquals(500, mixed.maxResults());
    }

    @Test
    void searchAndTagParsingRefuseWhatExceedsTheLimitsNamingThem(@TempDir Path dir) throws Exception {
        SearchService service = new SearchService(null, null, Runnable::run, FRONTEND, overrides(dir, FILE));
        Map<String, String> twoHours = Map.of("q", "{}", "start", "1000", "end", "8200");
        BadRequestException range = assertThrows(BadRequestException.class,
                () -> service.parseSearch(List.of("narrow"), twoHours::get, twoHours.keySet()));
        assertEquals("range specified by start and end exceeds 1h0m0s. received start=1000 end=8200 "
                + "(overrides read.max_search_duration of tenant narrow)", range.getMessage());
        assertEquals(8200_000_000_000L + 999_999_999L, service.parseSearch(List.of("wide"), twoHours::get, twoHours.keySet()).range().blocks().endNanos());
        assertThrows(BadRequestException.class, () -> service.parseTagQuery(List.of("wide", "narrow"), null, null, "1000", "8200"));
        assertThrows(BadRequestException.class, () -> service.tagQuery(List.of("narrow"), null, 0, 1000, 8200));
        assertEquals(1000_000_000_000L, service.tagQuery(List.of("plain"), null, 0, 1000, 8200).range().blocks().startNanos());

        Map<String, String> limit11 = Map.of("q", "{}", "limit", "11");
        BadRequestException limit = assertThrows(BadRequestException.class,
                () -> service.parseSearch(List.of("narrow"), limit11::get, limit11.keySet()));
        assertEquals("limit 11 exceeds max limit 10 (overrides read.max_result_limit of tenant narrow)", limit.getMessage());
        assertEquals(11, service.parseSearch(List.of("wide"), limit11::get, limit11.keySet()).limit());
        Map<String, String> noLimit = Map.of("q", "{}");
        assertEquals(10, service.parseSearch(List.of("narrow"), noLimit::get, noLimit.keySet()).limit(), "the default 20, lowered to the max");
        assertEquals(SearchQueryParser.DEFAULT_LIMIT, service.parseSearch(List.of("wide"), noLimit::get, noLimit.keySet()).limit());
    }
}
