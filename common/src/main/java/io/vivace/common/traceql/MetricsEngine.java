package io.vivace.common.traceql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * Evaluates a metrics query over traces fed one by one (reference §2.11): every span of every spanset the pipeline
 * outputs becomes a sample, placed in the interval of its start time and in the series of its {@code by()} values.
 * {@link #result()} finishes the series and applies the second stage ({@code topk}, {@code bottomk}, filters).
 * Not thread-safe: use one engine per job and merge results.
 *
 * <p>Not implemented: {@code compare()}, exemplars and sampling hints.
 */
public final class MetricsEngine {

    private final RootExpr.Metrics query;
    private final MetricsRequest request;
    private final SpansetEvaluator evaluator;
    private final Map<List<Value>, Accumulator> series = new LinkedHashMap<>();

    public MetricsEngine(TraceQLQuery query, MetricsRequest request) {
        if (!(query.root() instanceof RootExpr.Metrics metrics)) {
            throw new IllegalArgumentException("not a metrics query: " + query.text());
        }
        if (metrics.function() instanceof MetricsFunction.Compare) {
            throw new TraceQLRuntimeException("compare() is not implemented yet");
        }
        this.query = metrics;
        this.request = request;
        this.evaluator = new SpansetEvaluator(metrics.pipeline());
    }

    /** Per series: span counts or value aggregates per interval, or per-bucket counts per interval. */
    private final class Accumulator {
        final double[] counts = new double[request.intervals()];
        final double[] values = new double[request.intervals()];
        final NavigableMap<Double, long[]> buckets = new TreeMap<>();

        void add(int interval, double value, AggregateFunction aggregate) {
            double old = values[interval];
            values[interval] = counts[interval] == 0 ? value : switch (aggregate) {
                case MIN -> Math.min(old, value);
                case MAX -> Math.max(old, value);
                default -> old + value;
            };
            counts[interval]++;
        }
    }

    /** @throws TraceQLRuntimeException when the query fails on this data */
    public void observe(TraceData trace) {
        TraceContext context = new TraceContext(trace);
        Set<SpanData> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        MetricsFunction f = query.function();
        for (Spanset spanset : evaluator.evaluate(query.pipeline(), context)) {
            for (SpanData span : spanset.spans()) {
                int interval = request.interval(span.startUnixNanos());
                if (interval < 0 || !seen.add(span)) {
                    continue;
                }
                SpanContext ctx = SpanContext.of(context, span);
                switch (f) {
                    case MetricsFunction.Rate r -> accumulator(ctx).counts[interval]++;
                    case MetricsFunction.CountOverTime c -> accumulator(ctx).counts[interval]++;
                    case MetricsFunction.OverTime o -> {
                        Value v = ctx.read(o.attribute());
                        if (v.isNumeric()) {
                            double x = o.attribute().intrinsic() == Intrinsic.DURATION ? v.asDouble() / 1e9 : v.asDouble();
                            accumulator(ctx).add(interval, x, o.aggregate());
                        }
                    }
                    case MetricsFunction.QuantileOverTime q -> bucket(ctx, q.attribute(), interval);
                    case MetricsFunction.HistogramOverTime h -> bucket(ctx, h.attribute(), interval);
                    case MetricsFunction.Compare c -> throw new IllegalStateException();
                }
            }
        }
    }

    private Accumulator accumulator(SpanContext ctx) {
        List<Value> key = query.function().by().stream().map(ctx::read).toList();
        return series.computeIfAbsent(key, k -> new Accumulator());
    }

    /** Int and duration values only (floats are dropped, as in Tempo); durations are reported in seconds. */
    private void bucket(SpanContext ctx, Attribute attribute, int interval) {
        long raw;
        double scale;
        switch (ctx.read(attribute)) {
            case Value.IntValue i -> {
                raw = i.value();
                scale = 1;
            }
            case Value.DurationValue d -> {
                raw = d.nanos();
                scale = 1e-9;
            }
            default -> {
                return;
            }
        }
        long bucket = Log2Buckets.bucket(raw);
        if (bucket > 0) {
            accumulator(ctx).buckets.computeIfAbsent(bucket * scale, b -> new long[request.intervals()])[interval]++;
        }
    }

    public MetricsResult result() {
        List<TimeSeries> out = new ArrayList<>();
        MetricsFunction f = query.function();
        series.forEach((key, acc) -> {
            List<TimeSeries.Label> labels = labels(key);
            switch (f) {
                case MetricsFunction.Rate r -> out.add(new TimeSeries(labels, scaled(acc.counts, 1 / request.intervalSeconds())));
                case MetricsFunction.CountOverTime c -> out.add(new TimeSeries(labels, acc.counts));
                case MetricsFunction.OverTime o -> out.add(new TimeSeries(labels, overTime(acc, o.aggregate())));
                case MetricsFunction.QuantileOverTime q -> {
                    for (double quantile : q.quantiles()) {
                        out.add(new TimeSeries(plus(labels, "p", Value.of(quantile)), quantiles(acc, quantile)));
                    }
                }
                case MetricsFunction.HistogramOverTime h -> acc.buckets.forEach((bound, counts) -> out.add(
                        new TimeSeries(plus(labels, "__bucket", Value.of(bound)), toDoubles(counts))));
                case MetricsFunction.Compare c -> throw new IllegalStateException();
            }
        });
        out.sort(Comparator.comparing(TimeSeries::labelsText));
        List<TimeSeries> finished = out;
        for (MetricsSecondStage stage : query.secondStage()) {
            finished = switch (stage) {
                case MetricsSecondStage.Filter filter -> filter(finished, filter);
                case MetricsSecondStage.TopK topK -> topK(finished, topK);
            };
        }
        return new MetricsResult(request.timestamps(), finished);
    }

    /**
     * Labels named by the attributes' canonical text; nil values are left out, but if all are nil the first label
     * stays with value nil. Without {@code by()}: {@code __name__} = the function name.
     */
    private List<TimeSeries.Label> labels(List<Value> key) {
        List<Attribute> by = query.function().by();
        if (by.isEmpty()) {
            return List.of(new TimeSeries.Label("__name__", Value.of(query.function().name())));
        }
        List<TimeSeries.Label> labels = new ArrayList<>();
        for (int i = 0; i < by.size(); i++) {
            if (!key.get(i).isNil()) {
                labels.add(new TimeSeries.Label(QueryPrinter.attribute(by.get(i)), key.get(i)));
            }
        }
        if (labels.isEmpty()) {
            labels.add(new TimeSeries.Label(QueryPrinter.attribute(by.getFirst()), Value.NIL));
        }
        return labels;
    }

    private static List<TimeSeries.Label> plus(List<TimeSeries.Label> labels, String name, Value value) {
        List<TimeSeries.Label> out = new ArrayList<>(labels);
        out.add(new TimeSeries.Label(name, value));
        return out;
    }

    private static double[] scaled(double[] values, double factor) {
        double[] out = new double[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[i] * factor;
        }
        return out;
    }

    private static double[] overTime(Accumulator acc, AggregateFunction aggregate) {
        double[] out = new double[acc.counts.length];
        for (int i = 0; i < out.length; i++) {
            if (acc.counts[i] == 0) {
                out[i] = Double.NaN;
            } else {
                out[i] = aggregate == AggregateFunction.AVG ? acc.values[i] / acc.counts[i] : acc.values[i];
            }
        }
        return out;
    }

    private double[] quantiles(Accumulator acc, double q) {
        double[] out = new double[request.intervals()];
        for (int i = 0; i < out.length; i++) {
            NavigableMap<Double, Long> counts = new TreeMap<>();
            for (Map.Entry<Double, long[]> e : acc.buckets.entrySet()) {
                if (e.getValue()[i] > 0) {
                    counts.put(e.getKey(), e.getValue()[i]);
                }
            }
            out[i] = Log2Buckets.quantile(counts, q);
        }
        return out;
    }

    private static double[] toDoubles(long[] counts) {
        double[] out = new double[counts.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = counts[i];
        }
        return out;
    }

    /** Removes the points failing the comparison, then the series left without points. */
    private static List<TimeSeries> filter(List<TimeSeries> in, MetricsSecondStage.Filter filter) {
        List<TimeSeries> out = new ArrayList<>();
        for (TimeSeries s : in) {
            double[] values = s.values();
            for (int i = 0; i < values.length; i++) {
                if (!Double.isNaN(values[i])
                        && !Operations.compareScalars(filter.op(), Value.of(values[i]), Value.of(filter.value()))) {
                    values[i] = Double.NaN;
                }
            }
            keepIfAnyPoint(out, s.labels(), values);
        }
        return out;
    }

    /** At each timestamp keeps the k largest (smallest) points, ties broken by label text. */
    private static List<TimeSeries> topK(List<TimeSeries> in, MetricsSecondStage.TopK topK) {
        List<double[]> values = in.stream().map(TimeSeries::values).toList();
        int intervals = values.isEmpty() ? 0 : values.getFirst().length;
        double[][] kept = new double[in.size()][intervals];
        for (double[] row : kept) {
            java.util.Arrays.fill(row, Double.NaN);
        }
        for (int i = 0; i < intervals; i++) {
            final int at = i;
            List<Integer> order = new ArrayList<>();
            for (int s = 0; s < in.size(); s++) {
                if (!Double.isNaN(values.get(s)[at])) {
                    order.add(s);
                }
            }
            Comparator<Integer> byValue = Comparator.comparingDouble(s -> values.get(s)[at]);
            order.sort((topK.bottom() ? byValue : byValue.reversed())
                    .thenComparing(s -> in.get(s).labelsText()));
            for (int rank = 0; rank < Math.min(topK.k(), order.size()); rank++) {
                int s = order.get(rank);
                kept[s][at] = values.get(s)[at];
            }
        }
        List<TimeSeries> out = new ArrayList<>();
        for (int s = 0; s < in.size(); s++) {
            keepIfAnyPoint(out, in.get(s).labels(), kept[s]);
        }
        return out;
    }

    private static void keepIfAnyPoint(List<TimeSeries> out, List<TimeSeries.Label> labels, double[] values) {
        for (double v : values) {
            if (!Double.isNaN(v)) {
                out.add(new TimeSeries(labels, values));
                return;
            }
        }
    }
}
