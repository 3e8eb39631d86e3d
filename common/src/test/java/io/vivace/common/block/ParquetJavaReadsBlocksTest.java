package io.vivace.common.block;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vivace.common.storage.LocalBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import io.vivace.common.block.parquet.PageCodecDecompressors;
import org.apache.parquet.NoHadoopReadOptions;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * parquet-java's own record reader (what Spark and most JVM tools use) reads a block of the current format as nested records: every
 * trace's trace-level {@code Events} and {@code Links} lists hold the events and links of its spans, in span order,
 * each with the index of its span.
 */
class ParquetJavaReadsBlocksTest {

    @TempDir
    Path dir;

    @Test
    void traceLevelEventAndLinkListsReadAsNestedRecords() throws IOException {
        List<TraceRecord> traces = new TraceGenerator(33).traces(40);
        LocalBackend backend = new LocalBackend(dir.resolve("store"));
        BlockMeta meta = new BlockWriter(BlockConfig.DEFAULT.withPageRowCountLimit(7).withPageMinEntryCount(30),
                dir.resolve("scratch")).write(backend, "tenant", UUID.randomUUID(), 0, traces.iterator());

        List<List<String>> expected = new ArrayList<>();
        for (TraceRecord trace : traces) {
            expected.add(eventsAndLinksInSpanOrder(trace));
        }
        List<List<String>> read = new ArrayList<>();
        try (ParquetFileReader reader = new ParquetFileReader(new LocalInputFile(backend.pathOf(meta.dataKey())),
                NoHadoopReadOptions.create(new PageCodecDecompressors(), FilterCompat.NOOP))) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records = new ColumnIOFactory().getColumnIO(schema)
                        .getRecordReader(pages, new GroupRecordConverter(schema));
                for (long r = 0; r < pages.getRowCount(); r++) {
                    read.add(eventsAndLinks(records.read()));
                }
            }
        }
        assertEquals(expected, read);
    }

    private static List<String> eventsAndLinksInSpanOrder(TraceRecord trace) {
        List<String> out = new ArrayList<>();
        List<Span> spans = new ArrayList<>();
        for (ResourceSpans rs : trace.trace().getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                spans.addAll(ss.getSpansList());
            }
        }
        for (int i = 0; i < spans.size(); i++) {
            for (Span.Event event : spans.get(i).getEventsList()) {
                out.add("event " + i + " " + event.getName() + " " + (event.getTimeUnixNano() - spans.get(i).getStartTimeUnixNano()));
            }
        }
        for (int i = 0; i < spans.size(); i++) {
            for (Span.Link link : spans.get(i).getLinksList()) {
                out.add("link " + i + " " + link.getTraceState() + " " + link.getFlags());
            }
        }
        return out;
    }

    private static List<String> eventsAndLinks(Group row) {
        List<String> out = new ArrayList<>();
        Group events = row.getGroup("Events", 0);
        for (int e = 0; e < events.getFieldRepetitionCount("list"); e++) {
            Group event = events.getGroup("list", e).getGroup("element", 0);
            out.add("event " + event.getInteger("SpanIndex", 0) + " " + event.getString("Name", 0) + " "
                    + event.getLong("TimeSinceStartNano", 0));
        }
        Group links = row.getGroup("Links", 0);
        for (int l = 0; l < links.getFieldRepetitionCount("list"); l++) {
            Group link = links.getGroup("list", l).getGroup("element", 0);
            out.add("link " + link.getInteger("SpanIndex", 0) + " " + link.getString("TraceState", 0) + " "
                    + link.getInteger("Flags", 0));
        }
        return out;
    }
}
