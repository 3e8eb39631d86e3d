package io.vivace.common.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Reads the YAML configuration: {@code ${ENV}} expansion, Tempo-style durations, unknown keys refused by name. */
public final class ConfigLoader {

    private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private final Function<String, String> environment;
    private final ObjectMapper mapper;

    public ConfigLoader() {
        this(System::getenv);
    }

    public ConfigLoader(Function<String, String> environment) {
        this.environment = environment;
        SimpleModule durations = new SimpleModule().addDeserializer(Duration.class, new JsonDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                try {
                    return GoDuration.parse(p.getValueAsString());
                } catch (IllegalArgumentException e) {
                    throw JsonMappingException.from(p, e.getMessage(), e);
                }
            }
        });
        this.mapper = new ObjectMapper(new YAMLFactory())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .registerModule(durations);
    }

    public VivaceConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
        return parse(text);
    }

    public VivaceConfig parse(String yaml) {
        String expanded = expandEnv(yaml);
        if (expanded.isBlank()) {
            return VivaceConfig.defaults();
        }
        try {
            VivaceConfig config = mapper.readValue(expanded, VivaceConfig.class);
            return config == null ? VivaceConfig.defaults() : config;
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException("unknown configuration key '" + path(e) + "'");
        } catch (JsonMappingException e) {
            throw new ConfigException("invalid value for '" + path(e) + "': " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException("configuration is not valid YAML: " + e.getMessage(), e);
        }
    }

    String expandEnv(String text) {
        Matcher m = ENV_REF.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = environment.apply(m.group(1));
            if (value == null) {
                value = m.group(2);
            }
            if (value == null) {
                throw new ConfigException("environment variable " + m.group(1) + " is referenced in the configuration but not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    /** The effective configuration, every key with its value, as YAML (for {@code /status/config}). */
    public String toYaml(VivaceConfig config) {
        try {
            ObjectMapper out = mapper.copy();
            out.registerModule(new SimpleModule().addSerializer(Duration.class,
                    new com.fasterxml.jackson.databind.ser.std.ToStringSerializerBase(Duration.class) {
                        @Override
                        public String valueToString(Object value) {
                            return GoDuration.format((Duration) value);
                        }
                    }));
            return out.writeValueAsString(config);
        } catch (IOException e) {
            throw new ConfigException("cannot render configuration", e);
        }
    }

}
