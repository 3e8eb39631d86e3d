package io.vivace.bench.load;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The load tool's options, parsed from {@code --key=value} arguments. */
public record LoadOptions(
    Mode mode,
    Protocol protocol,
    String endpoint,
    String queryEndpoint,
    String tenant,
    long seed,
    long traces,
    Duration duration,
    int spansPerTrace,
    int batchSpans,
    int concurrency,
    int services,
    long baseTimeMs,
    boolean baseTimeGiven,
    Duration timeout,
    Duration progressInterval,
    Duration verifyDelay,
    int maxDiffs,
    Path queriesFile,
    int limit,
    int searchRepeats,
    boolean encodeAhead,
    int warmupRounds,
    long warmupTraces,
    int warmupBatchSpans,
    long serverPid,
    Path serverJfr) {

    /** {@link #serverPid} when no server process is named. */
    static final long NO_SERVER_PID = 0;

    public enum Mode {
        SEND, VERIFY, BOTH, SEARCH;

        boolean sends() {
            return this == SEND || this == BOTH;
        }

        boolean verifies() {
            return this == VERIFY || this == BOTH;
        }
    }

    public enum Protocol { GRPC, HTTP }

    static final String DEFAULT_GRPC_ENDPOINT = "localhost:4317";
    static final String DEFAULT_HTTP_ENDPOINT = "http://localhost:4318/v1/traces";
    static final String DEFAULT_QUERY_ENDPOINT = "http://localhost:3200";
    static final long DEFAULT_TRACES = 1000;

    private static final Set<String> KEYS = Set.of(
        "mode", "protocol", "endpoint", "query-endpoint", "tenant", "seed", "traces", "duration",
        "spans-per-trace", "batch-spans", "concurrency", "services", "base-time-ms", "timeout",
        "progress-interval", "verify-delay", "max-diffs", "queries", "limit", "search-repeats", "encode-ahead",
        "warmup-rounds", "warmup-traces", "warmup-batch-spans", "server-pid", "server-jfr");

    /** Thrown for a bad command line; the message says what is wrong. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }

    public static LoadOptions parse(String[] args, long nowMs) throws UsageException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) throw new UsageException("expected --key=value, got '" + arg + "'");
            int eq = arg.indexOf('=');
            if (eq < 0) throw new UsageException("option " + arg + " needs a value: " + arg + "=...");
            String key = arg.substring(2, eq);
            if (!KEYS.contains(key)) throw new UsageException("unknown option --" + key);
            if (values.put(key, arg.substring(eq + 1)) != null) throw new UsageException("option --" + key + " given twice");
        }

        Mode mode = enumValue(Mode.class, "mode", values.getOrDefault("mode", "send"));
        Protocol protocol = enumValue(Protocol.class, "protocol", values.getOrDefault("protocol", "grpc"));
        String endpoint = values.getOrDefault("endpoint",
            protocol == Protocol.GRPC ? DEFAULT_GRPC_ENDPOINT : DEFAULT_HTTP_ENDPOINT);
        String queryEndpoint = values.getOrDefault("query-endpoint", DEFAULT_QUERY_ENDPOINT);
        String tenant = values.get("tenant");
        if (tenant != null && tenant.isEmpty()) throw new UsageException("--tenant must not be empty");

        Duration duration = values.containsKey("duration") ? duration("duration", values.get("duration")) : null;
        if (duration != null && (duration.isZero() || duration.isNegative())) {
            throw new UsageException("--duration must be positive");
        }
        if (duration != null && !mode.sends()) {
            throw new UsageException("--duration applies to sending; --mode=" + lower(mode) + " needs --traces (the count sent)");
        }
        // With only --duration, the trace count is bounded by time; a count still caps it.
        long traces = values.containsKey("traces") ? longValue("traces", values.get("traces"), 1, Long.MAX_VALUE)
            : duration != null ? Long.MAX_VALUE : DEFAULT_TRACES;

        boolean baseTimeGiven = values.containsKey("base-time-ms");
        if (!mode.sends() && !baseTimeGiven) {
            throw new UsageException("--mode=" + lower(mode) + " needs --base-time-ms (printed by the send run) to regenerate the traces");
        }
        long baseTimeMs = baseTimeGiven
            ? longValue("base-time-ms", values.get("base-time-ms"), SyntheticTraces.MAX_TRACE_AGE_MS + 1, Long.MAX_VALUE / 1_000_000L)
            : nowMs;

        int spansPerTrace = (int) longValue("spans-per-trace", values.getOrDefault("spans-per-trace", "20"), 1, 100_000);
        int batchSpans = (int) longValue("batch-spans", values.getOrDefault("batch-spans", "500"), 1, 1_000_000);
        int concurrency = (int) longValue("concurrency", values.getOrDefault("concurrency", "4"), 1, 1024);
        int services = (int) longValue("services", values.getOrDefault("services", "8"), 1, 1000);
        long seed = longValue("seed", values.getOrDefault("seed", "1"), Long.MIN_VALUE, Long.MAX_VALUE);
        Duration timeout = duration("timeout", values.getOrDefault("timeout", "10s"));
        if (timeout.isZero() || timeout.isNegative()) throw new UsageException("--timeout must be positive");
        Duration progress = duration("progress-interval", values.getOrDefault("progress-interval", "5s"));
        Duration verifyDelay = duration("verify-delay", values.getOrDefault("verify-delay", "0s"));
        int maxDiffs = (int) longValue("max-diffs", values.getOrDefault("max-diffs", "10"), 0, 10_000);
        Path queriesFile = values.containsKey("queries") ? Path.of(values.get("queries")) : null;
        int limit = (int) longValue("limit", values.getOrDefault("limit", "20"), 1, 100_000);
        int searchRepeats = (int) longValue("search-repeats", values.getOrDefault("search-repeats", "20"), 1, 1_000_000);
        for (String searchOnly : List.of("queries", "limit", "search-repeats")) {
            if (values.containsKey(searchOnly) && mode != Mode.SEARCH) {
                throw new UsageException("--" + searchOnly + " applies to --mode=search only");
            }
        }

        boolean encodeAhead = booleanValue("encode-ahead", values.getOrDefault("encode-ahead", "false"));
        if (encodeAhead && !mode.sends()) throw new UsageException("--encode-ahead applies to sending");
        if (encodeAhead && !values.containsKey("traces")) {
            throw new UsageException("--encode-ahead needs --traces (the requests are all encoded before sending)");
        }

        int warmupRounds = (int) longValue("warmup-rounds", values.getOrDefault("warmup-rounds",
            values.containsKey("warmup-traces") ? "1" : "0"), 0, 1000);
        long warmupTraces = longValue("warmup-traces", values.getOrDefault("warmup-traces",
            Long.toString(Math.min(traces, DEFAULT_TRACES * 10))), 1, Long.MAX_VALUE);
        int warmupBatchSpans = (int) longValue("warmup-batch-spans", values.getOrDefault("warmup-batch-spans",
            Integer.toString(batchSpans)), 1, 1_000_000);
        if (warmupRounds > 0 && mode != Mode.SEND) throw new UsageException("--warmup-rounds and --warmup-traces apply to --mode=send");
        if (values.containsKey("warmup-batch-spans") && warmupRounds == 0) {
            throw new UsageException("--warmup-batch-spans needs --warmup-rounds or --warmup-traces");
        }
        long serverPid = values.containsKey("server-pid")
            ? longValue("server-pid", values.get("server-pid"), 1, Long.MAX_VALUE) : NO_SERVER_PID;
        if (serverPid != NO_SERVER_PID && !mode.sends()) throw new UsageException("--server-pid applies to sending");
        if (serverPid != NO_SERVER_PID && ProcessHandle.of(serverPid).isEmpty()) {
            throw new UsageException("--server-pid=" + serverPid + ": no such process on this machine");
        }
        Path serverJfr = values.containsKey("server-jfr") ? Path.of(values.get("server-jfr")) : null;
        if (serverJfr != null && serverPid == NO_SERVER_PID) throw new UsageException("--server-jfr needs --server-pid");

        return new LoadOptions(mode, protocol, endpoint, queryEndpoint, tenant, seed, traces, duration,
            spansPerTrace, batchSpans, concurrency, services, baseTimeMs, baseTimeGiven, timeout, progress,
            verifyDelay, maxDiffs, queriesFile, limit, searchRepeats, encodeAhead, warmupRounds, warmupTraces,
            warmupBatchSpans, serverPid, serverJfr);
    }

    public SyntheticTraces.Config generatorConfig() {
        return new SyntheticTraces.Config(seed, spansPerTrace, services, baseTimeMs);
    }

    /**
     * The generator of warm-up round {@code round} (from 1): seed {@code seed + round * 1,000,003}, so its traces are
     * not those of the measured send (a trace sent twice costs the server less than a new one).
     */
    SyntheticTraces.Config warmupConfig(int round) {
        return new SyntheticTraces.Config(seed + round * 1_000_003L, spansPerTrace, services, baseTimeMs);
    }

    boolean measuresServer() {
        return serverPid != NO_SERVER_PID;
    }

    /** This run's generator options with another trace count, as command-line arguments. */
    public String generatorArgs(long traceCount) {
        return "--seed=" + seed + " --traces=" + traceCount + " --spans-per-trace=" + spansPerTrace
            + " --services=" + services + " --base-time-ms=" + baseTimeMs;
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String key, String value) throws UsageException {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            StringBuilder allowed = new StringBuilder();
            for (E c : type.getEnumConstants()) allowed.append(allowed.isEmpty() ? "" : "|").append(c.name().toLowerCase(Locale.ROOT));
            throw new UsageException("--" + key + " must be one of " + allowed + ", got '" + value + "'");
        }
    }

    private static boolean booleanValue(String key, String value) throws UsageException {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new UsageException("--" + key + " must be true or false, got '" + value + "'");
        };
    }

    private static long longValue(String key, String value, long min, long max) throws UsageException {
        long v;
        try {
            v = Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageException("--" + key + " must be an integer, got '" + value + "'");
        }
        if (v < min || v > max) throw new UsageException("--" + key + " must be between " + min + " and " + max + ", got " + v);
        return v;
    }

    /** Accepts {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, a plain number of seconds, or ISO-8601 ({@code PT30S}). */
    static Duration duration(String key, String value) throws UsageException {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("pt")) return Duration.parse(v.toUpperCase(Locale.ROOT));
            if (v.endsWith("ms")) return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            if (v.endsWith("s")) return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            if (v.endsWith("m")) return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
            if (v.endsWith("h")) return Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
            return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new UsageException("--" + key + " must be a duration such as 500ms, 30s, 5m or 1h, got '" + value + "'");
        }
    }
}
