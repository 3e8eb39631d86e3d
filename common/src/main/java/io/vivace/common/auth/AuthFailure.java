package io.vivace.common.auth;

/** Why a request was refused before reaching its handler, with the HTTP status and gRPC code it becomes. */
public record AuthFailure(Kind kind, String message) {

    public enum Kind {
        /** Malformed or unusable tenant header. */
        BAD_REQUEST(400, io.grpc.Status.Code.INVALID_ARGUMENT),
        /** Missing or invalid credentials (and, as in Tempo, a missing tenant header). */
        UNAUTHENTICATED(401, io.grpc.Status.Code.UNAUTHENTICATED),
        /** Valid credentials that may not use this tenant. */
        FORBIDDEN(403, io.grpc.Status.Code.PERMISSION_DENIED),
        /** The Kubernetes API or key source could not be reached: retryable, so collectors keep their data. */
        UNAVAILABLE(503, io.grpc.Status.Code.UNAVAILABLE);

        private final int httpStatus;
        private final io.grpc.Status.Code grpcCode;

        Kind(int httpStatus, io.grpc.Status.Code grpcCode) {
            this.httpStatus = httpStatus;
            this.grpcCode = grpcCode;
        }

        public int httpStatus() {
            return httpStatus;
        }

        public io.grpc.Status.Code grpcCode() {
            return grpcCode;
        }

        public String label() {
            return name().toLowerCase();
        }
    }
}
