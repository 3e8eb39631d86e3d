package io.vivace.compactor;

import io.vivace.common.block.BlockKeys;
import io.vivace.common.block.BlockMeta;
import io.vivace.common.block.TenantIndex.CompactedBlock;
import io.vivace.common.storage.Backend;
import io.vivace.common.storage.ObjectNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A tenant's blocks as the backend lists them: live (with {@code meta.json}) and compacted. */
record TenantBlocks(List<BlockMeta> live, List<CompactedBlock> compacted) {

    /** Reads every block's meta; a folder with neither meta (a block being written) is skipped. */
    static TenantBlocks list(Backend backend, String tenant) throws IOException {
        List<BlockMeta> live = new ArrayList<>();
        List<CompactedBlock> compacted = new ArrayList<>();
        for (String child : backend.children(tenant + "/")) {
            UUID id;
            try {
                id = UUID.fromString(child);
            } catch (IllegalArgumentException e) {
                continue; // the tenant index, or something that is not a block
            }
            try {
                live.add(BlockMeta.fromJson(backend.read(BlockKeys.meta(tenant, id))));
            } catch (ObjectNotFoundException notLive) {
                try {
                    compacted.add(CompactedBlock.fromJson(backend.read(BlockKeys.compactedMeta(tenant, id))));
                } catch (ObjectNotFoundException neither) {
                    // Still being written (meta.json comes last), or half deleted: not ours to touch.
                }
            }
        }
        return new TenantBlocks(live, compacted);
    }
}
