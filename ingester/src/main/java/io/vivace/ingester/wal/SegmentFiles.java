package io.vivace.ingester.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Names, listing and the fixed header of segment files ({@code 00000000000000000001.wal}). */
final class SegmentFiles {

    /** "VWAL". */
    static final int MAGIC = 0x5657414C;
    static final int VERSION = 1;
    /** Magic then version, both big-endian ints. */
    static final int HEADER_BYTES = 8;

    private static final Pattern NAME = Pattern.compile("\\d{20}\\.wal");
    private static final boolean WINDOWS =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    private SegmentFiles() {
    }

    static Path path(Path dir, long segment) {
        return dir.resolve(String.format(Locale.ROOT, "%020d.wal", segment));
    }

    /** The segment numbers present in {@code dir}, ascending. */
    static List<Long> list(Path dir) throws IOException {
        List<Long> segments = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (NAME.matcher(name).matches()) {
                    segments.add(Long.parseLong(name, 0, 20, 10));
                }
            }
        }
        segments.sort(null);
        return segments;
    }

    static void putHeader(ByteBuffer buffer) {
        buffer.putInt(MAGIC).putInt(VERSION);
    }

    /**
     * Makes a file's creation or deletion durable. Without it a power loss can drop a new segment's
     * directory entry even though the segment's data were forced.
     */
    static void syncDirectory(Path dir) throws IOException {
        if (WINDOWS) {
            return; // NTFS journals directory entries; directories cannot be opened for force() there
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
