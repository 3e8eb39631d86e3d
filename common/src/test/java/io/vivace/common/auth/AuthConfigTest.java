package io.vivace.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vivace.common.config.ConfigException;
import io.vivace.common.config.ConfigLoader;
import io.vivace.common.config.VivaceConfig;
import io.vivace.common.reload.PeriodicReloader;
import io.vivace.common.tenant.TenantResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code auth:} section: defaults, parsing, and the mistakes refused at start-up. */
class AuthConfigTest {

    final ConfigLoader loader = new ConfigLoader(Map.<String, String>of()::get);

    @Test
    void offByDefault() {
        VivaceConfig c = VivaceConfig.defaults();
        assertFalse(c.auth().enabled());
        assertTrue(AuthGates.fromConfig(c.auth(), new TenantResolver(true), new SimpleMeterRegistry(), new PeriodicReloader(),
                Map.<String, String>of()::get).isEmpty());
        assertEquals(List.of("/ready", "/metrics", "/api/echo", "/api/status/buildinfo"), c.auth().unauthenticatedPaths());
    }

    @Test
    void fullSectionParses() {
        VivaceConfig c = loader.parse("""
                auth:
                  authentication:
                    type: tokenreview
                    token_review: {audiences: [vivace]}
                    jwt:
                      issuer: https://kubernetes.default.svc.cluster.local
                      audiences: [vivace]
                      clock_skew: 30s
                  authorization:
                    type: subject-access-review
                    subject_access_review: {scope: cluster, group: tempo.grafana.com, resource: traces}
                  kubernetes: {api_server: "https://10.0.0.1:443", timeout: 2s, retries: 1}
                  cache: {allow_ttl: 1m, deny_ttl: 10s}
                  unauthenticated_paths: [/ready]
                """);
        assertEquals("tokenreview", c.auth().authentication().type());
        assertEquals(List.of("vivace"), c.auth().authentication().tokenReview().audiences());
        assertEquals(Duration.ofSeconds(30), c.auth().authentication().jwt().clockSkew());
        assertEquals("cluster", c.auth().authorization().subjectAccessReview().scope());
        assertEquals("get", c.auth().authorization().subjectAccessReview().readVerb());
        assertEquals(Duration.ofMinutes(1), c.auth().cache().allowTtl());
        assertEquals(List.of("/ready"), c.auth().unauthenticatedPaths());
        assertEquals(c, loader.parse(loader.toYaml(c)));
    }

    @Test
    void unknownKeyIsNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.parse("auth:\n  authentication:\n    typo: x\n"));
        assertEquals("unknown configuration key 'auth.authentication.typo'", e.getMessage());
    }

    @Test
    void mistakesAreRefusedAtStartUp(@TempDir Path dir) throws Exception {
        assertTrue(build("auth: {authentication: {type: ldap}}").contains("auth.authentication.type must be"));
        assertTrue(build("auth: {authentication: {type: static}}").contains("tokens_file is required"));
        assertTrue(build("auth: {authentication: {type: jwt, jwt: {issuer: https://x}}}").contains("audience"));
        assertTrue(build("auth: {authentication: {type: jwt, jwt: {issuer: https://x, audiences: [v], algorithms: [HS256]}}}")
                .contains("not an asymmetric"));
        assertTrue(build("auth: {authentication: {type: tokenreview}}").contains("KUBERNETES_SERVICE_HOST"));
        assertTrue(build("auth: {authorization: {type: namespace}}").contains("needs authentication"));
        Path tokens = dir.resolve("t.yaml");
        Files.writeString(tokens, "tokens:\n  - subject: a\n    token: x\n    tenants: []\n");
        assertTrue(build("auth: {authentication: {type: static, static: {tokens_file: " + tokens + "}}}").contains("tenants is required"));
        assertTrue(build("auth: {authentication: {type: static, static: {tokens_file: " + dir.resolve("missing") + "}}}")
                .contains("cannot read tokens file"));
    }

    private String build(String yaml) {
        VivaceConfig c = loader.parse(yaml);
        try (PeriodicReloader reloader = new PeriodicReloader()) {
            AuthGates.fromConfig(c.auth(), new TenantResolver(true), new SimpleMeterRegistry(), reloader, Map.<String, String>of()::get);
            return "no error";
        } catch (ConfigException e) {
            return e.getMessage();
        }
    }
}
