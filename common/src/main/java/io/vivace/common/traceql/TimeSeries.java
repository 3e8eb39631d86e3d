package io.vivace.common.traceql;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One series of a metrics result: its labels and one value per interval; {@code NaN} marks an interval without a
 * point (no samples for min/max/avg/sum, or removed by a second-stage filter or topk).
 */
public record TimeSeries(List<Label> labels, double[] values) {

    /** A label; string values are quoted in {@link #labelsText()}, the others are not. */
    public record Label(String name, Value value) {
    }

    public TimeSeries {
        labels = List.copyOf(labels);
        values = values.clone();
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    /** Prometheus-style text such as {@code {span.foo="bar", p=0.5}}; also the series' sort key. */
    public String labelsText() {
        return labels.stream().map(l -> l.name() + "=" + switch (l.value()) {
            case Value.FloatValue f -> QueryPrinter.number(f.value());
            case Value v -> v.toString();
        }).collect(Collectors.joining(", ", "{", "}"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimeSeries t && labels.equals(t.labels) && Arrays.equals(values, t.values);
    }

    @Override
    public int hashCode() {
        return labels.hashCode() * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return labelsText() + " " + Arrays.toString(values);
    }
}
