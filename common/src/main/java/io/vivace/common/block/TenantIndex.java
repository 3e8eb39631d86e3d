package io.vivace.common.block;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * {@code <tenant>/index.json.gz} as Tempo writes it: {@code {"created_at", "meta": [...], "compacted": [...]}},
 * gzipped. Queriers read it instead of listing the bucket on every poll.
 */
public record TenantIndex(Instant createdAt, List<BlockMeta> live, List<CompactedBlock> compacted) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A block that was compacted into another (or expired) at {@code compactedTime}. */
    public record CompactedBlock(BlockMeta meta, Instant compactedTime) {

        /** Tempo's {@code meta.compacted.json}: the block's meta plus {@code compactedTime}. */
        public byte[] toJson() {
            return toNode().toString().getBytes(StandardCharsets.UTF_8);
        }

        ObjectNode toNode() {
            try {
                ObjectNode node = (ObjectNode) JSON.readTree(meta.toJson());
                node.put("compactedTime", compactedTime.toString());
                return node;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        public static CompactedBlock fromJson(byte[] json) throws IOException {
            return fromNode(JSON.readTree(json));
        }

        static CompactedBlock fromNode(JsonNode node) throws IOException {
            JsonNode time = node.get("compactedTime");
            if (time == null) {
                throw new IOException("compacted meta has no compactedTime");
            }
            return new CompactedBlock(BlockMeta.fromJson(JSON.writeValueAsBytes(node)), Instant.parse(time.asText()));
        }
    }

    public byte[] toGzippedJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("created_at", createdAt.toString());
        ArrayNode metas = root.putArray("meta");
        ArrayNode compactedMetas = root.putArray("compacted");
        try {
            for (BlockMeta meta : live) {
                metas.add(JSON.readTree(meta.toJson()));
            }
            for (CompactedBlock block : compacted) {
                compactedMetas.add(block.toNode());
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
                JSON.writeValue(gzip, root);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write tenant index", e);
        }
    }

    public static TenantIndex fromGzippedJson(byte[] data) throws IOException {
        JsonNode root;
        try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(data))) {
            root = JSON.readTree(gzip);
        }
        if (root == null || !root.isObject() || !root.hasNonNull("created_at")) {
            throw new IOException("tenant index is not an object with created_at");
        }
        List<BlockMeta> live = new ArrayList<>();
        for (JsonNode node : root.path("meta")) {
            live.add(BlockMeta.fromJson(JSON.writeValueAsBytes(node)));
        }
        List<CompactedBlock> compacted = new ArrayList<>();
        for (JsonNode node : root.path("compacted")) {
            compacted.add(CompactedBlock.fromNode(node));
        }
        try {
            return new TenantIndex(Instant.parse(root.get("created_at").asText()), live, compacted);
        } catch (DateTimeParseException e) {
            throw new IOException("tenant index has an invalid created_at", e);
        }
    }
}
