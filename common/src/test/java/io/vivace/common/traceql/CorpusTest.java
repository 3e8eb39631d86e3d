package io.vivace.common.traceql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The conformance corpus of reference §3.1 and §3.2, one case per query. */
class CorpusTest {

    static Stream<Arguments> validQueries() throws IOException {
        return rows("traceql/valid-queries.tsv").stream().map(r -> Arguments.of(r[0], r[1]));
    }

    static Stream<Arguments> invalidQueries() throws IOException {
        return rows("traceql/invalid-queries.tsv").stream().map(r -> Arguments.of(r[0], r[1], r[2]));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("validQueries")
    void validQueryParsesAndValidates(String id, String query) throws TraceQLParseException {
        TraceQLQuery parsed = TraceQL.parse(query);
        assertEquals(query, parsed.text());
        // The canonical text must itself be a valid query.
        TraceQL.parse(parsed.toString());
    }

    @ParameterizedTest(name = "{0} ({1}): {2}")
    @MethodSource("invalidQueries")
    void invalidQueryIsRejectedAtTheRightStage(String id, String stage, String query) {
        TraceQLParseException e = Queries.parseError(query);
        TraceQLParseException.Kind expected = switch (stage) {
            case "P" -> TraceQLParseException.Kind.SYNTAX;
            case "V" -> TraceQLParseException.Kind.INVALID;
            case "U" -> TraceQLParseException.Kind.UNSUPPORTED;
            default -> throw new IllegalArgumentException(stage);
        };
        assertEquals(expected, e.kind(), e.getMessage());
        assertFalse(e.detail().isBlank());
        assertTrue(e.getMessage().matches("(parse error|invalid query|unsupported) at line \\d+, col \\d+: .+"),
                e.getMessage());
    }

    private static List<String[]> rows(String resource) throws IOException {
        try (var in = CorpusTest.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return reader.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l.split("\t", -1)).toList();
        }
    }
}
