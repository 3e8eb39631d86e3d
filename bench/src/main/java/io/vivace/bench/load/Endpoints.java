package io.vivace.bench.load;

import io.vivace.bench.load.LoadOptions.UsageException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;

/** Parses the endpoint options and refuses anything that is not a loopback address. */
final class Endpoints {
    private Endpoints() {}

    /** An HTTP base URI ({@code http://host:port}) and the path part of the endpoint. */
    record Target(URI base, String path) {}

    /** {@code host:port} or {@code http://host:port}, as used for OTLP gRPC. */
    static Target grpc(String endpoint) throws UsageException {
        Target target = http("--endpoint", endpoint, "");
        if (!target.path().isEmpty() && !target.path().equals("/")) {
            throw new UsageException("--endpoint for gRPC is host:port, without a path: " + endpoint);
        }
        return target;
    }

    /** A plain {@code http://} URL or {@code host:port}; {@code defaultPath} is used when the URL has no path. */
    static Target http(String option, String url, String defaultPath) throws UsageException {
        if (!url.contains("://")) url = "http://" + url;
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new UsageException(option + " is not a valid URL: " + url);
        }
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            throw new UsageException(option + " must use http:// (the load tool speaks plaintext to a local server): " + url);
        }
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw new UsageException(option + " needs an explicit host and port: " + url);
        }
        requireLoopback(option, uri.getHost());
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? defaultPath : uri.getRawPath();
        URI base = URI.create("http://" + uri.getRawAuthority());
        return new Target(base, path);
    }

    static void requireLoopback(String option, String host) throws UsageException {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new UsageException(option + ": unknown host " + host);
        }
        for (InetAddress address : addresses) {
            if (!address.isLoopbackAddress()) {
                throw new UsageException(option + ": " + host + " is not a loopback address; the load tool only talks to this machine");
            }
        }
    }
}
