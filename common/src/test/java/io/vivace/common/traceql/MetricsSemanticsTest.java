package io.vivace.common.traceql;

import static io.vivace.common.traceql.TestSpan.span;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code cases_metrics} of reference §3.3. */
class MetricsSemanticsTest {

    private static final long S = 1_000_000_000L;

    /** 3 spans foo=bar (128/256/512 ns) at 1s, 4 spans foo=bar (256 ns) at 2s, 3 spans foo=baz (512 ns) at 3s. */
    private static TestTrace input() {
        List<TestSpan> spans = new ArrayList<>();
        int n = 0;
        for (long d : new long[] {128, 256, 512}) {
            spans.add(span("a" + n++).start(S).durationNanos(d).attr("foo", "bar"));
        }
        for (int i = 0; i < 4; i++) {
            spans.add(span("b" + n++).start(2 * S).durationNanos(256).attr("foo", "bar"));
        }
        for (int i = 0; i < 3; i++) {
            spans.add(span("c" + n++).start(3 * S).durationNanos(512).attr("foo", "baz"));
        }
        return new TestTrace("0001", spans);
    }

    private static MetricsResult run(String query, MetricsRequest request, TraceData... traces) {
        MetricsEngine engine = new MetricsEngine(Queries.parse(query), request);
        for (TraceData t : traces) {
            engine.observe(t);
        }
        return engine.result();
    }

    private static double[] values(MetricsResult r, String labels) {
        return r.find(labels).orElseThrow(() -> new AssertionError(labels + " not in " + r.series())).values();
    }

    /** The series whose labels start with {@code prefix} and whose last label is the number {@code value}. */
    private static double[] valuesWithNumber(MetricsResult r, String prefix, double value) {
        return r.series().stream()
                .filter(s -> s.labelsText().startsWith(prefix)
                        && s.labels().getLast().value() instanceof Value.FloatValue f
                        && Math.abs(f.value() - value) <= value * 1e-9)
                .findFirst().orElseThrow(() -> new AssertionError(prefix + value + " not in " + r.series())).values();
    }

    @Test
    void countOverTimeByAttribute() {
        MetricsResult r = run("{ } | count_over_time() by (span.foo)", MetricsRequest.range(1, 3 * S, S), input());
        assertArrayEquals(new long[] {S, 2 * S, 3 * S}, r.timestampsNanos());
        assertArrayEquals(new double[] {3, 4, 0}, values(r, "{span.foo=\"bar\"}"));
        assertArrayEquals(new double[] {0, 0, 3}, values(r, "{span.foo=\"baz\"}"));
        assertEquals(2, r.series().size());
    }

    @Test
    void histogramOverTimeInPowerOfTwoBucketsInSeconds() {
        MetricsResult r = run("{ } | histogram_over_time(duration) by (span.foo)", MetricsRequest.range(1, 3 * S, S),
                input());
        assertArrayEquals(new double[] {1, 0, 0}, valuesWithNumber(r, "{span.foo=\"bar\"", 1.28e-7));
        assertArrayEquals(new double[] {1, 4, 0}, valuesWithNumber(r, "{span.foo=\"bar\"", 2.56e-7));
        assertArrayEquals(new double[] {1, 0, 0}, valuesWithNumber(r, "{span.foo=\"bar\"", 5.12e-7));
        assertArrayEquals(new double[] {0, 0, 3}, valuesWithNumber(r, "{span.foo=\"baz\"", 5.12e-7));
        assertEquals(4, r.series().size());
    }

    @Test
    void quantileOverTimeInterpolatesExponentially() {
        MetricsResult r = run("{ } | quantile_over_time(duration, 0, 0.5, 1) by (span.foo)",
                MetricsRequest.range(1, 3 * S, S), input());
        // At 2s all four samples sit in the 256 ns bucket (128, 256]: q0 reads 1 of 4 samples, q.5 2 of 4.
        assertClose(new double[] {1.28e-7, Math.pow(2, 7.25) * 1e-9, 0}, values(r, "{span.foo=\"bar\", p=0}"));
        assertClose(new double[] {2.56e-7, Math.pow(2, 7.5) * 1e-9, 0}, values(r, "{span.foo=\"bar\", p=0.5}"));
        assertClose(new double[] {5.12e-7, 2.56e-7, 0}, values(r, "{span.foo=\"bar\", p=1}"));
        assertClose(new double[] {0, 0, 5.12e-7}, values(r, "{span.foo=\"baz\", p=1}"));
    }

    @Test
    void instantQueryIncludesBothEnds() {
        long start = S - 9;
        long end = 3 * S + 9;
        List<TestSpan> spans = new ArrayList<>();
        long[] at = {start - 20, start - 1, start, start + 1, end - 1, end, end + 1, end + 20};
        for (int i = 0; i < at.length; i++) {
            spans.add(span("s" + i).start(at[i]).durationNanos(10));
        }
        MetricsResult r = run("{ } | count_over_time()", MetricsRequest.instant(start, end),
                new TestTrace("0002", spans));
        assertArrayEquals(new long[] {end}, r.timestampsNanos());
        assertArrayEquals(new double[] {4}, values(r, "{__name__=\"count_over_time\"}"));
    }

