package io.vivace.compactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.block.BackendBlock;
import io.vivace.common.block.BlockConfig;
import io.vivace.common.block.BlockKeys;
import io.vivace.common.block.BlockMeta;
import io.vivace.common.block.BlockWriter;
import io.vivace.common.block.TenantIndex;
import io.vivace.common.block.TraceRecord;
import io.vivace.common.config.VivaceConfig;
import io.vivace.common.limits.Overrides;
import io.vivace.common.limits.RuntimeOverrides;
import io.vivace.common.limits.TenantLimits;
import io.vivace.common.model.TraceId;
import io.vivace.common.storage.LocalBackend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactorTest {

    private static final String TENANT = "team-a";
    private static final Instant NOW = Instant.parse("2026-11-30T12:30:00Z");
    private static final long SPAN_START = NOW.minus(Duration.ofMinutes(10)).toEpochMilli() * 1_000_000L;
    private static final Overrides NO_OVERRIDES = Overrides.fixed(TenantLimits.defaults());

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(NOW);

    private static CompactionPolicy policy(int shardIndex, int shardCount) {
        return new CompactionPolicy(Duration.ofHours(1), 1_000_000, 1L << 30, 4, Duration.ofDays(14), Duration.ofHours(1),
                shardIndex, shardCount);
    }

    @Test
    void mergesBlocksOfOneWindowCombiningSplitTracesAndDroppingDuplicateSpans() throws IOException {
        LocalBackend backend = new LocalBackend(dir.resolve("blocks"));
        BlockMeta a = writeBlock(backend, SPAN_START, range(1, 100), 1, 2);
        BlockMeta b = writeBlock(backend, SPAN_START, range(50, 150), 2, 3); // span 2 of 50..100 again, span 3 new
        BlockMeta c = writeBlock(backend, SPAN_START, range(200, 210), 1);
        Compactor compactor = new Compactor(backend, writer(), policy(0, 1), NO_OVERRIDES, new SimpleMeterRegistry(), clock);

        compactor.runCycle();

        TenantIndex index = TenantIndex.fromGzippedJson(backend.read(BlockKeys.tenantIndex(TENANT)));
        assertEquals(1, index.live().size());
        BlockMeta output = index.live().getFirst();
        assertEquals(1, output.compactionLevel());
        assertEquals(100 + 50 + 11, output.totalObjects());
        assertEquals(List.of(a.blockId(), b.blockId(), c.blockId()).stream().sorted().toList(),
                index.compacted().stream().map(x -> x.meta().blockId()).sorted().toList());
        for (BlockMeta input : List.of(a, b, c)) {
            assertFalse(backend.exists(input.metaKey()), "input no longer live");
            assertTrue(backend.exists(BlockKeys.compactedMeta(TENANT, input.blockId())), "input marked compacted");
            assertTrue(backend.exists(input.dataKey()), "input readable during the grace period");
        }
        try (BackendBlock merged = BackendBlock.open(backend, output)) {
            assertEquals(List.of(1L, 2L), spanNumbers(merged, 10));
            assertEquals(List.of(1L, 2L, 3L), spanNumbers(merged, 75));
            assertEquals(List.of(2L, 3L), spanNumbers(merged, 120));
            assertEquals(List.of(1L), spanNumbers(merged, 205));
        }

        clock.advance(Duration.ofMinutes(61));
        compactor.runCycle();
        for (BlockMeta input : List.of(a, b, c)) {
            assertEquals(List.of(), backend.list(BlockKeys.prefix(TENANT, input.blockId())), "deleted after the grace period");
        }
        assertTrue(backend.exists(output.metaKey()));
        TenantIndex after = TenantIndex.fromGzippedJson(backend.read(BlockKeys.tenantIndex(TENANT)));
        assertEquals(List.of(output.blockId()), after.live().stream().map(BlockMeta::blockId).toList());
        assertEquals(List.of(), after.compacted());
    }

    /**
     * vivace3 stores events and links in trace-level lists by the owning span's index in the row: when a merge drops
     * a duplicate span and combines the rest in another order, each event and link must still come back on its span.
     */
    @Test
    void eventsAndLinksStayWithTheirSpansWhenSplitTracesAreMerged() throws IOException {
        LocalBackend backend = new LocalBackend(dir.resolve("blocks"));
        writeBlock(backend, TENANT, SPAN_START, range(1, 20), true, 1, 2, 4);
        writeBlock(backend, TENANT, SPAN_START, range(10, 30), true, 5, 4, 3, 2); // spans 2 and 4 again, in another order
        Compactor compactor = new Compactor(backend, writer(), policy(0, 1), NO_OVERRIDES, new SimpleMeterRegistry(), clock);

        compactor.runCycle();

        BlockMeta output = TenantIndex.fromGzippedJson(backend.read(BlockKeys.tenantIndex(TENANT))).live().getFirst();
        try (BackendBlock merged = BackendBlock.open(backend, output)) {
            for (long trace = 1; trace <= 30; trace++) {
                TracesData data = merged.findTraceById(traceId(trace)).orElseThrow();
                List<Long> numbers = new ArrayList<>();
                for (ResourceSpans rs : data.getResourceSpansList()) {
                    for (ScopeSpans ss : rs.getScopeSpansList()) {
                        for (Span span : ss.getSpansList()) {
                            long number = span.getSpanId().asReadOnlyByteBuffer().getLong();
                            numbers.add(number);
                            assertEquals(withEventsAndLinks(Span.newBuilder(), number, span.getStartTimeUnixNano()).getEventsList(),
                                    span.getEventsList(), "events of span " + number + " of trace " + trace);
                            assertEquals(withEventsAndLinks(Span.newBuilder(), number, span.getStartTimeUnixNano()).getLinksList(),
                                    span.getLinksList(), "links of span " + number + " of trace " + trace);
                        }
                    }
                }
                numbers.sort(null);
                List<Long> expected = trace < 10 ? List.of(1L, 2L, 4L) : trace <= 20 ? List.of(1L, 2L, 3L, 4L, 5L) : List.of(2L, 3L, 4L, 5L);
                assertEquals(expected, numbers, "spans of trace " + trace);
            }
        }
    }

    /** Span {@code n} gets n % 3 events (in an order that is not by time) and, when n is odd, a link to span n. */
    private static Span.Builder withEventsAndLinks(Span.Builder span, long n, long start) {
        for (int e = 0; e < n % 3; e++) {
            span.addEvents(Span.Event.newBuilder().setName("span-" + n + "-event-" + e).setTimeUnixNano(start + 100 - e)
                    .addAttributes(io.opentelemetry.proto.common.v1.KeyValue.newBuilder().setKey("n")
                            .setValue(io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setIntValue(n))));
        }
        if (n % 2 == 1) {
            span.addLinks(Span.Link.newBuilder().setTraceId(ByteString.copyFrom(traceId(n).toBytes()))
                    .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(n).array())).setTraceState("n=" + n));
        }
        return span;
    }

    @Test
    void blocksOfDifferentWindowsOrLevelsAreNotMerged() throws IOException {
        LocalBackend backend = new LocalBackend(dir.resolve("blocks"));
        writeBlock(backend, SPAN_START, range(1, 10), 1);
        writeBlock(backend, SPAN_START - Duration.ofHours(2).toNanos(), range(11, 20), 1);
        new Compactor(backend, writer(), policy(0, 1), NO_OVERRIDES, new SimpleMeterRegistry(), clock).runCycle();

        TenantIndex index = TenantIndex.fromGzippedJson(backend.read(BlockKeys.tenantIndex(TENANT)));
        assertEquals(2, index.live().size());
        assertTrue(index.live().stream().allMatch(m -> m.compactionLevel() == 0));
    }

    @Test
    void blocksPastRetentionAreRetiredThenDeleted() throws IOException {
        LocalBackend backend = new LocalBackend(dir.resolve("blocks"));
        BlockMeta old = writeBlock(backend, SPAN_START - Duration.ofDays(15).toNanos(), range(1, 10), 1);
        BlockMeta fresh = writeBlock(backend, SPAN_START, range(11, 20), 1);
        Compactor compactor = new Compactor(backend, writer(), policy(0, 1), NO_OVERRIDES, new SimpleMeterRegistry(), clock);

        compactor.runCycle();
        assertFalse(backend.exists(old.metaKey()));
        assertTrue(backend.exists(fresh.metaKey()));
        clock.advance(Duration.ofHours(2));
        compactor.runCycle();
        assertEquals(List.of(), backend.list(BlockKeys.prefix(TENANT, old.blockId())));
        assertTrue(backend.exists(fresh.metaKey()));
    }

    @Test
    void aTenantsRetentionOverrideReplacesTheGlobalOneAndAReloadAppliesNextCycle() throws IOException {
        LocalBackend backend = new LocalBackend(dir.resolve("blocks"));
        long threeDaysAgo = SPAN_START - Duration.ofDays(3).toNanos();
        BlockMeta shortLived = writeBlock(backend, "short-lived", threeDaysAgo, range(1, 10), 1);
        BlockMeta kept = writeBlock(backend, TENANT, threeDaysAgo, range(1, 10), 1);
        BlockMeta longLived = writeBlock(backend, "long-lived", SPAN_START - Duration.ofDays(15).toNanos(), range(1, 10), 1);
        Path file = dir.resolve("overrides.yaml");
        Files.writeString(file, """
                overrides:
                  short-lived:
                    compaction: {block_retention: 48h}
                  long-lived:
                    compaction: {block_retention: 720h}
                """);
        RuntimeOverrides overrides = new RuntimeOverrides(VivaceConfig.Limits.defaults(), Optional.of(file));
        Compactor compactor = new Compactor(backend, writer(), policy(0, 1), overrides, new SimpleMeterRegistry(), clock);
        assertEquals(Duration.ofDays(14), compactor.retention(TENANT), "no override: the global retention");

        compactor.runCycle();
        assertFalse(backend.exists(shortLived.metaKey()), "3 days old, tenant retention 48h: retired");
        assertTrue(backend.exists(kept.metaKey()), "3 days old, global retention 14 days: kept");
        assertTrue(backend.exists(longLived.metaKey()), "15 days old, tenant retention 30 days: kept despite the global 14");

        Files.writeString(file, """
                overrides:
                  team-a:
                    compaction: {block_retention: 24h}
                """);
        assertTrue(overrides.reload());
        compactor.runCycle();
        assertFalse(backend.exists(kept.metaKey()), "the reloaded override applies without a new compactor");
        assertFalse(backend.exists(longLived.metaKey()), "its override is gone: the global 14 days apply");
    }

    @Test
    void twoCompactorsShareTheWorkWithoutOverlap() {
        CompactionPolicy first = policy(0, 2);
        CompactionPolicy second = policy(1, 2);
        int firstOwns = 0;
        for (int i = 0; i < 1000; i++) {
            String key = TENANT + "/" + UUID.nameUUIDFromBytes(new byte[] {(byte) i, (byte) (i >> 8)});
            assertTrue(first.owns(key) ^ second.owns(key), "exactly one owner of " + key);
            firstOwns += first.owns(key) ? 1 : 0;
        }
        assertTrue(firstOwns > 400 && firstOwns < 600, "roughly even split: " + firstOwns);
    }

    private BlockWriter writer() {
        return new BlockWriter(BlockConfig.DEFAULT, dir.resolve("scratch"));
    }

    private static long[] range(long from, long to) {
        return LongStream.rangeClosed(from, to).toArray();
    }

    private static BlockMeta writeBlock(LocalBackend backend, long startNanos, long[] traces, long... spans) throws IOException {
        return writeBlock(backend, TENANT, startNanos, traces, spans);
    }

    /** A level-0 block of {@code tenant} holding the given traces, each with the given span numbers. */
    private static BlockMeta writeBlock(LocalBackend backend, String tenant, long startNanos, long[] traces, long... spans)
            throws IOException {
        return writeBlock(backend, tenant, startNanos, traces, false, spans);
    }

    private static BlockMeta writeBlock(LocalBackend backend, String tenant, long startNanos, long[] traces,
                                        boolean eventsAndLinks, long... spans) throws IOException {
        List<TraceRecord> records = new ArrayList<>();
        for (long t : traces) {
            ScopeSpans.Builder scope = ScopeSpans.newBuilder();
            for (long s : spans) {
                Span.Builder span = Span.newBuilder().setTraceId(ByteString.copyFrom(traceId(t).toBytes()))
                        .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(s).array())).setName("op-" + s)
                        .setStartTimeUnixNano(startNanos + s).setEndTimeUnixNano(startNanos + s + 1000);
                scope.addSpans(eventsAndLinks ? withEventsAndLinks(span, s, startNanos + s) : span);
            }
            records.add(new TraceRecord(traceId(t), TracesData.newBuilder()
                    .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope)).build()));
        }
        return new BlockWriter(BlockConfig.DEFAULT).write(backend, tenant, UUID.randomUUID(), 0, records.iterator());
    }

    private static TraceId traceId(long n) {
        return new TraceId(0x7ace, n);
    }

    private static List<Long> spanNumbers(BackendBlock block, long trace) throws IOException {
        TracesData data = block.findTraceById(traceId(trace)).orElseThrow();
        List<Long> numbers = new ArrayList<>();
        data.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> ss.getSpansList()
                .forEach(s -> numbers.add(s.getSpanId().asReadOnlyByteBuffer().getLong()))));
        numbers.sort(null);
        return numbers;
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
