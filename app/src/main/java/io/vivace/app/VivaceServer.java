package io.vivace.app;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServerPort;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.metric.MetricCollectingService;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vivace.common.auth.Action;
import io.vivace.common.auth.AuthDecorator;
import io.vivace.common.auth.AuthGate;
import io.vivace.common.auth.AuthGates;
import io.vivace.common.block.BlockConfig;
import io.vivace.common.block.BlockWriter;
import io.vivace.common.config.ConfigException;
import io.vivace.common.config.TlsConfig;
import io.vivace.common.config.VivaceConfig;
import io.vivace.common.limits.RuntimeOverrides;
import io.vivace.common.reload.PeriodicReloader;
import io.vivace.common.storage.Backend;
import io.vivace.common.storage.Backends;
import io.vivace.common.storage.CachingBackend;
import io.vivace.common.storage.LocalBackend;
import io.vivace.common.tenant.TenantResolver;
import io.vivace.common.tls.ReloadingTlsProvider;
import io.vivace.compactor.CompactionPolicy;
import io.vivace.compactor.Compactor;
import io.vivace.distributor.Distributor;
import io.vivace.distributor.receiver.OtlpGrpcReceiver;
import io.vivace.distributor.receiver.OtlpHttpReceiver;
import io.vivace.frontend.BuildInfo;
import io.vivace.frontend.QueryApi;
import io.vivace.frontend.SearchApi;
import io.vivace.frontend.SearchService;
import io.vivace.frontend.StreamingQuerierService;
import io.vivace.ingester.Ingester;
import io.vivace.ingester.IngesterSettings;
import io.vivace.ingester.wal.FsyncPolicy;
import io.vivace.ingester.wal.WalConfig;
import io.vivace.ingester.wal.WriteAheadLog;
import io.vivace.querier.BackendTraceFinder;
import io.vivace.querier.BackendTraceScanner;
import io.vivace.querier.Blocklist;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single binary ({@code -target=all}): every component in one process, wired with constructors.
 * Start-up order is storage, ingester (replays the WAL), querier, then the servers; shutdown stops the
 * receivers first, then flushes the ingester, then stops the query API.
 */
