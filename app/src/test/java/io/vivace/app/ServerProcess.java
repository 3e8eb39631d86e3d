package io.vivace.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The vivace binary as a separate process (same JDK and classpath as the tests), so it can be killed. */
final class ServerProcess implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("query API on :(\\d+), OTLP gRPC on :(\\d+), OTLP HTTP on :(\\d+)");

    final Process process;
    final int queryPort;
    final int grpcPort;
    final int httpPort;
    private final List<String> output = new ArrayList<>();

    private ServerProcess(Process process, int queryPort, int grpcPort, int httpPort) {
        this.process = process;
        this.queryPort = queryPort;
        this.grpcPort = grpcPort;
        this.httpPort = httpPort;
    }

    /** Starts the server and returns once it logged that it is ready. */
    static ServerProcess start(Path configFile) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "-config.file=" + configFile));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        for (String line; (line = out.readLine()) != null; ) {
            seen.add(line);
            Matcher m = READY.matcher(line);
            if (m.find()) {
                ServerProcess server = new ServerProcess(p, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)));
                server.output.addAll(seen);
                Thread drain = new Thread(() -> server.drain(out), "server-output");
                drain.setDaemon(true);
                drain.start();
                return server;
            }
        }
        throw new IOException("server exited before it was ready:\n" + String.join("\n", seen));
    }

    private void drain(BufferedReader out) {
        try {
            for (String line; (line = out.readLine()) != null; ) {
                synchronized (output) {
                    output.add(line);
                }
            }
        } catch (IOException ignored) {
            // the process went away
        }
    }

    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** SIGKILL: no shutdown hook, no flush. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    static Path writeConfig(Path dir, String yaml) throws IOException {
        Path file = dir.resolve("vivace.yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
