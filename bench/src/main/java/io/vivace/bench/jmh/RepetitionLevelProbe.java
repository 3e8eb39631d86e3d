package io.vivace.bench.jmh;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vivace.bench.load.SyntheticTraces;
import io.vivace.common.block.parquet.GrowableBytes;
import io.vivace.common.block.parquet.PageCodec;
import io.vivace.common.block.parquet.RleHybridEncoder;
import java.util.Locale;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * What one span-level column and one generic-attribute column pay for their repetition levels, per span, in today's
 * nesting (resource spans → scope spans → spans → attributes) and in a flat one (spans one list per trace, resource
 * and scope referenced by index): the levels of the compaction benchmark's traces (seed 7, 20 spans) RLE/bit-packed
 * per 100-trace page and compressed alone at zstd 6. Levels only; the index columns a flat layout would add are not
 * counted (decision 0704, the lead's note).
 *
 * <pre>java -cp 'bench/target/vivace-bench.jar:bench/target/lib/*' io.vivace.bench.jmh.RepetitionLevelProbe [traces=12000]</pre>
 */
public final class RepetitionLevelProbe {

    private static final int TRACES_PER_PAGE = 100;

    /** Repetition levels of one page's entries in both layouts. */
    private static final class Levels {
        final int[] nested = new int[1 << 18];
        final int[] flat = new int[1 << 18];
        int count;
        long nestedBytes;
        long flatBytes;

        void add(int nestedLevel, int flatLevel) {
            nested[count] = nestedLevel;
            flat[count] = flatLevel;
            count++;
        }

        void closePage(PageCodec codec, int nestedMax, int flatMax) {
            nestedBytes += compressedBytes(codec, nested, count, nestedMax);
            flatBytes += compressedBytes(codec, flat, count, flatMax);
            count = 0;
        }
    }

    public static void main(String[] args) {
        int traces = 12_000;
        for (String arg : args) {
            if (arg.startsWith("traces=")) traces = Integer.parseInt(arg.substring("traces=".length()));
        }
        SyntheticTraces generator = new SyntheticTraces(new SyntheticTraces.Config(7, 20, 8, 1_767_225_600_000L));
        Levels span = new Levels();
        Levels attribute = new Levels();
        long spans = 0;
        try (PageCodec codec = new PageCodec(6)) {
            for (int t = 0; t < traces; t++) {
                ExportTraceServiceRequest trace = SyntheticTraces.toRequest(generator.trace(t));
                boolean firstInTrace = true;
                for (ResourceSpans rs : trace.getResourceSpansList()) {
                    boolean firstInResource = true;
                    for (ScopeSpans ss : rs.getScopeSpansList()) {
                        boolean firstInScope = true;
                        for (Span s : ss.getSpansList()) {
                            int nested = firstInTrace ? 0 : firstInResource ? 1 : firstInScope ? 2 : 3;
                            int flat = firstInTrace ? 0 : 1;
                            span.add(nested, flat);
                            for (int k = 0; k < Math.max(1, s.getAttributesCount()); k++) {
                                attribute.add(k == 0 ? nested : 4, k == 0 ? flat : 2);
                            }
                            spans++;
                            firstInTrace = firstInResource = firstInScope = false;
                        }
                    }
                }
                if ((t + 1) % TRACES_PER_PAGE == 0 || t == traces - 1) {
                    span.closePage(codec, 3, 1);
                    attribute.closePage(codec, 4, 2);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d traces, %d spans; repetition levels, B/span (nested -> flat)%n", traces, spans);
        System.out.printf(Locale.ROOT, "a span column:      %.3f -> %.3f%n", span.nestedBytes / (double) spans, span.flatBytes / (double) spans);
        System.out.printf(Locale.ROOT, "an attribute column: %.3f -> %.3f%n", attribute.nestedBytes / (double) spans, attribute.flatBytes / (double) spans);
    }

    private static int compressedBytes(PageCodec codec, int[] levels, int count, int maxLevel) {
        GrowableBytes encoded = new GrowableBytes(1 << 16);
        RleHybridEncoder.encode(levels, count, RleHybridEncoder.bitWidth(maxLevel), encoded);
        return codec.compress(CompressionCodecName.ZSTD, encoded.array(), 0, encoded.size(), new GrowableBytes(1 << 16));
    }
}