public final class VivaceServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VivaceServer.class);
    /** Largest HTTP/2 DATA frame the OTLP gRPC receiver accepts (the protocol default is 16 KiB). */
    static final int OTLP_GRPC_MAX_FRAME_BYTES = 1 << 20;
    public static final String VERSION = "0.1.0";

    private final VivaceConfig config;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final PeriodicReloader reloader = new PeriodicReloader();
    private Optional<AuthGate> auth = Optional.empty();
    private RuntimeOverrides overrides;
    private Backend backend;
    private Ingester ingester;
    private Blocklist blocklist;
    private Compactor compactor;
    private ScheduledExecutorService blocklistPoller;
    private ExecutorService queryExecutor;
    private Server otlpGrpc;
    private Server otlpHttp;
    private Server queryServer;

    private VivaceServer(VivaceConfig config) {
        this.config = config;
    }

    public static VivaceServer start(VivaceConfig config) throws IOException {
        if (!config.target().equals("all")) {
            throw new ConfigException("target '" + config.target() + "' is not available yet; use -target=all (the single binary)");
        }
        VivaceServer server = new VivaceServer(config);
        try {
            server.startComponents();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void startComponents() throws IOException {
        new JvmMemoryMetrics().bindTo(metrics);
        gcMetrics.bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        VivaceConfig.Trace storage = config.storage().trace();
        backend = Backends.open(storage);
        if (!(backend instanceof LocalBackend)) {
            // A local folder is read in place (the OS page cache serves repeated reads); object storage is cached here.
            backend = new CachingBackend(backend, storage.cache(), metrics);
        }
        TenantResolver tenants = new TenantResolver(config.multitenancyEnabled());
        auth = AuthGates.fromConfig(config.auth(), tenants, metrics, reloader, System::getenv);
        overrides = overrides(config.overrides());
        BlockConfig compactedBlocks = blockConfig(storage.block()).withZstdLevel(config.compactor().compaction().zstdLevel());

        Path walDir = Path.of(storage.wal().path());
        WriteAheadLog wal = WriteAheadLog.open(walDir.resolve("segments"), walConfig(storage.wal()), metrics);
        ingester = new Ingester(IngesterSettings.from(config.ingester()), wal, walDir.resolve("head"), backend,
                new BlockWriter(blockConfig(storage.block())), metrics, System::nanoTime, overrides);
        ingester.start();

        blocklist = new Blocklist(backend, storage.blocklistPollStaleTenantIndex(), Clock.systemUTC());
        blocklist.poll();
        blocklistPoller = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "blocklist-poll"));
        long pollMillis = Math.max(1, storage.blocklistPoll().toMillis());
        blocklistPoller.scheduleWithFixedDelay(this::pollBlocklist, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
        queryExecutor = Executors.newFixedThreadPool(config.querier().maxConcurrentQueries(), r -> daemon(r, "querier"));

        compactor = new Compactor(backend, new BlockWriter(compactedBlocks), CompactionPolicy.from(config.compactor()),
                overrides, metrics, Clock.systemUTC());
        if (!config.compactor().disabled()) {
            compactor.start(config.compactor().compactionCycle());
        }

        Distributor distributor = new Distributor(ingester, metrics, overrides, System::nanoTime);
        VivaceConfig.OtlpProtocols otlp = config.distributor().receivers().otlp().protocols();
        int grpcMax = otlp.grpc().maxRecvMsgSizeMib() << 20;
        otlpGrpc = serverBuilder(otlp.grpc().endpoint(), otlp.grpc().tls(), "distributor.receivers.otlp.protocols.grpc.tls", Action.WRITE)
                .maxRequestLength(0) // the receiver sets the limit per request, answering RESOURCE_EXHAUSTED
                // Clients that honour it send an export in a few large DATA frames instead of one per 16 KiB:
                // every frame costs the event loop decoding, flow control and a buffer, per 16 KiB of spans.
                .http2MaxFrameSize(OTLP_GRPC_MAX_FRAME_BYTES)
                .service(OtlpGrpcReceiver.PATH, new OtlpGrpcReceiver(distributor, tenants, grpcMax))
                .build();
        long httpMax = otlp.http().maxRequestBodySize();
        otlpHttp = serverBuilder(otlp.http().endpoint(), otlp.http().tls(), "distributor.receivers.otlp.protocols.http.tls", Action.WRITE)
                .maxRequestLength(httpMax)
                .service(OtlpHttpReceiver.PATH, new OtlpHttpReceiver(distributor, tenants, httpMax))
                .build();

        ServerBuilder query = serverBuilder(config.server().httpListenAddress() + ":" + config.server().httpListenPort(),
                config.server().httpTlsConfig(), "server.http_tls_config", Action.READ)
                .requestTimeout(Duration.ofMinutes(2));
        new QueryApi(tenants, ingester, new BackendTraceFinder(blocklist, queryExecutor),
                overrides, BuildInfo.of(VERSION), ready::get).registerRoutes(query);
        SearchService search = new SearchService(ingester, new BackendTraceScanner(blocklist), queryExecutor,
                config.queryFrontend().search().maxDuration(), overrides);
        new SearchApi(tenants, search).registerRoutes(query);
        // Grafana streams search over gRPC on the datasource's HTTP port.
        query.service(GrpcService.builder().addService(new StreamingQuerierService(tenants, search)).build());
        query.service("/metrics", (ctx, req) -> HttpResponse.of(HttpStatus.OK,
                MediaType.parse("text/plain; version=0.0.4; charset=utf-8"), metrics.scrape()));
        queryServer = query.build();

        queryServer.start().join();
        otlpGrpc.start().join();
        otlpHttp.start().join();
        ready.set(true);
    }

    /**
     * A server on {@code endpoint}: TLS from {@code tls} when configured, authentication for {@code action} when
     * {@code auth} is on (inside the request metrics, so refused requests are measured too).
     */
    private ServerBuilder serverBuilder(String endpoint, TlsConfig tls, String tlsKey, Action action) {
        ServerBuilder sb = Server.builder().meterRegistry(metrics);
        if (tls.enabled()) {
            if (tls.keyFile().isEmpty()) {
                throw new ConfigException(tlsKey + ".key_file is required with cert_file");
            }
            try {
                sb.tlsProvider(new ReloadingTlsProvider(Path.of(tls.certFile()), Path.of(tls.keyFile()), tls.reloadInterval(), System::nanoTime));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(tlsKey + ": " + e.getMessage());
            }
            sb.port(new ServerPort(parseEndpoint(endpoint), com.linecorp.armeria.common.SessionProtocol.HTTPS));
        } else {
            sb.port(new ServerPort(parseEndpoint(endpoint), com.linecorp.armeria.common.SessionProtocol.HTTP));
        }
        auth.ifPresent(gate -> sb.decorator(new AuthDecorator(gate, action, config.auth().unauthenticatedPaths())));
        return sb
                .decorator(MetricCollectingService.newDecorator(
                        com.linecorp.armeria.common.metric.MeterIdPrefixFunction.ofDefault("vivace.http.requests")))
                .gracefulShutdownTimeout(Duration.ZERO, config.server().gracefulShutdownTimeout());
    }

    private RuntimeOverrides overrides(VivaceConfig.Overrides cfg) {
        Optional<Path> file = cfg.perTenantOverrideConfig().isEmpty() ? Optional.empty() : Optional.of(Path.of(cfg.perTenantOverrideConfig()));
        RuntimeOverrides o;
        try {
            o = new RuntimeOverrides(cfg.defaults(), file);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        file.ifPresent(f -> reloader.schedule("per-tenant overrides " + f, cfg.perTenantOverridePeriod(), o::reload));
        return o;
    }

    /** Reads the per-tenant overrides file now (as the periodic reload does); returns whether it changed. */
    public boolean reloadOverrides() throws IOException {
        return overrides.reload();
    }

    static InetSocketAddress parseEndpoint(String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        if (colon < 0) {
            throw new ConfigException("endpoint '" + endpoint + "' must be host:port");
        }
        String host = endpoint.substring(0, colon);
        try {
            int port = Integer.parseInt(endpoint.substring(colon + 1));
            return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("endpoint '" + endpoint + "' has no valid port");
        }
    }

    private static WalConfig walConfig(VivaceConfig.Wal wal) {
        FsyncPolicy policy;
        try {
            policy = FsyncPolicy.valueOf(wal.fsync().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("storage.trace.wal.fsync must be always, interval or never, not '" + wal.fsync() + "'");
        }
        return new WalConfig(wal.segmentSizeBytes(), policy, wal.fsyncInterval());
    }

    private static BlockConfig blockConfig(VivaceConfig.Block block) {
        BlockConfig.Compression compression = switch (block.compression().toLowerCase(Locale.ROOT)) {
            case "zstd" -> BlockConfig.Compression.ZSTD;
            case "snappy" -> BlockConfig.Compression.SNAPPY;
            case "gzip" -> BlockConfig.Compression.GZIP;
            case "none" -> BlockConfig.Compression.UNCOMPRESSED;
            default -> throw new ConfigException("storage.trace.block.compression must be zstd, snappy, gzip or none, not '"
                    + block.compression() + "'");
        };
        try {
            return BlockConfig.DEFAULT
                    .withRowGroupSizeBytes(block.parquetRowGroupSizeBytes())
                    .withBloom(block.bloomFilterFalsePositive(), Math.toIntExact(block.bloomFilterShardSizeBytes()))
                    .withCompression(compression);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ConfigException("storage.trace.block: " + e.getMessage());
        }
    }

    private void pollBlocklist() {
        try {
            blocklist.poll();
        } catch (Exception e) {
            log.warn("blocklist poll failed: {}", e.toString());
        }
    }

    public int queryPort() {
        return queryServer.activeLocalPort();
    }

    public int otlpGrpcPort() {
        return otlpGrpc.activeLocalPort();
    }

    public int otlpHttpPort() {
        return otlpHttp.activeLocalPort();
    }

    /** For tests: cut and flush everything now, then let the querier see the new blocks. */
    public void flushAndPoll() throws IOException {
        ingester.flushAll();
        blocklist.poll(true);
    }

    /** For tests: one compaction cycle now (merge, retention, tenant index), then a blocklist poll. */
    public void compactAndPoll() throws IOException {
        compactor.runCycle();
        blocklist.poll();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ready.set(false);
        log.info("shutting down: stopping receivers, flushing traces to blocks");
        stop(otlpGrpc);
        stop(otlpHttp);
        if (compactor != null) {
            compactor.close();
        }
        if (ingester != null) {
            ingester.close();
        }
        stop(queryServer);
        if (blocklistPoller != null) {
            blocklistPoller.shutdownNow();
        }
        if (queryExecutor != null) {
            queryExecutor.shutdownNow();
        }
        reloader.close();
        gcMetrics.close();
        if (backend != null) {
            try {
                backend.close();
            } catch (Exception e) {
                log.warn("closing the storage backend failed: {}", e.toString());
            }
        }
        log.info("shutdown complete");
    }

    private static void stop(Server server) {
        if (server != null) {
            server.stop().join();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
