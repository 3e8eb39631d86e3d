package io.vivace.common.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/** A {@link Backend} over a local folder: each key is a file path below the root. */
public final class LocalBackend implements Backend {

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
        if (key.isEmpty() || key.startsWith("/") || key.contains("..") || key.contains("\\")) {
            throw new IllegalArgumentException("invalid object key: " + key);
        }
        return root.resolve(key);
    }

    @Override
    public void write(String key, byte[] data) throws IOException {
        Path target = pathOf(key);
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        moveIntoPlace(tmp, target);
    }

    @Override
    public void writeFile(String key, Path source) throws IOException {
        Path target = pathOf(key);
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        Files.copy(source, tmp);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        moveIntoPlace(tmp, target);
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
        try (FileChannel ch = FileChannel.open(pathOf(key), StandardOpenOption.READ)) {
            if (offset < 0 || offset + length > ch.size()) {
                throw new IOException("range " + offset + "+" + length + " outside object " + key + " of " + ch.size() + " bytes");
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
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile).forEach(p -> {
                String key = root.relativize(p).toString().replace('\\', '/');
                if (key.startsWith(prefix) && !p.getFileName().toString().startsWith(".")) {
                    keys.add(key);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public List<String> children(String prefix) throws IOException {
        Path dir = prefix.isEmpty() ? root : pathOf(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).forEach(names::add);
        }
        names.sort(null);
        return names;
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
            Files.deleteIfExists(dir);
            dir = dir.getParent();
        }
    }
}
