package io.vivace.app;

import java.nio.file.Path;
import java.util.Optional;

/** Tempo-style flags: {@code -config.file=PATH}, {@code -target=all}; {@code -config.expand-env} is accepted (always on). */
record CommandLine(Optional<Path> configFile, Optional<String> target, boolean help) {

    static CommandLine parse(String[] args) {
        Optional<Path> config = Optional.empty();
        Optional<String> target = Optional.empty();
        boolean help = false;
        for (String arg : args) {
            String a = arg.startsWith("--") ? arg.substring(1) : arg;
            if (a.startsWith("-config.file=")) {
                config = Optional.of(Path.of(a.substring("-config.file=".length())));
            } else if (a.startsWith("-target=")) {
                target = Optional.of(a.substring("-target=".length()));
            } else if (a.equals("-config.expand-env") || a.equals("-config.expand-env=true")) {
                // ${ENV} references are always expanded.
            } else if (a.equals("-h") || a.equals("-help")) {
                help = true;
            } else {
                throw new IllegalArgumentException("unknown flag " + arg + " (known: -config.file=PATH, -target=all, -config.expand-env)");
            }
        }
        return new CommandLine(config, target, help);
    }

    static String usage() {
        return """
                Usage: vivace [-config.file=PATH] [-target=all]
                  -config.file=PATH   YAML configuration (Tempo-shaped); without it the embedded defaults are used
                  -target=all         components to run; 'all' (single binary) is the only target so far
                """;
    }
}
