package io.vivace.querier;

import io.vivace.common.block.BackendBlock;
import io.vivace.common.block.BlockKeys;
import io.vivace.common.block.BlockMeta;
import io.vivace.common.storage.Backend;
import io.vivace.common.storage.ObjectNotFoundException;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocks in the backend, per tenant, refreshed by {@link #poll()}. A block counts once its
 * {@code meta.json} exists (written last). Blocks that disappear from the backend are dropped.
 */
public final class Blocklist {

    private static final Logger log = LoggerFactory.getLogger(Blocklist.class);

    private final Backend backend;
    private final Map<String, List<BackendBlock>> byTenant = new ConcurrentHashMap<>();

    public Blocklist(Backend backend) {
        this.backend = backend;
    }

    public List<BackendBlock> blocks(String tenant) {
        return byTenant.getOrDefault(tenant, List.of());
    }

    /** Lists the backend and opens new blocks; returns how many blocks are known afterwards. */
    public synchronized int poll() throws IOException {
        int total = 0;
        Set<String> tenants = new HashSet<>(backend.children(""));
        for (String tenant : tenants) {
            List<String> ids = backend.children(tenant + "/");
            Map<String, BackendBlock> known = new HashMap<>();
            for (BackendBlock b : blocks(tenant)) {
                known.put(b.meta().blockId().toString(), b);
            }
            List<BackendBlock> current = new CopyOnWriteArrayList<>();
            for (String id : ids) {
                BackendBlock block = known.remove(id);
                if (block == null) {
                    block = open(tenant, id);
                }
                if (block != null) {
                    current.add(block);
                }
            }
            byTenant.put(tenant, current);
            known.values().forEach(BackendBlock::close); // gone from the backend
            total += current.size();
        }
        for (String gone : Set.copyOf(byTenant.keySet())) {
            if (!tenants.contains(gone)) {
                byTenant.remove(gone).forEach(BackendBlock::close);
            }
        }
        return total;
    }

    private BackendBlock open(String tenant, String id) {
        UUID blockId;
        try {
            blockId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null; // not a block folder
        }
        try {
            BlockMeta meta = BlockMeta.fromJson(backend.read(BlockKeys.meta(tenant, blockId)));
            return BackendBlock.open(backend, meta);
        } catch (ObjectNotFoundException e) {
            return null; // still being written, or not a block
        } catch (IOException | RuntimeException e) {
            log.warn("skipping block {}/{}: {}", tenant, id, e.toString());
            return null;
        }
    }

}
