package io.vivace.common.traceql;

/** Span kind, numbered as in OTLP ({@code SPAN_KIND_UNSPECIFIED} = 0 ... {@code SPAN_KIND_CONSUMER} = 5). */
public enum SpanKind {
    UNSPECIFIED(0, "unspecified"),
    INTERNAL(1, "internal"),
    SERVER(2, "server"),
    CLIENT(3, "client"),
    PRODUCER(4, "producer"),
    CONSUMER(5, "consumer");

    private final int otlpCode;
    private final String keyword;

    SpanKind(int otlpCode, String keyword) {
        this.otlpCode = otlpCode;
        this.keyword = keyword;
    }

    public int otlpCode() {
        return otlpCode;
    }

    public String keyword() {
        return keyword;
    }

    public static SpanKind fromOtlpCode(int code) {
        for (SpanKind k : values()) {
            if (k.otlpCode == code) {
                return k;
            }
        }
        return UNSPECIFIED;
    }

    static SpanKind fromKeyword(String word) {
        for (SpanKind k : values()) {
            if (k.keyword.equals(word)) {
                return k;
            }
        }
        return null;
    }
}
