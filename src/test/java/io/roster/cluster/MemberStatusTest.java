package io.roster.cluster;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code member.status} answer's layout: what is written is read back, and nothing else is read. */
class MemberStatusTest {

    private static final MemberStatus STATUS = new MemberStatus("0.1.0", 0x5a1d2c3b4e5f6a7bL, 0x8d1e2f3a4b5c6d7eL, "n1-ü",
            0x0d1e2f3a4b5c6d7eL, "leader", 2, 120, 118, 117, 57, 1_048_576);

    @Test
    void aStatusReadsBackAsWritten() {
        assertThat(MemberStatus.CODEC.decode(MemberStatus.CODEC.encode(STATUS))).isEqualTo(STATUS);
        MemberStatus leaderless = new MemberStatus("development", 1, 2, "n2", MemberStatus.NO_LEADER, "candidate", 0, 0, 0, 0, 0, 0);
        assertThat(MemberStatus.CODEC.decode(MemberStatus.CODEC.encode(leaderless))).isEqualTo(leaderless);
        assertThat(leaderless.hasLeader()).isFalse();
        assertThat(STATUS.isLeader()).isTrue();
    }

    @Test
    void theLayoutIsFixedFieldsThenThreeLengthPrefixedTexts() {
        byte[] bytes = MemberStatus.CODEC.encode(STATUS);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        assertThat(new long[] {buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong(),
                buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong()})
                .containsExactly(0x5a1d2c3b4e5f6a7bL, 0x8d1e2f3a4b5c6d7eL, 0x0d1e2f3a4b5c6d7eL, 2, 120, 118, 117, 57, 1_048_576);
        assertThat(buffer.get()).isEqualTo((byte) 6); // "leader"
        buffer.position(buffer.position() + 6);
        assertThat(buffer.getShort()).isEqualTo((short) 5); // "n1-ü" in UTF-8
        buffer.position(buffer.position() + 5);
        assertThat(buffer.getShort()).isEqualTo((short) 5); // "0.1.0"
        assertThat(buffer.remaining()).isEqualTo(5);
    }

    @Test
    void everyTruncationAndAnyTrailingByteIsRefused() {
        byte[] bytes = MemberStatus.CODEC.encode(STATUS);
        for (int length = 0; length < bytes.length; length++) {
            byte[] truncated = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> MemberStatus.CODEC.decode(truncated)).as("%d of %d bytes", length, bytes.length)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> MemberStatus.CODEC.decode(Arrays.copyOf(bytes, bytes.length + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 bytes after its last field");
    }

    @Test
    void malformedFieldsAreRefused() {
        byte[] bytes = MemberStatus.CODEC.encode(STATUS);
        int role = 9 * Long.BYTES + 1;
        int name = role + 6 + 2;

        byte[] negativeTerm = bytes.clone();
        ByteBuffer.wrap(negativeTerm).putLong(3 * Long.BYTES, -1);
        assertThatThrownBy(() -> MemberStatus.CODEC.decode(negativeTerm)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("never negative");

        byte[] noMember = bytes.clone();
        ByteBuffer.wrap(noMember).putLong(Long.BYTES, 0);
        assertThatThrownBy(() -> MemberStatus.CODEC.decode(noMember)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("never 0");

        byte[] upperCaseRole = bytes.clone();
        upperCaseRole[role] = 'L';
        assertThatThrownBy(() -> MemberStatus.CODEC.decode(upperCaseRole)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a role is");

        byte[] notUtf8 = bytes.clone();
        notUtf8[name] = (byte) 0xC3;
        notUtf8[name + 1] = (byte) 0x28; // a lead byte followed by no continuation byte
        assertThatThrownBy(() -> MemberStatus.CODEC.decode(notUtf8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name of a member status is not UTF-8");

        byte[] tooLong = bytes.clone();
        ByteBuffer.wrap(tooLong).putShort(name - 2, (short) 0xFFFF);
        assertThatThrownBy(() -> MemberStatus.CODEC.decode(tooLong)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes 65535 bytes");

        byte[] emptyName = ByteBuffer.allocate(bytes.length - 5).put(bytes, 0, name - 2).putShort((short) 0)
                .put(bytes, name + 5, bytes.length - name - 5).array();
        assertThatThrownBy(() -> MemberStatus.CODEC.decode(emptyName)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name is 1 to");
    }

    @Test
    void aStatusThatCannotBeWrittenIsRefusedWhenMade() {
        assertThatThrownBy(() -> new MemberStatus("0.1.0", 1, 2, "n1", 0, "Leader", 1, 1, 1, 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MemberStatus("0.1.0", 1, 2, "x".repeat(1025), 0, "leader", 1, 1, 1, 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
