package io.vivace.common.block;

import com.google.protobuf.ByteString;
import java.util.List;

/**
 * An attribute that gets its own column instead of a row in the generic {@code Attrs} list, so queries on it
 * read one small column. It moves to its column only when its value has the column's type; otherwise (and for
 * a second occurrence of the same key) it stays generic.
 *
 * <p>{@link #ALL} is the single table: adding a column is adding one line there.
 */
public record WellKnownAttribute(Level level, String key, String column, ValueType type) {

    public enum Level { RESOURCE, SPAN }

    public enum ValueType { STRING, INT }

    /** Every well-known column, in schema order within its level. */
    public static final List<WellKnownAttribute> ALL = List.of(
            resource("cluster", "Cluster"),
            resource("namespace", "Namespace"),
            resource("pod", "Pod"),
            resource("container", "Container"),
            resource("k8s.cluster.name", "K8sClusterName"),
            resource("k8s.namespace.name", "K8sNamespaceName"),
            resource("k8s.pod.name", "K8sPodName"),
            resource("k8s.container.name", "K8sContainerName"),
            span("http.method", "HttpMethod", ValueType.STRING),
            span("http.url", "HttpUrl", ValueType.STRING),
            span("http.status_code", "HttpStatusCode", ValueType.INT),
            span("http.request.method", "HttpRequestMethod", ValueType.STRING),
            span("http.response.status_code", "HttpResponseStatusCode", ValueType.INT),
            span("http.route", "HttpRoute", ValueType.STRING),
            span("url.path", "UrlPath", ValueType.STRING),
            span("url.full", "UrlFull", ValueType.STRING),
            span("server.address", "ServerAddress", ValueType.STRING),
            span("db.system", "DbSystem", ValueType.STRING),
            span("rpc.service", "RpcService", ValueType.STRING));

    /** The resource-level entries of {@link #ALL}, in order. */
    public static final List<WellKnownAttribute> RESOURCE = of(Level.RESOURCE);

    /** The span-level entries of {@link #ALL}, in order. */
    public static final List<WellKnownAttribute> SPAN = of(Level.SPAN);

    private static WellKnownAttribute resource(String key, String column) {
        return new WellKnownAttribute(Level.RESOURCE, key, column, ValueType.STRING);
    }

    private static WellKnownAttribute span(String key, String column, ValueType type) {
        return new WellKnownAttribute(Level.SPAN, key, column, type);
    }

    private static List<WellKnownAttribute> of(Level level) {
        return ALL.stream().filter(a -> a.level == level).toList();
    }

    private static final KeyTable RESOURCE_KEYS = new KeyTable(RESOURCE);
    private static final KeyTable SPAN_KEYS = new KeyTable(SPAN);

    /** The position of the attribute key {@code key} (UTF-8) in {@link #RESOURCE} or {@link #SPAN}, or -1. */
    static int indexOf(Level level, ByteString key) {
        return (level == Level.RESOURCE ? RESOURCE_KEYS : SPAN_KEYS).indexOf(key);
    }

    /**
     * Open addressing on (length, last byte): the writer asks for every attribute key, and most are not well-known,
     * so a miss must cost about one array read rather than a string hash.
     */
    private static final class KeyTable {
        private static final int SIZE = 64;
        private final ByteString[] keys = new ByteString[SIZE];
        private final int[] positions = new int[SIZE];

        KeyTable(List<WellKnownAttribute> columns) {
            for (int i = 0; i < columns.size(); i++) {
                ByteString key = ByteString.copyFromUtf8(columns.get(i).key);
                int slot = slotOf(key);
                while (keys[slot] != null) {
                    slot = (slot + 1) & (SIZE - 1);
                }
                keys[slot] = key;
                positions[slot] = i;
            }
        }

        int indexOf(ByteString key) {
            if (key.isEmpty()) {
                return -1;
            }
            for (int slot = slotOf(key); keys[slot] != null; slot = (slot + 1) & (SIZE - 1)) {
                if (keys[slot].equals(key)) {
                    return positions[slot];
                }
            }
            return -1;
        }

        private static int slotOf(ByteString key) {
            int n = key.size();
            return (n * 31 + (key.byteAt(n - 1) & 0xFF)) & (SIZE - 1);
        }
    }
}
