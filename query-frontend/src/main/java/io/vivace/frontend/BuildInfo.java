package io.vivace.frontend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What {@code /api/status/buildinfo} answers. {@code version} is the Tempo API level Vivace speaks (Grafana
 * compares it with semver to enable features such as streaming); Vivace's own version is in {@code revision}.
 */
public record BuildInfo(String version, String revision, String branch, String buildUser, String buildDate, String goVersion) {

    public static final String TEMPO_API_VERSION = "2.9.0";

    public static BuildInfo of(String vivaceVersion) {
        return new BuildInfo(TEMPO_API_VERSION, "vivace-" + vivaceVersion, "main", "vivace", "", "java" + Runtime.version().feature());
    }

    String toJson() {
        try {
            return new ObjectMapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
