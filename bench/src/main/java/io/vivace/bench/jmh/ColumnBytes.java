package io.vivace.bench.jmh;

import io.vivace.common.block.parquet.GrowableBytes;
import io.vivace.common.block.parquet.PageCodec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;

/**
 * Where a column's bytes go: page headers, and the levels and values of its data pages, each compressed on its own
 * (zstd level 1) so the split shows which of the two a format change should target. Only data page v1 is split.
 */
final class ColumnBytes {

    record Split(String column, long total, long headers, long dictionary, long levels, long values, int pages) {
    }

    private ColumnBytes() {
    }

    static List<Split> of(byte[] file, ParquetMetadata footer) throws IOException {
        List<Split> splits = new ArrayList<>();
        try (PageCodec codec = new PageCodec()) {
            for (BlockMetaData group : footer.getBlocks()) {
                for (ColumnChunkMetaData chunk : group.getColumns()) {
                    splits.add(split(file, chunk, codec));
                }
            }
        }
        return splits;
    }

    private static Split split(byte[] file, ColumnChunkMetaData chunk, PageCodec codec) throws IOException {
        long start = chunk.hasDictionaryPage() ? chunk.getDictionaryPageOffset() : chunk.getFirstDataPageOffset();
        long end = start + chunk.getTotalSize();
        long headers = 0;
        long dictionary = 0;
        long levels = 0;
        long values = 0;
        int pages = 0;
        GrowableBytes out = new GrowableBytes(1024);
        for (long at = start; at < end; ) {
            ByteArrayInputStream in = new ByteArrayInputStream(file, (int) at, (int) (end - at));
            PageHeader header = Util.readPageHeader(in);
            int headerLength = (int) (end - at) - in.available();
            headers += headerLength;
            int bodyAt = (int) at + headerLength;
            int compressed = header.getCompressed_page_size();
            if (header.getType() == PageType.DICTIONARY_PAGE) {
                dictionary += compressed;
            } else if (header.getType() == PageType.DATA_PAGE && chunk.getCodec() == CompressionCodecName.ZSTD) {
                pages++;
                byte[] body = new byte[header.getUncompressed_page_size()];
                codec.decompress(chunk.getCodec(), file, bodyAt, compressed, body, body.length);
                int levelEnd = levelSectionsEnd(body, chunk);
                out.reset();
                levels += levelEnd == 0 ? 0 : codec.compress(chunk.getCodec(), body, 0, levelEnd, out);
                out.reset();
                values += body.length == levelEnd ? 0 : codec.compress(chunk.getCodec(), body, levelEnd, body.length - levelEnd, out);
            } else {
                values += compressed;
            }
            at = bodyAt + compressed;
        }
        return new Split(chunk.getPath().toDotString(), chunk.getTotalSize(), headers, dictionary, levels, values, pages);
    }

    /** The end of the repetition and definition level sections (each a 4-byte length, then the levels). */
    private static int levelSectionsEnd(byte[] body, ColumnChunkMetaData chunk) {
        int sections = levelSections(chunk);
        int at = 0;
        for (int i = 0; i < sections; i++) {
            int length = (body[at] & 0xFF) | (body[at + 1] & 0xFF) << 8 | (body[at + 2] & 0xFF) << 16 | (body[at + 3] & 0xFF) << 24;
            at += 4 + length;
        }
        return at;
    }

    private static int levelSections(ColumnChunkMetaData chunk) {
        String[] path = chunk.getPath().toArray();
        boolean repeated = false;
        for (String part : path) {
            if (part.equals("list") || part.equals("key_value")) {
                repeated = true;
            }
        }
        // Every leaf under a list has both sections; top-level required leaves have none; optional ones have one.
        return repeated ? 2 : 0;
    }

    static void print(List<Split> splits, long spans, int limit) {
        System.out.printf(Locale.ROOT, "  %7s %7s %7s %7s %7s %5s  %s%n", "B/span", "headers", "dict", "levels", "values", "pages", "column (levels/values compressed alone)");
        splits.stream().sorted(Comparator.comparingLong(Split::total).reversed()).limit(limit).forEach(s ->
                System.out.printf(Locale.ROOT, "  %7.2f %7.2f %7.2f %7.2f %7.2f %5d  %s%n", (double) s.total() / spans,
                        (double) s.headers() / spans, (double) s.dictionary() / spans, (double) s.levels() / spans,
                        (double) s.values() / spans, s.pages(), s.column()));
        long headers = splits.stream().mapToLong(Split::headers).sum();
        long levels = splits.stream().mapToLong(Split::levels).sum();
        long values = splits.stream().mapToLong(Split::values).sum();
        long dict = splits.stream().mapToLong(Split::dictionary).sum();
        System.out.printf(Locale.ROOT, "  all columns: headers %.2f, dictionaries %.2f, levels %.2f, values %.2f B/span%n",
                (double) headers / spans, (double) dict / spans, (double) levels / spans, (double) values / spans);
        Map<String, List<Split>> byPart = splits.stream().collect(Collectors.groupingBy(s -> partOf(s.column()), TreeMap::new,
                Collectors.toList()));
        byPart.forEach((part, columns) -> System.out.printf(Locale.ROOT,
                "  part %-28s %2d columns: %6.2f B/span (levels %.2f, values %.2f)%n", part, columns.size(),
                (double) columns.stream().mapToLong(Split::total).sum() / spans,
                (double) columns.stream().mapToLong(Split::levels).sum() / spans,
                (double) columns.stream().mapToLong(Split::values).sum() / spans));
    }

    /** Which part of a block a column belongs to, by path, whichever the format (events and links in spans or not). */
    static String partOf(String column) {
        if (column.contains("Events.list.element.")) {
            return "events";
        }
        if (column.contains("Links.list.element.")) {
            return "links";
        }
        if (column.contains("Spans.list.element.Attrs.")) {
            return "span generic Attrs";
        }
        if (column.contains("Spans.list.element.")) {
            return "span (other)";
        }
        return column.startsWith("rs.") ? "resource and scope" : "trace-level";
    }
}
