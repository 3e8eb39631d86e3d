package io.vivace.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The server process the load tool measures when given {@code --server-pid} (it runs on this machine). */
final class ServerProcess {
    private static final String RECORDING = "vivace-load";

    private ServerProcess() {}

    /** Resident set size from {@code /proc/<pid>/status}, or 0 when it cannot be read. */
    static long residentBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /**
     * With {@code --server-jfr}, a flight recording of the server (2 ms execution samples) from now until
     * {@link Recording#close}; otherwise a recording that does nothing.
     */
    static Recording record(LoadOptions o) {
        if (o.serverJfr() == null) return () -> {};
        jcmd(o.serverPid(), "JFR.start", "name=" + RECORDING, "settings=profile", "jdk.ExecutionSample#period=2ms");
        Path file = o.serverJfr().toAbsolutePath();
        return () -> jcmd(o.serverPid(), "JFR.stop", "name=" + RECORDING, "filename=" + file);
    }

    interface Recording extends AutoCloseable {
        @Override
        void close();
    }

    private static void jcmd(long pid, String... command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        List<String> args = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
        args.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) throw new IllegalStateException(String.join(" ", args) + " failed: " + output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + args, e);
        }
    }
}
