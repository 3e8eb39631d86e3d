package io.vivace.common.traceql;

import java.util.List;

/** The first metrics stage: {@code rate()}, {@code count_over_time()} ... and its {@code by(...)} attributes. */
public sealed interface MetricsFunction {

    /** Grouping attributes of {@code by(...)}, empty without it. */
    List<Attribute> by();

    /** The function name as written in queries, also the {@code __name__} of an ungrouped series. */
    String name();

    record Rate(List<Attribute> by) implements MetricsFunction {
        public Rate {
            by = List.copyOf(by);
        }

        @Override
        public String name() {
            return "rate";
        }
    }

    record CountOverTime(List<Attribute> by) implements MetricsFunction {
        public CountOverTime {
            by = List.copyOf(by);
        }

        @Override
        public String name() {
            return "count_over_time";
        }
    }

    /** {@code min_over_time}, {@code max_over_time}, {@code avg_over_time}, {@code sum_over_time}. */
    record OverTime(AggregateFunction aggregate, Attribute attribute, List<Attribute> by) implements MetricsFunction {
        public OverTime {
            by = List.copyOf(by);
            if (aggregate == AggregateFunction.COUNT) {
                throw new IllegalArgumentException("use CountOverTime");
            }
        }

        @Override
        public String name() {
            return aggregate.keyword() + "_over_time";
        }
    }

    record QuantileOverTime(Attribute attribute, List<Double> quantiles, List<Attribute> by) implements MetricsFunction {
        public QuantileOverTime {
            quantiles = List.copyOf(quantiles);
            by = List.copyOf(by);
        }

        @Override
        public String name() {
            return "quantile_over_time";
        }
    }

    record HistogramOverTime(Attribute attribute, List<Attribute> by) implements MetricsFunction {
        public HistogramOverTime {
            by = List.copyOf(by);
        }

        @Override
        public String name() {
            return "histogram_over_time";
        }
    }

    /** {@code compare({filter}, topN, startNanos, endNanos)}; 0 for an absent window bound. */
    record Compare(SpansetFilter filter, int topN, long startNanos, long endNanos) implements MetricsFunction {
        @Override
        public List<Attribute> by() {
            return List.of();
        }

        @Override
        public String name() {
            return "compare";
        }
    }
}
