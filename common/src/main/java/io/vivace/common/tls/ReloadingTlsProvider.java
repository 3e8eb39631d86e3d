package io.vivace.common.tls;

import com.linecorp.armeria.common.TlsKeyPair;
import com.linecorp.armeria.common.TlsProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a listener's certificate and key from PEM files and picks up new files without a restart (cert-manager
 * and kubelet replace Secret files in place). When a connection is accepted and {@code checkInterval} has passed,
 * both files are read again; if their content changed and parses, new connections get the new pair. A broken
 * pair (a half-written rotation) is logged and the previous one stays in use.
 */
public final class ReloadingTlsProvider implements TlsProvider {

    private static final Logger log = LoggerFactory.getLogger(ReloadingTlsProvider.class);

    private final Path certFile;
    private final Path keyFile;
    private final long checkIntervalNanos;
    private final LongSupplier nanoTime;
    private TlsKeyPair current;
    private byte[] currentDigest;
    private long lastCheck;

    /** Loads the pair now; unreadable or invalid files are an {@link IllegalArgumentException} naming them. */
    public ReloadingTlsProvider(Path certFile, Path keyFile, Duration checkInterval, LongSupplier nanoTime) {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.checkIntervalNanos = checkInterval.toNanos();
        this.nanoTime = nanoTime;
        try {
            reload();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot load TLS certificate " + certFile + " and key " + keyFile + ": " + e.getMessage(), e);
        }
    }

    @Override
    public TlsKeyPair keyPair(String hostname) {
        long now = nanoTime.getAsLong();
        synchronized (this) {
            if (now - lastCheck < checkIntervalNanos) {
                return current;
            }
            lastCheck = now;
        }
        try {
            if (reload()) {
                log.info("reloaded TLS certificate {}", certFile);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("TLS certificate {} / key {} could not be reloaded, keeping the previous pair: {}", certFile, keyFile, e.getMessage());
        }
        synchronized (this) {
            return current;
        }
    }

    /** Reads both files; returns whether a new pair is now in use. */
    public boolean reload() throws IOException {
        byte[] cert = Files.readAllBytes(certFile);
        byte[] key = Files.readAllBytes(keyFile);
        byte[] digest = digest(cert, key);
        synchronized (this) {
            if (currentDigest != null && MessageDigest.isEqual(digest, currentDigest)) {
                return false;
            }
        }
        TlsKeyPair pair = TlsKeyPair.of(new ByteArrayInputStream(key), new ByteArrayInputStream(cert));
        synchronized (this) {
            current = pair;
            currentDigest = digest;
        }
        return true;
    }

    @Override
    public boolean autoClose() {
        return false;
    }

    private static byte[] digest(byte[] cert, byte[] key) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(cert);
            md.update((byte) 0);
            md.update(key);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
