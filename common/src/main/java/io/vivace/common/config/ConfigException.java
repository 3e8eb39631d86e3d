package io.vivace.common.config;

/** The configuration cannot be used; the message names the key or value at fault. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
