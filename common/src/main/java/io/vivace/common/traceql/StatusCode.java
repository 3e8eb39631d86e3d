package io.vivace.common.traceql;

/** Span status, numbered as in OTLP ({@code STATUS_CODE_UNSET} = 0, {@code OK} = 1, {@code ERROR} = 2). */
public enum StatusCode {
    UNSET(0, "unset"),
    OK(1, "ok"),
    ERROR(2, "error");

    private final int otlpCode;
    private final String keyword;

    StatusCode(int otlpCode, String keyword) {
        this.otlpCode = otlpCode;
        this.keyword = keyword;
    }

    public int otlpCode() {
        return otlpCode;
    }

    /** The TraceQL literal, also how search results render the status. */
    public String keyword() {
        return keyword;
    }

    public static StatusCode fromOtlpCode(int code) {
        return switch (code) {
            case 1 -> OK;
            case 2 -> ERROR;
            default -> UNSET;
        };
    }

    static StatusCode fromKeyword(String word) {
        for (StatusCode s : values()) {
            if (s.keyword.equals(word)) {
                return s;
            }
        }
        return null;
    }
}
