package io.vivace.common.storage;

import io.vivace.common.config.ConfigException;
import io.vivace.common.config.VivaceConfig;
import java.io.IOException;
import java.nio.file.Path;

/** Opens the backend that {@code storage.trace} selects. */
public final class Backends {

    private Backends() {
    }

    /**
     * @throws ConfigException for an unknown {@code storage.trace.backend}, unusable {@code storage.trace.s3}
     *         settings, or a bucket that is missing or refuses the credentials
     * @throws IOException if the local folder cannot be created
     */
    public static Backend open(VivaceConfig.Trace trace) throws IOException {
        return switch (trace.backend()) {
            case "local" -> new LocalBackend(Path.of(trace.local().path()));
            case "s3" -> S3Backend.open(trace.s3());
            default -> throw new ConfigException("storage.trace.backend '" + trace.backend()
                    + "' is not supported (supported: local, s3)");
        };
    }
}
