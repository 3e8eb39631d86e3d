package io.vivace.app;

import io.vivace.common.config.ConfigException;
import io.vivace.common.config.ConfigLoader;
import io.vivace.common.config.VivaceConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code vivace} binary. */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        VivaceConfig config;
        try {
            CommandLine cli = CommandLine.parse(args);
            if (cli.help()) {
                System.out.print(CommandLine.usage());
                return;
            }
            ConfigLoader loader = new ConfigLoader();
            config = cli.configFile().map(loader::load).orElseGet(VivaceConfig::defaults);
            if (cli.target().isPresent()) {
                config = withTarget(config, cli.target().get());
            }
        } catch (IllegalArgumentException | ConfigException e) {
            System.err.println("vivace: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.vivace"))
                    .setLevel(ch.qos.logback.classic.Level.toLevel(config.server().logLevel(), ch.qos.logback.classic.Level.INFO));
            VivaceServer server = VivaceServer.start(config);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "vivace-shutdown"));
            log.info("Vivace is ready: query API on :{}, OTLP gRPC on :{}, OTLP HTTP on :{}",
                    server.queryPort(), server.otlpGrpcPort(), server.otlpHttpPort());
        } catch (ConfigException e) {
            System.err.println("vivace: " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            log.error("vivace failed to start", e);
            System.exit(1);
        }
    }

    private static VivaceConfig withTarget(VivaceConfig c, String target) {
        return new VivaceConfig(target, c.multitenancyEnabled(), c.server(), c.distributor(), c.ingester(), c.querier(),
                c.queryFrontend(), c.compactor(), c.storage(), c.overrides(), c.auth());
    }
}
