package io.vivace.common.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.vivace.common.block.BlockConfig;
import java.time.Duration;

/**
 * The whole configuration file. Keys, nesting and defaults follow Tempo's where Tempo has the same setting;
 * every record fills its own defaults so a missing section or key means "the documented default".
 */
public record VivaceConfig(
        String target,
        Boolean multitenancyEnabled,
        Server server,
        Distributor distributor,
        Ingester ingester,
        Querier querier,
        QueryFrontend queryFrontend,
        Compactor compactor,
        Storage storage,
        Overrides overrides,
        AuthConfig auth) {

    public VivaceConfig {
        target = target == null ? "all" : target;
        multitenancyEnabled = multitenancyEnabled != null && multitenancyEnabled;
        server = server == null ? new Server(null, null, null, null, null) : server;
        distributor = distributor == null ? new Distributor(null) : distributor;
        ingester = ingester == null ? new Ingester(null, null, null, null, null, null) : ingester;
        querier = querier == null ? new Querier(null) : querier;
        queryFrontend = queryFrontend == null ? new QueryFrontend(null, null) : queryFrontend;
        compactor = compactor == null ? new Compactor(null, null, null, null) : compactor;
        storage = storage == null ? new Storage(null) : storage;
        overrides = overrides == null ? new Overrides(null, null, null) : overrides;
        auth = auth == null ? AuthConfig.defaults() : auth;
    }

    public static VivaceConfig defaults() {
        return new VivaceConfig(null, null, null, null, null, null, null, null, null, null, null);
    }

    /** {@code http_tls_config} (Tempo's key) turns on TLS for the query API. */
    public record Server(String httpListenAddress, Integer httpListenPort, String logLevel, Duration gracefulShutdownTimeout,
                         TlsConfig httpTlsConfig) {
        public Server {
            httpTlsConfig = httpTlsConfig == null ? TlsConfig.none() : httpTlsConfig;
            httpListenAddress = httpListenAddress == null ? "0.0.0.0" : httpListenAddress;
            httpListenPort = httpListenPort == null ? 3200 : httpListenPort;
            logLevel = logLevel == null ? "info" : logLevel;
            gracefulShutdownTimeout = gracefulShutdownTimeout == null ? Duration.ofSeconds(30) : gracefulShutdownTimeout;
        }
    }

    public record Distributor(Receivers receivers) {
        public Distributor {
            receivers = receivers == null ? new Receivers(null) : receivers;
        }
    }

    public record Receivers(Otlp otlp) {
        public Receivers {
            otlp = otlp == null ? new Otlp(null) : otlp;
        }
    }

    public record Otlp(OtlpProtocols protocols) {
        public Otlp {
            protocols = protocols == null ? new OtlpProtocols(null, null) : protocols;
        }
    }

    public record OtlpProtocols(OtlpGrpc grpc, OtlpHttp http) {
        public OtlpProtocols {
            grpc = grpc == null ? new OtlpGrpc(null, null, null) : grpc;
            http = http == null ? new OtlpHttp(null, null, null) : http;
        }
    }

    /** {@code max_recv_msg_size_mib} and {@code tls} as in the OpenTelemetry Collector's gRPC server settings. */
    public record OtlpGrpc(String endpoint, Integer maxRecvMsgSizeMib, TlsConfig tls) {
        public OtlpGrpc {
            tls = tls == null ? TlsConfig.none() : tls;
            endpoint = endpoint == null ? "0.0.0.0:4317" : endpoint;
            maxRecvMsgSizeMib = maxRecvMsgSizeMib == null ? 16 : maxRecvMsgSizeMib;
        }
    }

    /** {@code max_request_body_size} in bytes and {@code tls} as in the OpenTelemetry Collector's HTTP server settings. */
    public record OtlpHttp(String endpoint, Long maxRequestBodySize, TlsConfig tls) {
        public OtlpHttp {
            tls = tls == null ? TlsConfig.none() : tls;
            endpoint = endpoint == null ? "0.0.0.0:4318" : endpoint;
            maxRequestBodySize = maxRequestBodySize == null ? 20L << 20 : maxRequestBodySize;
        }
    }

    public record Ingester(
            Duration traceIdlePeriod,
            Duration flushCheckPeriod,
            Long maxBlockBytes,
            Duration maxBlockDuration,
            Duration completeBlockTimeout,
            Integer concurrentFlushes) {
        public Ingester {
            traceIdlePeriod = traceIdlePeriod == null ? Duration.ofSeconds(10) : traceIdlePeriod;
            flushCheckPeriod = flushCheckPeriod == null ? Duration.ofSeconds(10) : flushCheckPeriod;
            maxBlockBytes = maxBlockBytes == null ? 500L << 20 : maxBlockBytes;
            maxBlockDuration = maxBlockDuration == null ? Duration.ofMinutes(30) : maxBlockDuration;
            completeBlockTimeout = completeBlockTimeout == null ? Duration.ofMinutes(15) : completeBlockTimeout;
            concurrentFlushes = concurrentFlushes == null ? 1 : concurrentFlushes;
        }
    }

    public record Querier(Integer maxConcurrentQueries) {
        public Querier {
            maxConcurrentQueries = maxConcurrentQueries == null ? 20 : maxConcurrentQueries;
        }
    }

    public record QueryFrontend(Duration apiTimeout, Search search) {
        public QueryFrontend {
            apiTimeout = apiTimeout == null ? Duration.ZERO : apiTimeout;
            search = search == null ? new Search(null) : search;
        }
    }

    /** {@code query_frontend.search}: the longest {@code start}..{@code end} range a search or tag query may ask for. */
    public record Search(Duration maxDuration) {
        public Search {
            maxDuration = maxDuration == null ? Duration.ofHours(168) : maxDuration;
        }
    }

    /** Tempo's {@code compactor:} section ({@code compaction.*} keys as Tempo names them; {@code shard} is Vivace's). */
    public record Compactor(Boolean disabled, Duration compactionCycle, Compaction compaction, CompactorShard shard) {
        public Compactor {
            disabled = disabled != null && disabled;
            compactionCycle = compactionCycle == null ? Duration.ofSeconds(30) : compactionCycle;
            compaction = compaction == null ? new Compaction(null, null, null, null, null, null, null) : compaction;
            shard = shard == null ? new CompactorShard(null, null) : shard;
        }
    }

    /** {@code zstdLevel} is Vivace's: the zstd level of the blocks the compactor writes. */
    public record Compaction(Duration compactionWindow, Long maxCompactionObjects, Long maxBlockBytes,
                             Integer maxInputBlocks, Duration blockRetention, Duration compactedBlockRetention,
                             Integer zstdLevel) {
        public Compaction {
            compactionWindow = compactionWindow == null ? Duration.ofHours(1) : compactionWindow;
            maxCompactionObjects = maxCompactionObjects == null ? 6_000_000L : maxCompactionObjects;
            maxBlockBytes = maxBlockBytes == null ? 100L << 30 : maxBlockBytes;
            maxInputBlocks = maxInputBlocks == null ? 4 : maxInputBlocks;
            blockRetention = blockRetention == null ? Duration.ofDays(14) : blockRetention;
            compactedBlockRetention = compactedBlockRetention == null ? Duration.ofHours(1) : compactedBlockRetention;
            zstdLevel = zstdLevel == null ? BlockConfig.DEFAULT_COMPACTION_ZSTD_LEVEL : zstdLevel;
            if (zstdLevel < 1 || zstdLevel > BlockConfig.MAX_ZSTD_LEVEL) {
                throw new ConfigException("compactor.compaction.zstd_level must be between 1 and " + BlockConfig.MAX_ZSTD_LEVEL
                        + ", not " + zstdLevel);
            }
        }
    }

    /** Which part of the work this compactor owns when several run: jobs whose hash modulo {@code count} is {@code index}. */
    public record CompactorShard(Integer index, Integer count) {
        public CompactorShard {
            index = index == null ? 0 : index;
            count = count == null ? 1 : count;
        }
    }

    public record Storage(Trace trace) {
        public Storage {
            trace = trace == null ? new Trace(null, null, null, null, null, null, null) : trace;
        }
    }

    /** {@code backend}: {@code local} (the {@code local} section) or {@code s3} (the {@code s3} section). */
    public record Trace(String backend, Local local, S3 s3, Wal wal, Block block, Duration blocklistPoll,
                        Duration blocklistPollStaleTenantIndex, Cache cache) {

        public Trace(String backend, Local local, S3 s3, Wal wal, Block block, Duration blocklistPoll,
                     Duration blocklistPollStaleTenantIndex) {
            this(backend, local, s3, wal, block, blocklistPoll, blocklistPollStaleTenantIndex, null);
        }

        public Trace {
            cache = cache == null ? new Cache(null, null, null, null) : cache;
            backend = backend == null ? "local" : backend;
            local = local == null ? new Local(null) : local;
            s3 = s3 == null ? S3.defaults() : s3;
            wal = wal == null ? new Wal(null, null, null, null) : wal;
            block = block == null ? new Block(null, null, null, null) : block;
            blocklistPoll = blocklistPoll == null ? Duration.ofMinutes(5) : blocklistPoll;
            blocklistPollStaleTenantIndex = blocklistPollStaleTenantIndex == null ? Duration.ZERO : blocklistPollStaleTenantIndex;
        }
    }

    /**
     * In-memory caches of block reads from object storage (Vivace's; Tempo uses memcached/redis for the same roles),
     * each bounded by the bytes it holds; 0 turns one off. {@code parquet_footer_bytes} holds Parquet footers and
     * column/offset indexes, {@code parquet_page_bytes} ranged reads of data pages up to
     * {@code parquet_page_max_read_bytes} each (larger reads, such as a compactor's whole column chunks, bypass it).
     */
    public record Cache(Long bloomBytes, Long parquetFooterBytes, Long parquetPageBytes, Long parquetPageMaxReadBytes) {
        public Cache {
            bloomBytes = bloomBytes == null ? 64L << 20 : bloomBytes;
            parquetFooterBytes = parquetFooterBytes == null ? 64L << 20 : parquetFooterBytes;
            parquetPageBytes = parquetPageBytes == null ? 256L << 20 : parquetPageBytes;
            parquetPageMaxReadBytes = parquetPageMaxReadBytes == null ? 1L << 20 : parquetPageMaxReadBytes;
            if (bloomBytes < 0 || parquetFooterBytes < 0 || parquetPageBytes < 0 || parquetPageMaxReadBytes < 0) {
                throw new ConfigException("storage.trace.cache: sizes must not be negative");
            }
        }
    }

    public record Local(String path) {
        public Local {
            path = path == null ? "./vivace-data/blocks" : path;
        }
    }

    /**
     * S3-compatible object storage (AWS S3, Backblaze B2, MinIO). Tempo's keys and meanings: {@code endpoint} is
     * {@code host[:port]} (a full URL is accepted too) reached over https, or http when {@code insecure};
     * empty means AWS S3 in {@code region}. Without {@code access_key}/{@code secret_key} the AWS default
     * credential chain applies (environment, profile files, web identity, container and instance roles).
     * The rest are Vivace's: {@code part_size} (bytes; files above it are uploaded in parts of this size),
     * retries and timeouts of each S3 call, and the SDK's two checksum settings ({@code when_required} or
     * {@code when_supported}). The secrets are never rendered back ({@code /status/config}).
     */
    public record S3(
            String bucket,
            String prefix,
            String endpoint,
            String region,
            String accessKey,
            @JsonProperty(access = JsonProperty.Access.WRITE_ONLY) String secretKey,
            @JsonProperty(access = JsonProperty.Access.WRITE_ONLY) String sessionToken,
            Boolean insecure,
            Boolean forcepathstyle,
            Long partSize,
            Integer maxRetries,
            Duration apiCallTimeout,
            Duration apiCallAttemptTimeout,
            String requestChecksumCalculation,
            String responseChecksumValidation) {

        public static final long MIN_PART_SIZE = 5L << 20;

        public S3 {
            bucket = bucket == null ? "" : bucket;
            prefix = prefix == null ? "" : prefix;
            endpoint = endpoint == null ? "" : endpoint;
            region = region == null || region.isEmpty() ? "us-east-1" : region;
            accessKey = accessKey == null ? "" : accessKey;
            secretKey = secretKey == null ? "" : secretKey;
            sessionToken = sessionToken == null ? "" : sessionToken;
            insecure = insecure != null && insecure;
            forcepathstyle = forcepathstyle != null && forcepathstyle;
            partSize = partSize == null ? 16L << 20 : partSize;
            maxRetries = maxRetries == null ? 5 : maxRetries;
            apiCallTimeout = apiCallTimeout == null ? Duration.ofMinutes(5) : apiCallTimeout;
            apiCallAttemptTimeout = apiCallAttemptTimeout == null ? Duration.ofMinutes(1) : apiCallAttemptTimeout;
            requestChecksumCalculation = requestChecksumCalculation == null ? "when_required" : requestChecksumCalculation;
            responseChecksumValidation = responseChecksumValidation == null ? "when_required" : responseChecksumValidation;
        }

        public static S3 defaults() {
            return new S3(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        }

        /** Secrets stay out of logs and error messages. */
        @Override
        public String toString() {
            return "S3[bucket=" + bucket + ", prefix=" + prefix + ", endpoint=" + endpoint + ", region=" + region
                    + ", access_key=" + accessKey + ", secret_key=" + (secretKey.isEmpty() ? "" : "<secret>")
                    + ", session_token=" + (sessionToken.isEmpty() ? "" : "<secret>") + ", insecure=" + insecure
                    + ", forcepathstyle=" + forcepathstyle + ", part_size=" + partSize + ", max_retries=" + maxRetries
                    + ", api_call_timeout=" + apiCallTimeout + ", api_call_attempt_timeout=" + apiCallAttemptTimeout
                    + ", request_checksum_calculation=" + requestChecksumCalculation
                    + ", response_checksum_validation=" + responseChecksumValidation + "]";
        }
    }

    /** {@code fsync}: {@code always} (group commit, the default), {@code interval} or {@code never}. */
    public record Wal(String path, String fsync, Duration fsyncInterval, Long segmentSizeBytes) {
        public Wal {
            path = path == null ? "./vivace-data/wal" : path;
            fsync = fsync == null ? "always" : fsync;
            fsyncInterval = fsyncInterval == null ? Duration.ofMillis(100) : fsyncInterval;
            segmentSizeBytes = segmentSizeBytes == null ? 128L << 20 : segmentSizeBytes;
        }
    }

    public record Block(Long parquetRowGroupSizeBytes, Double bloomFilterFalsePositive, Long bloomFilterShardSizeBytes,
                        String compression) {
        public Block {
            parquetRowGroupSizeBytes = parquetRowGroupSizeBytes == null ? 32L << 20 : parquetRowGroupSizeBytes;
            bloomFilterFalsePositive = bloomFilterFalsePositive == null ? 0.01 : bloomFilterFalsePositive;
            bloomFilterShardSizeBytes = bloomFilterShardSizeBytes == null ? 100L * 1024 : bloomFilterShardSizeBytes;
            compression = compression == null ? "zstd" : compression;
        }
    }

    /**
     * Per-tenant limits (Tempo's {@code overrides} section): {@code defaults} for every tenant, and a per-tenant file
     * ({@code per_tenant_override_config}, same shape as Tempo's runtime overrides file) read again every
     * {@code per_tenant_override_period} without a restart.
     */
    public record Overrides(Limits defaults, String perTenantOverrideConfig, Duration perTenantOverridePeriod) {
        public Overrides {
            defaults = defaults == null ? Limits.defaults() : defaults;
            perTenantOverrideConfig = perTenantOverrideConfig == null ? "" : perTenantOverrideConfig;
            perTenantOverridePeriod = perTenantOverridePeriod == null ? Duration.ofSeconds(10) : perTenantOverridePeriod;
        }
    }

    public record Limits(IngestionLimits ingestion, ReadLimits read, GlobalLimits global, CompactionLimits compaction) {
        public Limits {
            ingestion = ingestion == null ? new IngestionLimits(null, null, null, null, null) : ingestion;
            read = read == null ? new ReadLimits(null, null, null) : read;
            global = global == null ? new GlobalLimits(null) : global;
            compaction = compaction == null ? new CompactionLimits(null) : compaction;
        }

        public static Limits defaults() {
            return new Limits(null, null, null, null);
        }
    }

    /**
     * Tempo's ingestion limits: a token bucket on encoded bytes per tenant ({@code rate_strategy: local}, the only
     * one), live traces per tenant ({@code max_traces_per_user}); plus Vivace's per-tenant
     * {@code max_attribute_bytes} (Tempo has it as {@code distributor.max_attribute_bytes}). 0 = unlimited.
     */
    public record IngestionLimits(String rateStrategy, Long rateLimitBytes, Long burstSizeBytes, Integer maxTracesPerUser,
                                  Integer maxAttributeBytes) {
        public IngestionLimits {
            rateStrategy = rateStrategy == null ? "local" : rateStrategy;
            rateLimitBytes = rateLimitBytes == null ? 30_000_000L : rateLimitBytes;
            burstSizeBytes = burstSizeBytes == null ? 30_000_000L : burstSizeBytes;
            maxTracesPerUser = maxTracesPerUser == null ? 0 : maxTracesPerUser;
            maxAttributeBytes = maxAttributeBytes == null ? 2048 : maxAttributeBytes;
        }
    }

    /** Search and tag query limits, enforced by the query-frontend. 0 = unlimited. */
    public record ReadLimits(Duration maxSearchDuration, Integer maxResultLimit, Long maxBytesPerTagValuesQuery) {
        public ReadLimits {
            maxSearchDuration = maxSearchDuration == null ? Duration.ZERO : maxSearchDuration;
            maxResultLimit = maxResultLimit == null ? 0 : maxResultLimit;
            maxBytesPerTagValuesQuery = maxBytesPerTagValuesQuery == null ? 1_000_000L : maxBytesPerTagValuesQuery;
        }
    }

    public record GlobalLimits(Long maxBytesPerTrace) {
        public GlobalLimits {
            maxBytesPerTrace = maxBytesPerTrace == null ? 5_000_000L : maxBytesPerTrace;
        }
    }

    /** Block retention (applied by the compactor, which is not implemented yet). 0 = keep forever. */
    public record CompactionLimits(Duration blockRetention) {
        public CompactionLimits {
            blockRetention = blockRetention == null ? Duration.ZERO : blockRetention;
        }
    }
}
