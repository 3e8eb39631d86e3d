package io.vivace.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The TraceQL queries a search run sends: a file of one query per line, or the default shapes below. */
public final class SearchQueries {

    /**
     * The query shapes issue 3 measures, written for {@link SyntheticTraces}' data: attribute equality, numeric
     * range, regex, status, duration, {@code { }}, structural, a {@code count()} pipeline, spanset {@code &&},
     * two conditions in one spanset, and a value no span has.
     */
    public static final List<String> DEFAULT = List.of(
        "{ span.http.request.method = \"DELETE\" }",
        "{ resource.service.name = \"checkout\" }",
        "{ span.db.operation.name = \"UPDATE\" }",
        "{ span.http.response.status_code >= 500 }",
        "{ span.thread.id > 217 }",
        "{ span.http.route =~ \"/api/cart.*\" }",
        "{ status = error }",
        "{ duration > 900ms }",
        "{ }",
        "{ resource.service.name = \"frontend\" } >> { status = error }",
        "{ status = error } | count() > 2",
        "{ span.http.route = \"/api/orders\" } && { span.db.operation.name = \"INSERT\" }",
        "{ name = \"render-page\" && duration > 100ms }",
        "{ span.http.route = \"/no/such/route\" }");

    private SearchQueries() {}

    /** Non-blank lines of {@code file} that do not start with {@code #}. */
    static List<String> read(Path file) throws LoadOptions.UsageException {
        List<String> queries;
        try {
            queries = Files.readAllLines(file).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
        } catch (IOException e) {
            throw new LoadOptions.UsageException("--queries: cannot read " + file + ": " + e.getMessage());
        }
        if (queries.isEmpty()) throw new LoadOptions.UsageException("--queries: " + file + " holds no query");
        return queries;
    }
}
