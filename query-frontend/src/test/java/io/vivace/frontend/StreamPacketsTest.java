package io.vivace.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vivace.common.proto.tempopb.MetadataMetrics;
import io.vivace.common.proto.tempopb.SearchMetrics;
import io.vivace.common.proto.tempopb.SearchResponse;
import io.vivace.common.proto.tempopb.SearchTagValuesV2Response;
import io.vivace.common.proto.tempopb.SearchTagsV2Response;
import io.vivace.common.proto.tempopb.SearchTagsV2Scope;
import io.vivace.common.proto.tempopb.TagValue;
import io.vivace.common.proto.tempopb.TraceSearchMetadata;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamPacketsTest {

    static final SearchMetrics SEARCH_METRICS = SearchMetrics.newBuilder().setInspectedTraces(500).setTotalJobs(3).build();

    @Test
    void smallResultIsOnePacket() {
        SearchResponse whole = search(3);
        assertEquals(List.of(whole), new StreamPackets(StreamPackets.DEFAULT_MAX_BYTES).search(whole));
    }

    @Test
    void searchIsSplitIntoPacketsUnderTheLimitEachRepeatingTheMetrics() {
        SearchResponse whole = search(200);
        int max = whole.getSerializedSize() / 7;
        List<SearchResponse> packets = new StreamPackets(max).search(whole);

        assertTrue(packets.size() >= 7, "packets: " + packets.size());
        List<TraceSearchMetadata> traces = new ArrayList<>();
        for (SearchResponse p : packets) {
            assertTrue(p.getSerializedSize() <= max, p.getSerializedSize() + " > " + max);
            assertEquals(SEARCH_METRICS, p.getMetrics());
            traces.addAll(p.getTracesList());
        }
        assertEquals(whole.getTracesList(), traces);
    }

    @Test
    void anElementLargerThanThePacketTravelsAlone() {
        SearchResponse whole = search(4);
        List<SearchResponse> packets = new StreamPackets(10).search(whole);
        assertEquals(4, packets.size());
        packets.forEach(p -> assertEquals(1, p.getTracesCount()));
    }

    @Test
    void tagsV2KeepTheirScopesAcrossPackets() {
        SearchTagsV2Response.Builder b = SearchTagsV2Response.newBuilder().setMetrics(MetadataMetrics.newBuilder().setTotalJobs(2));
        for (String scope : List.of("resource", "span")) {
            SearchTagsV2Scope.Builder s = SearchTagsV2Scope.newBuilder().setName(scope);
            for (int i = 0; i < 300; i++) {
                s.addTags(scope + ".attribute." + i);
            }
            b.addScopes(s);
        }
        SearchTagsV2Response whole = b.build();
        int max = 1000;
        List<SearchTagsV2Response> packets = new StreamPackets(max).tagsV2(whole);

        List<String> merged = new ArrayList<>();
        for (SearchTagsV2Response p : packets) {
            assertTrue(p.getSerializedSize() <= max, p.getSerializedSize() + " > " + max);
            assertEquals(whole.getMetrics(), p.getMetrics());
            for (SearchTagsV2Scope s : p.getScopesList()) {
                s.getTagsList().forEach(t -> {
                    assertTrue(t.startsWith(s.getName() + "."), t + " in scope " + s.getName());
                    merged.add(t);
                });
            }
        }
        List<String> expected = new ArrayList<>();
        whole.getScopesList().forEach(s -> expected.addAll(s.getTagsList()));
        assertEquals(expected, merged);
    }

    @Test
    void typedTagValuesAreSplit() {
        SearchTagValuesV2Response.Builder b = SearchTagValuesV2Response.newBuilder();
        for (int i = 0; i < 500; i++) {
            b.addTagValues(TagValue.newBuilder().setType("string").setValue("GET /api/items/" + i));
        }
        SearchTagValuesV2Response whole = b.build();
        List<SearchTagValuesV2Response> packets = new StreamPackets(2048).tagValuesV2(whole);
        assertTrue(packets.size() > 1);
        assertEquals(whole.getTagValuesList(), packets.stream().flatMap(p -> p.getTagValuesList().stream()).toList());
    }

    static SearchResponse search(int traces) {
        SearchResponse.Builder b = SearchResponse.newBuilder().setMetrics(SEARCH_METRICS);
        for (int i = 0; i < traces; i++) {
            b.addTraces(TraceSearchMetadata.newBuilder().setTraceID(Integer.toHexString(0x100000 + i))
                    .setRootServiceName("frontend").setRootTraceName("GET /cart/" + i).setStartTimeUnixNano(i));
        }
        return b.build();
    }
}
