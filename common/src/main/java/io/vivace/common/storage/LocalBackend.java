package io.vivace.common.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** A {@link Backend} over a local folder: each key is a file path below the root. */
public final class LocalBackend implements Backend {

    /** Objects are written to {@code .<name>.<uuid>.tmp} beside the target and renamed into place. */
    private static final Pattern TEMP_FILE = Pattern.compile("\\..+\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.tmp");
    /** How often a write retries when a concurrent delete removes the (empty) folder it just created. */
    private static final int FOLDER_RACE_ATTEMPTS = 10;

    private final Path root;

    public LocalBackend(Path root) throws IOException {
        this.root = root.toAbsolutePath();
        Files.createDirectories(this.root);
    }

    public Path root() {
        return root;
    }

    /** The file holding {@code key}; lets local readers use the file directly. */
    public Path pathOf(String key) {
        return root.resolve(ObjectKeys.requireValid(key));
    }

    @Override
    public void write(String key, byte[] data) throws IOException {
        Path target = pathOf(key);
        Path tmp = createTempBeside(target);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            moveIntoPlace(tmp, target);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    @Override
    public void writeFile(String key, Path source) throws IOException {
        Path target = pathOf(key);
        Path tmp = createTempBeside(target);
        try {
            Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            moveIntoPlace(tmp, target);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /**
     * Creates the empty temp file for {@code target}. {@link #delete} removes folders it leaves empty, so a
     * folder can vanish while it is being created (createDirectories then reports it as existing yet not a
     * folder) or just before the file is created in it; once the temp file exists the folder is not empty
     * and stays.
     */
    private static Path createTempBeside(Path target) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        for (int attempt = 1; ; attempt++) {
            try {
                Files.createDirectories(target.getParent());
                return Files.createFile(tmp);
            } catch (NoSuchFileException | FileAlreadyExistsException e) {
                if (attempt == FOLDER_RACE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public byte[] read(String key) throws IOException {
        try {
            return Files.readAllBytes(pathOf(key));
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        }
    }

    @Override
    public byte[] readRange(String key, long offset, int length) throws IOException {
        ObjectKeys.requireValidRange(offset, length);
        try (FileChannel ch = FileChannel.open(pathOf(key), StandardOpenOption.READ)) {
            long size = ch.size();
            if (offset + length > size) {
                throw new InvalidRangeException(key, offset, length, size);
            }
            ByteBuffer buf = ByteBuffer.allocate(length);
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) {
                    throw new IOException("unexpected end of " + key);
                }
            }
            return buf.array();
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        }
    }

    @Override
    public long size(String key) throws IOException {
        try {
            return Files.size(pathOf(key));
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        }
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(pathOf(key));
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        List<String> keys = new ArrayList<>();
        // A visitor rather than Files.walk, so that folders deleted while we walk are skipped, not fatal.
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String key = root.relativize(file).toString().replace('\\', '/');
                if (attrs.isRegularFile() && key.startsWith(prefix) && !isTempFile(file.getFileName().toString())) {
                    keys.add(key);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                return skipIfDeleted(e);
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                return e == null ? FileVisitResult.CONTINUE : skipIfDeleted(e);
            }

            private static FileVisitResult skipIfDeleted(IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        keys.sort(null);
        return keys;
    }

    @Override
    public List<String> children(String prefix) throws IOException {
        String folder = ObjectKeys.folder(prefix);
        Path dir = folder.isEmpty() ? root : root.resolve(folder.substring(0, folder.length() - 1));
        List<String> names = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.map(p -> p.getFileName().toString()).filter(n -> !isTempFile(n)).forEach(names::add);
        } catch (NoSuchFileException | NotDirectoryException e) {
            return List.of();
        }
        names.sort(null);
        return names;
    }

    private static boolean isTempFile(String name) {
        return TEMP_FILE.matcher(name).matches();
    }

    @Override
    public void delete(String key) throws IOException {
        Path p = pathOf(key);
        Files.deleteIfExists(p);
        // Remove folders left empty, up to the root, so deleted blocks leave no trace.
        Path dir = p.getParent();
        while (dir != null && !dir.equals(root)) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    break;
                }
            } catch (NoSuchFileException e) {
                dir = dir.getParent();
                continue;
            }
            try {
                Files.deleteIfExists(dir);
            } catch (DirectoryNotEmptyException e) {
                break; // a concurrent write put something here after we looked
            }
            dir = dir.getParent();
        }
    }
}
