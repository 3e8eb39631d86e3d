package io.vivace.distributor.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8ValidatorTest {

    @Test
    void agreesWithTheJdkDecoderOnRandomBytes() {
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            byte[] b = new byte[random.nextInt(6)];
            random.nextBytes(b);
            assertEquals(jdkAccepts(b), Utf8Validator.isValid(b, 0, b.length), () -> java.util.HexFormat.of().formatHex(b));
        }
    }

    /** Strings long enough for the eight-bytes-at-a-time path, read at an offset, with bad or multi-byte parts anywhere. */
    @Test
    void agreesWithTheJdkDecoderOnMostlyAsciiStringsOfEveryLength() {
        Random random = new Random(11);
        for (int i = 0; i < 200_000; i++) {
            int len = random.nextInt(41);
            int off = random.nextInt(9);
            byte[] buffer = new byte[off + len + random.nextInt(9)];
            random.nextBytes(buffer);
            for (int j = off; j < off + len; j++) {
                buffer[j] = (byte) ('a' + random.nextInt(26));
            }
            for (int changes = random.nextInt(3); changes > 0 && len > 0; changes--) {
                buffer[off + random.nextInt(len)] = (byte) random.nextInt(256);
            }
            byte[] string = java.util.Arrays.copyOfRange(buffer, off, off + len);
            assertEquals(jdkAccepts(string), Utf8Validator.isValid(buffer, off, len), () -> java.util.HexFormat.of().formatHex(string));
        }
    }

    @Test
    void acceptsRealText() {
        byte[] b = "Grüße, 世界, 🎉".getBytes(StandardCharsets.UTF_8);
        assertEquals(true, Utf8Validator.isValid(b, 0, b.length));
    }

    private static boolean jdkAccepts(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
