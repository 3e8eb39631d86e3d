package io.vivace.common.traceql;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The {@code with(name=value, ...)} hints of a query; several {@code with(...)} merge, a later value wins. A hint is
 * only read if its value has the expected type, and unknown hints are ignored (§2.12).
 */
public record Hints(Map<String, Value> values) {

    public static final Hints NONE = new Hints(Map.of());

    /** Hints honoured only when the tenant allows unsafe hints. */
    public static final Set<String> UNSAFE = Set.of("job_size", "time_overlap_cutoff", "concurrent_blocks", "debug",
            "info", "debug_return_in", "debug_std_dev", "debug_data_factor", "skip_ast_transformations",
            "spanonly_fetch");

    public Hints {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public Optional<Value> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public Optional<Boolean> bool(String name) {
        return values.get(name) instanceof Value.BoolValue b ? Optional.of(b.value()) : Optional.empty();
    }

    public Optional<String> string(String name) {
        return values.get(name) instanceof Value.StringValue s ? Optional.of(s.value()) : Optional.empty();
    }

    public OptionalLong integer(String name) {
        return values.get(name) instanceof Value.IntValue i ? OptionalLong.of(i.value()) : OptionalLong.empty();
    }

    /** An int or float hint as a double. */
    public OptionalDouble number(String name) {
        return switch (values.get(name)) {
            case Value.IntValue i -> OptionalDouble.of(i.value());
            case Value.FloatValue f -> OptionalDouble.of(f.value());
            case null, default -> OptionalDouble.empty();
        };
    }

    public OptionalLong durationNanos(String name) {
        return values.get(name) instanceof Value.DurationValue d ? OptionalLong.of(d.nanos()) : OptionalLong.empty();
    }
}
