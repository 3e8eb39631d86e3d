package io.vivace.common.traceql;

import java.util.List;
import java.util.Optional;

/** The series of a metrics query, sorted by label text, and the sample timestamps (unix nanoseconds). */
public record MetricsResult(long[] timestampsNanos, List<TimeSeries> series) {

    public MetricsResult {
        timestampsNanos = timestampsNanos.clone();
        series = List.copyOf(series);
    }

    @Override
    public long[] timestampsNanos() {
        return timestampsNanos.clone();
    }

    /** The series whose {@link TimeSeries#labelsText()} is {@code labels}. */
    public Optional<TimeSeries> find(String labels) {
        return series.stream().filter(s -> s.labelsText().equals(labels)).findFirst();
    }
}
