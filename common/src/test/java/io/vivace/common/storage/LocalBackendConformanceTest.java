package io.vivace.common.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalBackendConformanceTest extends BackendConformanceTest {

    @Override
    Backend openEmptyBackend(Path folder) throws Exception {
        return new LocalBackend(folder);
    }

    @Test
    void tempFileLeftByACrashedWriteIsInvisible() throws Exception {
        backend.write("t1/b1/meta.json", new byte[] {1});
        Path root = ((LocalBackend) backend).root();
        Files.write(root.resolve("t1/b1/.meta.json.0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0.tmp"), new byte[] {2});

        assertEquals(List.of("t1/b1/meta.json"), backend.list(""));
        assertEquals(List.of("meta.json"), backend.children("t1/b1/"));
    }
}
