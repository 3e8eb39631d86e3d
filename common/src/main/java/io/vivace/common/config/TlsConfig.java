package io.vivace.common.config;

import java.time.Duration;

/**
 * TLS of one listener: PEM certificate chain and PKCS#8 private key files, checked for changes at
 * most every {@code reload_interval} when a connection is accepted. Empty {@code cert_file} = plain text.
 */
public record TlsConfig(String certFile, String keyFile, Duration reloadInterval) {

    public TlsConfig {
        certFile = certFile == null ? "" : certFile;
        keyFile = keyFile == null ? "" : keyFile;
        reloadInterval = reloadInterval == null ? Duration.ofSeconds(10) : reloadInterval;
    }

    public static TlsConfig none() {
        return new TlsConfig(null, null, null);
    }

    public boolean enabled() {
        return !certFile.isEmpty();
    }
}
