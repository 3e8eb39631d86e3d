package io.vivace.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The JMH annotation processor must have run (it needs {@code <proc>full</proc>} on JDK 23+). */
class BenchmarkListTest {

    @Test
    void benchmarkListIsGenerated() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/BenchmarkList")) {
            assertNotNull(in, "META-INF/BenchmarkList missing: JMH annotation processing did not run");
            String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(list.contains("SyntheticExportBenchmark_generateAndEncode_jmhTest"), list);
        }
    }

    @Test
    void benchmarkBuildsAThousandSpanRequest() {
        SyntheticExportBenchmark benchmark = new SyntheticExportBenchmark();
        benchmark.spansPerTrace = 20;
        benchmark.setUp();
        byte[] encoded = benchmark.generateAndEncode();
        assertTrue(encoded.length > 100_000, "1000 realistic spans encode to more than 100 kB, got " + encoded.length);
    }
}
