package io.vivace.distributor.receiver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class GrpcFrameTest {

    private static final byte[] MESSAGE = "an OTLP request".getBytes(StandardCharsets.UTF_8);

    static byte[] frame(int flag, byte[] message) {
        return ByteBuffer.allocate(5 + message.length).put((byte) flag).putInt(message.length).put(message).array();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void anUncompressedMessageIsReadInPlace() throws Exception {
        byte[] body = frame(0, MESSAGE);
        GrpcFrame f = GrpcFrame.parse(body, GrpcEncoding.IDENTITY, 100);
        assertSame(body, f.bytes());
        assertEquals(5, f.offset());
        assertArrayEquals(MESSAGE, Arrays.copyOfRange(f.bytes(), f.offset(), f.offset() + f.length()));
    }

    @Test
    void aGzippedMessageIsInflated() throws Exception {
        GrpcFrame f = GrpcFrame.parse(frame(1, gzip(MESSAGE)), GrpcEncoding.GZIP, 100);
        assertArrayEquals(MESSAGE, Arrays.copyOfRange(f.bytes(), f.offset(), f.offset() + f.length()));
    }

    @Test
    void anUncompressedMessageIsAcceptedWhateverTheEncoding() throws Exception {
        assertEquals(MESSAGE.length, GrpcFrame.parse(frame(0, MESSAGE), GrpcEncoding.GZIP, 100).length());
    }

    @Test
    void oversizedMessagesAreRefusedByDeclaredOrInflatedLength() throws Exception {
        assertThrows(GrpcFrame.TooLargeException.class, () -> GrpcFrame.parse(frame(0, MESSAGE), GrpcEncoding.IDENTITY, MESSAGE.length - 1));
        byte[] bomb = gzip(new byte[10_000]);
        assertTrue(bomb.length < 1000);
        assertThrows(GrpcFrame.TooLargeException.class, () -> GrpcFrame.parse(frame(1, bomb), GrpcEncoding.GZIP, 1000));
        assertEquals(MESSAGE.length, GrpcFrame.parse(frame(0, MESSAGE), GrpcEncoding.IDENTITY, MESSAGE.length).length());
    }

    @Test
    void malformedFramesNameTheProblem() throws Exception {
        assertMessage("no complete 5-byte message prefix", new byte[] {0, 0}, GrpcEncoding.IDENTITY);
        byte[] truncated = Arrays.copyOf(frame(0, MESSAGE), 10);
        assertMessage("exactly one message of 15 bytes, but has 5 bytes", truncated, GrpcEncoding.IDENTITY);
        byte[] twoMessages = ByteBuffer.allocate(2 * (5 + MESSAGE.length)).put(frame(0, MESSAGE)).put(frame(0, MESSAGE)).array();
        assertMessage("exactly one message", twoMessages, GrpcEncoding.IDENTITY);
        assertMessage("marked compressed but the request has no grpc-encoding", frame(1, gzip(MESSAGE)), GrpcEncoding.IDENTITY);
        assertMessage("not valid gzip", frame(1, MESSAGE), GrpcEncoding.GZIP);
        assertMessage("invalid compressed flag 7", frame(7, MESSAGE), GrpcEncoding.IDENTITY);
    }

    private static void assertMessage(String expected, byte[] body, GrpcEncoding encoding) {
        GrpcFrame.InvalidFrameException e = assertThrows(GrpcFrame.InvalidFrameException.class,
                () -> GrpcFrame.parse(body, encoding, 1 << 20));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void encodingHeaderNames() {
        assertEquals(GrpcEncoding.IDENTITY, GrpcEncoding.of(null));
        assertEquals(GrpcEncoding.IDENTITY, GrpcEncoding.of("identity"));
        assertEquals(GrpcEncoding.GZIP, GrpcEncoding.of("gzip"));
        assertEquals(GrpcEncoding.UNSUPPORTED, GrpcEncoding.of("zstd"));
    }
}
