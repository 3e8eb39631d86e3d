package io.vivace.common.query;

import java.io.IOException;

/**
 * Something holding a tenant's traces that can hand them over one by one for search and tag queries: the
 * ingester's recent data, or the backend blocks. A scan runs on the caller's thread.
 */
public interface TraceScanSource {

    /**
     * Hands every trace of the tenant that may overlap the window to the visitor, newest data first, each trace
     * combined from all its parts in this source, until the visitor returns false.
     */
    void scan(String tenant, TimeWindow window, TraceVisitor visitor) throws IOException;
}
