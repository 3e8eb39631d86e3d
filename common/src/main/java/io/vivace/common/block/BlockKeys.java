package io.vivace.common.block;

import java.util.UUID;

/** Object names of a block: {@code <tenant>/<blockId>/{data.parquet, bloom-N, meta.json}}, as Tempo lays them out. */
public final class BlockKeys {

    public static final String DATA = "data.parquet";
    public static final String META = "meta.json";
    /** Replaces {@code meta.json} once the block was compacted into another or expired; deleted after a grace period. */
    public static final String COMPACTED_META = "meta.compacted.json";
    public static final String TENANT_INDEX = "index.json.gz";
    public static final String BLOOM_PREFIX = "bloom-";

    private BlockKeys() {
    }

    /** {@code <tenant>/<blockId>/}, the prefix of every object of the block. */
    public static String prefix(String tenant, UUID blockId) {
        return tenant + "/" + blockId + "/";
    }

    public static String data(String tenant, UUID blockId) {
        return prefix(tenant, blockId) + DATA;
    }

    public static String meta(String tenant, UUID blockId) {
        return prefix(tenant, blockId) + META;
    }

    public static String compactedMeta(String tenant, UUID blockId) {
        return prefix(tenant, blockId) + COMPACTED_META;
    }

    /** {@code <tenant>/index.json.gz}: the tenant's live and compacted blocks, written by the compactor. */
    public static String tenantIndex(String tenant) {
        return tenant + "/" + TENANT_INDEX;
    }

    public static String bloom(String tenant, UUID blockId, int shard) {
        return prefix(tenant, blockId) + BLOOM_PREFIX + shard;
    }
}
