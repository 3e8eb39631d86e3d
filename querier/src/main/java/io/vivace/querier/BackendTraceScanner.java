package io.vivace.querier;

import io.vivace.common.query.ColumnarBlockScanner;
import io.vivace.common.query.TimeWindow;
import io.vivace.common.query.TraceScanSource;
import io.vivace.common.query.TraceVisitor;
import java.io.IOException;
import java.util.HashSet;

/** Search and tag scans over the tenant's backend blocks in the blocklist, newest block first. */
public final class BackendTraceScanner implements TraceScanSource {

    private final Blocklist blocklist;

    public BackendTraceScanner(Blocklist blocklist) {
        this.blocklist = blocklist;
    }

    @Override
    public void scan(String tenant, TimeWindow window, TraceVisitor visitor) throws IOException {
        ColumnarBlockScanner.scan(blocklist.blocks(tenant), window, new HashSet<>(), visitor);
    }
}
