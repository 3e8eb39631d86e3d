package io.vivace.distributor.otlp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Decodes OTLP/JSON. It differs from protobuf's canonical JSON in one way: trace and span IDs are hex, not
 * base64, so they are rewritten before the protobuf JSON parser reads the message.
 */
public final class OtlpJsonDecoder {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final String[] ID_FIELDS = {"traceId", "trace_id", "spanId", "span_id", "parentSpanId", "parent_span_id"};

    private OtlpJsonDecoder() {
    }

    /** Returns the request re-encoded as protobuf. */
    public static byte[] decode(byte[] json) throws InvalidOtlpException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidOtlpException("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidOtlpException("malformed JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidOtlpException("malformed JSON: expected an object with resourceSpans");
        }
        for (JsonNode rs : array(root, "resourceSpans", "resource_spans")) {
            for (JsonNode ss : array(rs, "scopeSpans", "scope_spans")) {
                for (JsonNode span : array(ss, "spans", "spans")) {
                    hexIdsToBase64(span);
                    for (JsonNode link : array(span, "links", "links")) {
                        hexIdsToBase64(link);
                    }
                }
            }
        }
        ExportTraceServiceRequest.Builder builder = ExportTraceServiceRequest.newBuilder();
        try {
            PARSER.merge(root.toString(), builder);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidOtlpException("invalid OTLP JSON: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new InvalidOtlpException("invalid OTLP JSON: " + e.getMessage());
        }
        return builder.build().toByteArray();
    }

    private static Iterable<JsonNode> array(JsonNode parent, String name, String protoName) {
        JsonNode n = parent.get(name);
        if (n == null) {
            n = parent.get(protoName);
        }
        return n != null && n.isArray() ? n : java.util.List.of();
    }

    private static void hexIdsToBase64(JsonNode node) throws InvalidOtlpException {
        if (!(node instanceof ObjectNode obj)) {
            return;
        }
        for (String field : ID_FIELDS) {
            JsonNode v = obj.get(field);
            if (v == null || !v.isTextual()) {
                continue;
            }
            String hex = v.asText();
            if (hex.length() % 2 != 0 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new InvalidOtlpException(field + " is not a hex string: '" + abbreviate(hex) + "'");
            }
            obj.put(field, Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex)));
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