    /** Per second from 1s to 8s: 7 spans foo=bar, 5 foo=baz, 3 foo=quax. */
    private static TestTrace ratesInput() {
        List<TestSpan> spans = new ArrayList<>();
        int n = 0;
        for (int second = 1; second <= 8; second++) {
            for (String[] group : new String[][] {{"bar", "7"}, {"baz", "5"}, {"quax", "3"}}) {
                for (int i = 0; i < Integer.parseInt(group[1]); i++) {
                    spans.add(span("s" + n++).start(second * S).durationNanos(1).attr("foo", group[0]));
                }
            }
        }
        return new TestTrace("0003", spans);
    }

    @Test
    void rateWithSecondStageFilters() {
        MetricsRequest request = MetricsRequest.range(1, 8 * S, S);
        MetricsResult above = run("{ } | rate() by (span.foo) > 5", request, ratesInput());
        assertEquals(List.of("{span.foo=\"bar\"}"), above.series().stream().map(TimeSeries::labelsText).toList());
        assertArrayEquals(new double[] {7, 7, 7, 7, 7, 7, 7, 7}, values(above, "{span.foo=\"bar\"}"));

        MetricsResult equal = run("{ } | rate() by (span.foo) = 5", request, ratesInput());
        assertEquals(List.of("{span.foo=\"baz\"}"), equal.series().stream().map(TimeSeries::labelsText).toList());
        assertArrayEquals(new double[] {5, 5, 5, 5, 5, 5, 5, 5}, values(equal, "{span.foo=\"baz\"}"));

        MetricsResult below = run("{ } | rate() by (span.foo) < 5", request, ratesInput());
        assertEquals(List.of("{span.foo=\"quax\"}"), below.series().stream().map(TimeSeries::labelsText).toList());
        assertArrayEquals(new double[] {3, 3, 3, 3, 3, 3, 3, 3}, values(below, "{span.foo=\"quax\"}"));
    }

    @Test
    void rateDividesByTheStepInSeconds() {
        MetricsResult r = run("{ } | rate() by (span.foo)", MetricsRequest.range(1, 8 * S, 2 * S), ratesInput());
        assertArrayEquals(new double[] {7, 7, 7, 7}, values(r, "{span.foo=\"bar\"}"));
    }

    @Test
    void topkKeepsTheLargestSeriesPerTimestamp() {
        MetricsResult r = run("{ } | rate() by (span.foo) | topk(2)", MetricsRequest.range(1, 8 * S, S), ratesInput());
        assertEquals(List.of("{span.foo=\"bar\"}", "{span.foo=\"baz\"}"),
                r.series().stream().map(TimeSeries::labelsText).toList());
        MetricsResult bottom = run("{ } | rate() by (span.foo) | bottomk(1)", MetricsRequest.range(1, 8 * S, S),
                ratesInput());
        assertEquals(List.of("{span.foo=\"quax\"}"), bottom.series().stream().map(TimeSeries::labelsText).toList());
    }

    @Test
    void overTimeFunctionsReportDurationsInSeconds() {
        MetricsResult r = run("{ } | max_over_time(duration) by (span.foo)", MetricsRequest.range(1, 3 * S, S), input());
        assertClose(new double[] {5.12e-7, 2.56e-7, Double.NaN}, values(r, "{span.foo=\"bar\"}"));
        MetricsResult avg = run("{ } | avg_over_time(duration)", MetricsRequest.range(1, 3 * S, S), input());
        assertClose(new double[] {(128 + 256 + 512) / 3.0 * 1e-9, 2.56e-7, 5.12e-7},
                values(avg, "{__name__=\"avg_over_time\"}"));
    }

    @Test
    void groupingByAMissingAttributeKeepsOneNilLabel() {
        MetricsResult r = run("{ } | count_over_time() by (span.nope, span.nothing)", MetricsRequest.range(1, 3 * S, S),
                input());
        assertArrayEquals(new double[] {3, 4, 3}, values(r, "{span.nope=nil}"));
    }

    @Test
    void compareIsReportedAsNotImplemented() {
        assertThrows(TraceQLRuntimeException.class, () -> new MetricsEngine(
                Queries.parse("{ } | compare({ status = error })"), MetricsRequest.range(1, 3 * S, S)));
    }

    private static void assertClose(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            if (Double.isNaN(expected[i])) {
                assertTrue(Double.isNaN(actual[i]), "point " + i + " should be empty, was " + actual[i]);
            } else {
                assertEquals(expected[i], actual[i], Math.abs(expected[i]) * 1e-9, "point " + i);
            }
        }
    }
}
