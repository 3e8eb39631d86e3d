package io.vivace.common.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.Server;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A TLS listener picks up new certificate files for new connections, and ignores a broken pair. */
class ReloadingTlsProviderTest {

    @Test
    void newConnectionsGetTheNewCertificate(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        TestCertificates.selfSigned(1).writeTo(cert, key);
        AtomicLong nanos = new AtomicLong();
        ReloadingTlsProvider provider = new ReloadingTlsProvider(cert, key, Duration.ofSeconds(10), nanos::get);
        Server server = Server.builder().https(0).tlsProvider(provider).service("/", (ctx, req) -> HttpResponse.of("ok")).build();
        server.start().join();
        try {
            int port = server.activeLocalPort();
            assertEquals(BigInteger.ONE, serialSeen(port));

            TestCertificates.selfSigned(2).writeTo(cert, key);
            assertEquals(BigInteger.ONE, serialSeen(port), "not checked again before the interval");
            nanos.addAndGet(Duration.ofSeconds(11).toNanos());
            assertEquals(BigInteger.TWO, serialSeen(port), "reloaded without a restart");

            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n");
            TestCertificates.selfSigned(3).writeTo(cert, dir.resolve("unused.key"));
            nanos.addAndGet(Duration.ofSeconds(11).toNanos());
            assertEquals(BigInteger.TWO, serialSeen(port), "a broken pair keeps the previous one");
        } finally {
            server.stop().join();
        }
    }

    @Test
    void unreadableFilesAreRefusedAtStart(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReloadingTlsProvider(dir.resolve("none.crt"), dir.resolve("none.key"), Duration.ZERO, System::nanoTime));
        assertTrue(e.getMessage().contains("none.crt"), e.getMessage());
    }

    /** Opens a fresh TLS connection and returns the serial number of the certificate the server presented. */
    static BigInteger serialSeen(int port) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }
}
