package io.vivace.distributor.receiver;

/** The {@code grpc-encoding} of a request: how a message whose compressed flag is set was compressed. */
enum GrpcEncoding {
    IDENTITY,
    GZIP,
    UNSUPPORTED;

    static GrpcEncoding of(String header) {
        if (header == null || header.equalsIgnoreCase("identity")) {
            return IDENTITY;
        }
        return header.equalsIgnoreCase("gzip") ? GZIP : UNSUPPORTED;
    }
}
