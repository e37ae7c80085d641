package io.roster.cluster;

import io.roster.raft.PeerCodec;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * One member's status as it sees itself, as etcd's endpoint status has it plus the member's Raft role:
 * what {@code GET /v1/status} answers, and what the {@code member.status} peer operation carries
 * ({@link ClusterStatus#MEMBER_STATUS}). Its layout on the peer port, version 1, big-endian:
 * <pre>
 * i64 cluster id · i64 member id · i64 leader's member id (0: none known) · i64 term · i64 last log index
 * · i64 commit index · i64 applied index · i64 revision · i64 data dir bytes
 * · u8 length + role (a-z and '-') · u16 length + name (UTF-8) · u16 length + version (UTF-8)
 * </pre>
 * Decoding refuses anything else (a truncated or longer body, a negative index, malformed UTF-8, an empty
 * name) with {@link IllegalArgumentException}.
 *
 * @param leaderId     the leader's member id as this member knows it, or {@link #NO_LEADER}
 * @param role         {@code leader}, {@code follower}, {@code learner}, {@code candidate}, or another JRaft
 *                     state in lower case ({@code transferring}, {@code error}, ...)
 * @param raftIndex    the last index in this member's log
 * @param commitIndex  the last index it knows committed
 * @param appliedIndex the last index it has applied
 */
public record MemberStatus(String version, long clusterId, long memberId, String name, long leaderId, String role,
                           long raftTerm, long raftIndex, long commitIndex, long appliedIndex, long revision,
                           long dbSizeBytes) {

    /** No member has id 0 ({@link io.roster.identity.MemberIds}), so it says "no leader known", as in etcd. */
    public static final long NO_LEADER = 0;
    public static final String LEADER = "leader";
    /** The layout on the peer port. */
    public static final PeerCodec<MemberStatus> CODEC = PeerCodec.of(MemberStatus::encode, MemberStatus::decode);

    private static final Pattern ROLE = Pattern.compile("[a-z-]{1,32}");
    private static final int MAX_TEXT_BYTES = 1024;
    private static final int FIXED_BYTES = 9 * Long.BYTES;

    public MemberStatus {
        requireText(version, "version");
        requireText(name, "name");
        if (role == null || !ROLE.matcher(role).matches()) {
            throw new IllegalArgumentException("a role is 1 to 32 letters a-z or '-', not '" + role + "'");
        }
        if (memberId == 0 || clusterId == 0) {
            throw new IllegalArgumentException("a member and a cluster id are never 0");
        }
        if (raftTerm < 0 || raftIndex < 0 || commitIndex < 0 || appliedIndex < 0 || revision < 0 || dbSizeBytes < 0) {
            throw new IllegalArgumentException("a term, an index, a revision or a size is never negative: term " + raftTerm
                    + ", indexes " + raftIndex + "/" + commitIndex + "/" + appliedIndex + ", revision " + revision
                    + ", " + dbSizeBytes + " bytes");
        }
    }

    public boolean hasLeader() {
        return leaderId != NO_LEADER;
    }

    public boolean isLeader() {
        return LEADER.equals(role);
    }

    static byte[] encode(MemberStatus status) {
        byte[] role = status.role.getBytes(StandardCharsets.US_ASCII);
        byte[] name = status.name.getBytes(StandardCharsets.UTF_8);
        byte[] version = status.version.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(FIXED_BYTES + 1 + role.length + 2 + name.length + 2 + version.length)
                .putLong(status.clusterId).putLong(status.memberId).putLong(status.leaderId)
                .putLong(status.raftTerm).putLong(status.raftIndex).putLong(status.commitIndex).putLong(status.appliedIndex)
                .putLong(status.revision).putLong(status.dbSizeBytes)
                .put((byte) role.length).put(role)
                .putShort((short) name.length).put(name)
                .putShort((short) version.length).put(version)
                .array();
    }

    static MemberStatus decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try {
            long clusterId = buffer.getLong();
            long memberId = buffer.getLong();
            long leaderId = buffer.getLong();
            long term = buffer.getLong();
            long raftIndex = buffer.getLong();
            long commitIndex = buffer.getLong();
            long appliedIndex = buffer.getLong();
            long revision = buffer.getLong();
            long dbSizeBytes = buffer.getLong();
            String role = text(buffer, Byte.toUnsignedInt(buffer.get()), "role");
            String name = text(buffer, Short.toUnsignedInt(buffer.getShort()), "name");
            String version = text(buffer, Short.toUnsignedInt(buffer.getShort()), "version");
            if (buffer.hasRemaining()) {
                throw new IllegalArgumentException("a member status of " + bytes.length + " bytes has " + buffer.remaining()
                        + " bytes after its last field");
            }
            return new MemberStatus(version, clusterId, memberId, name, leaderId, role, term, raftIndex, commitIndex,
                    appliedIndex, revision, dbSizeBytes);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("a member status of " + bytes.length + " bytes is truncated", e);
        }
    }

    private static String text(ByteBuffer buffer, int length, String field) {
        if (length > buffer.remaining()) {
            throw new IllegalArgumentException("the " + field + " of a member status takes " + length + " bytes, but "
                    + buffer.remaining() + " are left");
        }
        ByteBuffer slice = buffer.slice();
        slice.limit(length);
        buffer.position(buffer.position() + length);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the " + field + " of a member status is not UTF-8", e);
        }
    }

    private static void requireText(String text, String field) {
        if (text == null || text.isEmpty() || text.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
            throw new IllegalArgumentException("a member status's " + field + " is 1 to " + MAX_TEXT_BYTES + " bytes of UTF-8");
        }
    }
}
