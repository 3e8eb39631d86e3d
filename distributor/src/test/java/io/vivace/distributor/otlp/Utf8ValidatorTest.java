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
