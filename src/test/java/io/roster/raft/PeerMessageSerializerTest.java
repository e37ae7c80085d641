package io.roster.raft;

import com.alipay.remoting.exception.DeserializationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PeerMessageSerializerTest {

    @Test
    void requestsAndResponsesSurviveTheWire() throws Exception {
        byte[] body = "a command".getBytes(StandardCharsets.UTF_8);

        PeerRequest request = PeerMessageSerializer.decodeRequest(PeerMessageSerializer.encode(new PeerRequest("propose", 1, body)));
        PeerResponse ok = PeerMessageSerializer.decodeResponse(PeerMessageSerializer.encode(PeerResponse.ok(body)));
        PeerResponse refused = PeerMessageSerializer.decodeResponse(
                PeerMessageSerializer.encode(PeerResponse.error(PeerResponse.NOT_LEADER, "not the leader — ask n2")));

        assertThat(request.operation()).isEqualTo("propose");
        assertThat(request.body()).isEqualTo(body);
        assertThat(ok.status()).isEqualTo(PeerResponse.OK);
        assertThat(ok.body()).isEqualTo(body);
        assertThat(ok.message()).isNull();
        assertThat(refused.status()).isEqualTo(PeerResponse.NOT_LEADER);
        assertThat(refused.body()).isNull();
        assertThat(refused.message()).isEqualTo("not the leader — ask n2");
    }

    @Test
    void aFrameOfAnotherFormatIsRefusedNotGuessedAt() throws Exception {
        byte[] frame = PeerMessageSerializer.encode(new PeerRequest("propose", 1, new byte[] {1, 2}));
        frame[0] = 9;

        assertThatThrownBy(() -> PeerMessageSerializer.decodeRequest(frame))
                .isInstanceOf(DeserializationException.class)
                .hasMessageContaining("format 9").hasMessageContaining("reads format 1 and 2 only");
    }

    /** Version 1 of an operation travels as releases without operation versions framed it, byte for byte. */
    @Test
    void version1GoesInTheUnversionedFormatAndLaterVersionsCarryTheirNumber() throws Exception {
        byte[] body = {7, 8};
        byte[] first = PeerMessageSerializer.encode(new PeerRequest("lease.keep-alive", 1, body));
        byte[] third = PeerMessageSerializer.encode(new PeerRequest("lease.keep-alive", 3, body));
        String name = "lease.keep-alive";

        assertThat(first).isEqualTo(java.nio.ByteBuffer.allocate(1 + 2 + name.length() + 4 + body.length)
                .put((byte) 1).putShort((short) name.length()).put(name.getBytes(StandardCharsets.US_ASCII)).putInt(body.length).put(body)
                .array());
        assertThat(third[0]).isEqualTo((byte) 2);
        PeerRequest decoded = PeerMessageSerializer.decodeRequest(third);
        assertThat(decoded.operation()).isEqualTo(name);
        assertThat(decoded.version()).isEqualTo(3);
        assertThat(decoded.body()).isEqualTo(body);
        assertThat(PeerMessageSerializer.decodeRequest(first).version()).isEqualTo(1);
    }

    @Test
    void truncatedOverlongAndPaddedFramesAreRefused() throws Exception {
        byte[] frame = PeerMessageSerializer.encode(new PeerRequest("propose", 1, new byte[] {1, 2, 3}));
        byte[] padded = Arrays.copyOf(frame, frame.length + 1);
        byte[] overlong = frame.clone();
        overlong[1 + 2 + "propose".length() + 3] = 100; // the body's length, past the end

        for (byte[] bad : new byte[][] {Arrays.copyOf(frame, frame.length - 1), padded, overlong, new byte[0]}) {
            assertThatThrownBy(() -> PeerMessageSerializer.decodeRequest(bad)).isInstanceOf(DeserializationException.class);
        }
        assertThatThrownBy(() -> PeerMessageSerializer.decodeResponse(new byte[] {1, 0, 0, 0, 0, 9}))
                .isInstanceOf(DeserializationException.class).hasMessageContaining("malformed peer response");
    }
}
