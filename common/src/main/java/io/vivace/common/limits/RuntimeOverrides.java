package io.vivace.common.limits;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializerBase;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vivace.common.config.GoDuration;
import io.vivace.common.config.VivaceConfig;
import io.vivace.common.reload.WatchedFile;
import io.vivace.common.tenant.TenantId;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * {@code overrides.defaults} from the configuration, plus the per-tenant overrides file in Tempo's runtime format,
 * read again by {@link #reload()} (scheduled every {@code per_tenant_override_period}). A tenant's entry changes
 * only the keys it names; {@code "*"} applies to every tenant without an entry of its own:
 *
 * <pre>
 * overrides:
 *   "team-a":
 *     ingestion: {rate_limit_bytes: 1000000, burst_size_bytes: 2000000}
 *   "*":
 *     global: {max_bytes_per_trace: 1000000}
 * </pre>
 *
 * An invalid file is refused as a whole (the message names the tenant and key) and the previous one stays.
 */
public final class RuntimeOverrides implements Overrides {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .registerModule(new SimpleModule()
                    .addDeserializer(Duration.class, new JsonDeserializer<>() {
                        @Override
                        public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                            try {
                                return GoDuration.parse(p.getValueAsString());
                            } catch (IllegalArgumentException e) {
                                throw JsonMappingException.from(p, e.getMessage(), e);
                            }
                        }
                    })
                    .addSerializer(Duration.class, new ToStringSerializerBase(Duration.class) {
                        @Override
                        public String valueToString(Object value) {
                            return GoDuration.format((Duration) value);
                        }
                    }));

    private final VivaceConfig.Limits defaults;
    private final Optional<WatchedFile> file;
    private volatile Snapshot snapshot;

    private record Snapshot(TenantLimits fallback, Map<String, TenantLimits> perTenant) {
    }

    /** With {@code overridesFile} present it is read now; a broken file is an {@link IllegalArgumentException}. */
    public RuntimeOverrides(VivaceConfig.Limits defaults, Optional<Path> overridesFile) {
        this.defaults = validated(defaults, "overrides.defaults");
        this.file = overridesFile.map(WatchedFile::new);
        this.snapshot = new Snapshot(TenantLimits.from(this.defaults), Map.of());
        if (file.isPresent()) {
            try {
                reload();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read per-tenant overrides file " + overridesFile.get() + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public TenantLimits forTenant(String tenant) {
        Snapshot s = snapshot;
        return s.perTenant().getOrDefault(tenant, s.fallback());
    }

    /** Reads the overrides file again; returns whether it changed. An invalid file throws and changes nothing. */
    public boolean reload() throws IOException {
        if (file.isEmpty()) {
            return false;
        }
        Optional<byte[]> content = file.get().readIfChanged();
        if (content.isEmpty()) {
            return false;
        }
        try {
            snapshot = parse(content.get());
        } catch (IllegalArgumentException e) {
            file.get().reset();
            throw new IllegalArgumentException("per-tenant overrides file " + file.get().path() + ": " + e.getMessage(), e);
        }
        return true;
    }

    private Snapshot parse(byte[] yaml) throws IOException {
        JsonNode root = yaml.length == 0 ? null : YAML.readTree(yaml);
        if (root == null || root.isNull() || root.isMissingNode()) {
            return new Snapshot(TenantLimits.from(defaults), Map.of());
        }
        if (!root.isObject() || root.size() != 1 || !root.has("overrides")) {
            throw new IllegalArgumentException("expected a single top-level key 'overrides'");
        }
        JsonNode tenants = root.get("overrides");
        if (tenants.isNull()) {
            return new Snapshot(TenantLimits.from(defaults), Map.of());
        }
        if (!tenants.isObject()) {
            throw new IllegalArgumentException("'overrides' must map tenant IDs to limits");
        }
        JsonNode base = YAML.valueToTree(defaults);
        VivaceConfig.Limits wildcard = defaults;
        if (tenants.has("*")) {
            wildcard = merge(base, tenants.get("*"), "*");
            base = YAML.valueToTree(wildcard);
        }
        Map<String, TenantLimits> perTenant = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = tenants.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("*")) {
                continue;
            }
            try {
                TenantId.validate(e.getKey());
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("overrides." + e.getKey() + ": " + ex.getMessage());
            }
            perTenant.put(e.getKey(), TenantLimits.from(merge(base, e.getValue(), e.getKey())));
        }
        return new Snapshot(TenantLimits.from(wildcard), new ConcurrentHashMap<>(perTenant));
    }

    private static VivaceConfig.Limits merge(JsonNode base, JsonNode patch, String tenant) {
        if (patch == null || patch.isNull()) {
            return treeToLimits(base, tenant);
        }
        if (!patch.isObject()) {
            throw new IllegalArgumentException("overrides." + tenant + " must be a mapping of limits");
        }
        ObjectNode merged = base.deepCopy();
        deepMerge(merged, (ObjectNode) patch);
        return validated(treeToLimits(merged, tenant), "overrides." + tenant);
    }

    private static void deepMerge(ObjectNode target, ObjectNode patch) {
        patch.fields().forEachRemaining(e -> {
            JsonNode existing = target.get(e.getKey());
            if (existing instanceof ObjectNode o && e.getValue() instanceof ObjectNode p) {
                deepMerge(o, p);
            } else {
                target.set(e.getKey(), e.getValue());
            }
        });
    }

    private static VivaceConfig.Limits treeToLimits(JsonNode tree, String tenant) {
        try {
            return YAML.treeToValue(tree, VivaceConfig.Limits.class);
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException("unknown key 'overrides." + tenant + "." + path(e) + "'");
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException("invalid value for 'overrides." + tenant + "." + path(e) + "': " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("overrides." + tenant + ": " + e.getMessage());
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    /** Checks what the record constructors cannot: no negative limits, only the local rate strategy. */
    static VivaceConfig.Limits validated(VivaceConfig.Limits l, String where) {
        VivaceConfig.IngestionLimits in = l.ingestion();
        if (!in.rateStrategy().equals("local")) {
            throw new IllegalArgumentException(where + ".ingestion.rate_strategy must be local (global needs a distributor ring, which Vivace does not have)");
        }
        if (in.rateLimitBytes() < 0 || in.burstSizeBytes() < 0 || in.maxTracesPerUser() < 0 || in.maxAttributeBytes() < 0
                || l.global().maxBytesPerTrace() < 0 || l.read().maxResultLimit() < 0 || l.read().maxSearchDuration().isNegative()
                || l.read().maxBytesPerTagValuesQuery() < 0
                || l.compaction().blockRetention().isNegative()) {
            throw new IllegalArgumentException(where + ": limits must not be negative (0 = unlimited)");
        }
        if (in.rateLimitBytes() > 0 && in.burstSizeBytes() == 0) {
            throw new IllegalArgumentException(where + ".ingestion.burst_size_bytes must be set when rate_limit_bytes is");
        }
        return l;
    }
}
