package io.vivace.common.traceql;

/** The aggregates of a scalar filter ({@code count() > 2}, {@code avg(duration) > 1s}). */
public enum AggregateFunction {
    COUNT("count"),
    AVG("avg"),
    MIN("min"),
    MAX("max"),
    SUM("sum");

    private final String keyword;

    AggregateFunction(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    static AggregateFunction fromKeyword(String word) {
        for (AggregateFunction f : values()) {
            if (f.keyword.equals(word)) {
                return f;
            }
        }
        return null;
    }
}
