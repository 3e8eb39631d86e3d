package io.vivace.common.block;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * A block's {@code meta.json}, with Tempo's JSON keys so Tempo tooling can list Vivace blocks.
 *
 * @param format          block format version, {@value TraceSchema#FORMAT} for this one
 * @param startTime       earliest span start in the block
 * @param endTime         latest span end in the block
 * @param totalObjects    number of traces (rows)
 * @param size            bytes of {@code data.parquet}
 * @param compactionLevel 0 when written from ingested data, max(inputs) + 1 after compaction
 * @param totalRecords    number of Parquet row groups (Tempo's meaning for Parquet blocks)
 * @param bloomShards     number of {@code bloom-N} objects
 * @param footerSize      bytes of the Parquet footer (the metadata before the 8-byte trailer)
 * @param totalSpans      number of spans (Vivace's addition; 0 when absent)
 */
public record BlockMeta(String format, UUID blockId, String tenantId, Instant startTime, Instant endTime,
                        long totalObjects, long size, int compactionLevel, int totalRecords, int bloomShards,
                        int footerSize, long totalSpans) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public String dataKey() {
        return BlockKeys.data(tenantId, blockId);
    }

    public String metaKey() {
        return BlockKeys.meta(tenantId, blockId);
    }

    public String bloomKey(int shard) {
        return BlockKeys.bloom(tenantId, blockId, shard);
    }

    /** RFC 3339 times (UTC, fractional seconds only when non-zero), keys in Tempo's order. */
    public byte[] toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("format", format);
        node.put("blockID", blockId.toString());
        node.put("tenantID", tenantId);
        node.put("startTime", startTime.toString());
        node.put("endTime", endTime.toString());
        node.put("totalObjects", totalObjects);
        node.put("size", size);
        node.put("compactionLevel", compactionLevel);
        node.put("totalRecords", totalRecords);
        node.put("bloomShards", bloomShards);
        node.put("footerSize", footerSize);
        node.put("totalSpans", totalSpans);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a meta.json; unknown keys are ignored, missing numbers are 0. */
    public static BlockMeta fromJson(byte[] json) throws IOException {
        JsonNode node = JSON.readTree(json);
        if (node == null || !node.isObject()) {
            throw new IOException("meta.json is not a JSON object");
        }
        try {
            return new BlockMeta(
                    required(node, "format").asText(),
                    UUID.fromString(required(node, "blockID").asText()),
                    required(node, "tenantID").asText(),
                    Instant.parse(required(node, "startTime").asText()),
                    Instant.parse(required(node, "endTime").asText()),
                    node.path("totalObjects").asLong(),
                    node.path("size").asLong(),
                    node.path("compactionLevel").asInt(),
                    node.path("totalRecords").asInt(),
                    node.path("bloomShards").asInt(),
                    node.path("footerSize").asInt(),
                    node.path("totalSpans").asLong());
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IOException("invalid meta.json: " + e.getMessage(), e);
        }
    }

    /** Whether the block's time range meets {@code startSeconds..endSeconds} (unix seconds; 0 = unbounded). */
    public boolean overlapsSeconds(long startSeconds, long endSeconds) {
        return (endSeconds == 0 || startTime.getEpochSecond() <= endSeconds)
                && (startSeconds == 0 || endTime.getEpochSecond() >= startSeconds);
    }

    private static JsonNode required(JsonNode node, String key) throws IOException {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            throw new IOException("meta.json has no " + key);
        }
        return value;
    }
}
