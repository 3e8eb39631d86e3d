package io.vivace.frontend;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import io.vivace.common.proto.tempopb.SearchResponse;
import io.vivace.common.proto.tempopb.SearchTagValuesResponse;
import io.vivace.common.proto.tempopb.SearchTagValuesV2Response;
import io.vivace.common.proto.tempopb.SearchTagsResponse;
import io.vivace.common.proto.tempopb.SearchTagsV2Response;
import io.vivace.common.proto.tempopb.SearchTagsV2Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Splits a streamed response into packets of at most {@code maxBytes} encoded bytes, as Tempo's
 * {@code max_grpc_streaming_packet_size} does: every packet repeats the metrics, clients merge packets by key (trace
 * ID, set union of names and values). One element larger than the limit travels alone in its packet.
 */
final class StreamPackets {

    /** Tempo's default packet size. */
    static final int DEFAULT_MAX_BYTES = 2 * 1024 * 1024;

    private final int maxBytes;

    StreamPackets(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    List<SearchResponse> search(SearchResponse whole) {
        return split(whole, whole.getTracesList(), t -> CodedOutputStream.computeMessageSize(1, t),
                part -> whole.toBuilder().clearTraces().addAllTraces(part).build());
    }

    List<SearchTagsResponse> tags(SearchTagsResponse whole) {
        return split(whole, whole.getTagNamesList(), name -> CodedOutputStream.computeStringSize(1, name),
                part -> whole.toBuilder().clearTagNames().addAllTagNames(part).build());
    }

    List<SearchTagsV2Response> tagsV2(SearchTagsV2Response whole) {
        List<ScopedTag> tags = new ArrayList<>();
        for (SearchTagsV2Scope scope : whole.getScopesList()) {
            for (String tag : scope.getTagsList()) {
                tags.add(new ScopedTag(scope.getName(), tag));
            }
        }
        // Counted as if each tag carried its own scope header, so a packet never exceeds the limit.
        return split(whole, tags, t -> CodedOutputStream.computeStringSize(2, t.tag())
                        + CodedOutputStream.computeStringSize(1, t.scope()) + 2 * CodedOutputStream.computeUInt32SizeNoTag(maxBytes),
                part -> whole.toBuilder().clearScopes().addAllScopes(ScopedTag.group(part)).build());
    }

    List<SearchTagValuesResponse> tagValues(SearchTagValuesResponse whole) {
        return split(whole, whole.getTagValuesList(), v -> CodedOutputStream.computeStringSize(1, v),
                part -> whole.toBuilder().clearTagValues().addAllTagValues(part).build());
    }

    List<SearchTagValuesV2Response> tagValuesV2(SearchTagValuesV2Response whole) {
        return split(whole, whole.getTagValuesList(), v -> CodedOutputStream.computeMessageSize(1, v),
                part -> whole.toBuilder().clearTagValues().addAllTagValues(part).build());
    }

    private <M extends Message, E> List<M> split(M whole, List<E> elements, ToIntFunction<E> encodedBytes,
                                                   Function<List<E>, M> packetOf) {
        if (whole.getSerializedSize() <= maxBytes) {
            return List.of(whole);
        }
        int emptyPacketBytes = packetOf.apply(List.of()).getSerializedSize();
        List<M> packets = new ArrayList<>();
        List<E> current = new ArrayList<>();
        int bytes = emptyPacketBytes;
        for (E element : elements) {
            int size = encodedBytes.applyAsInt(element);
            if (!current.isEmpty() && bytes + size > maxBytes) {
                packets.add(packetOf.apply(current));
                current = new ArrayList<>();
                bytes = emptyPacketBytes;
            }
            current.add(element);
            bytes += size;
        }
        packets.add(packetOf.apply(current));
        return packets;
    }

    private record ScopedTag(String scope, String tag) {

        /** Consecutive tags of one scope become one scope entry again. */
        static List<SearchTagsV2Scope> group(List<ScopedTag> tags) {
            List<SearchTagsV2Scope> scopes = new ArrayList<>();
            SearchTagsV2Scope.Builder scope = null;
            for (ScopedTag t : tags) {
                if (scope == null || !scope.getName().equals(t.scope())) {
                    if (scope != null) {
                        scopes.add(scope.build());
                    }
                    scope = SearchTagsV2Scope.newBuilder().setName(t.scope());
                }
                scope.addTags(t.tag());
            }
            if (scope != null) {
                scopes.add(scope.build());
            }
            return scopes;
        }
    }
}
