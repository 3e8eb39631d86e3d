package io.vivace.frontend;

import io.vivace.common.model.TraceId;
import java.util.Set;

/** A validated trace-by-ID request (Tempo's {@code ValidateAndSanitizeRequest} rules). */
record TraceByIdRequest(TraceId traceId, long startSeconds, long endSeconds, String mode) {

    private static final Set<String> MODES = Set.of("all", "blocks", "ingesters", "external");

    static TraceByIdRequest parse(String rawId, String start, String end, String mode) throws BadRequestException {
        TraceId id;
        try {
            id = TraceId.parseHex(rawId);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        long s = parseSeconds("start", start);
        long e = parseSeconds("end", end);
        if (s != 0 && e != 0 && e <= s) {
            throw new BadRequestException("http parameter start must be before end. received start=" + s + " end=" + e);
        }
        String m = mode == null || mode.isEmpty() ? "all" : mode;
        if (!MODES.contains(m)) {
            throw new BadRequestException("invalid value for mode " + m);
        }
        return new TraceByIdRequest(id, s, e, m);
    }

    private static long parseSeconds(String name, String value) throws BadRequestException {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException ex) {
            throw new BadRequestException("invalid " + name + ": strconv.ParseInt: parsing \"" + value + "\": invalid syntax");
        }
    }

    boolean readsRecent() {
        return mode.equals("all") || mode.equals("ingesters");
    }

    boolean readsBlocks() {
        return mode.equals("all") || mode.equals("blocks");
    }
}
