package io.roster.cluster;

import io.roster.store.Member;
import io.roster.store.StoreState;
import io.roster.store.CorruptEntryException;
import io.roster.store.codec.StoreCodec;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * What a member tells a starting member about the cluster: its id, members and removed ids. Sent over the
 * peer port; the member table travels in the store's versioned, checksummed snapshot encoding.
 */
public record ClusterInfo(long clusterId, List<Member> members, List<Long> removedMemberIds, long revision) {

    byte[] encode() {
        byte[] table = StoreCodec.encodeSnapshot(new StoreState(revision, List.of(), List.of(), members, removedMemberIds, 0, List.of()));
        return ByteBuffer.allocate(Long.BYTES + table.length).putLong(clusterId).put(table).array();
    }

    static ClusterInfo decode(byte[] bytes) {
        if (bytes.length < Long.BYTES) {
            throw new IllegalArgumentException("cluster information of " + bytes.length + " bytes is truncated");
        }
        long clusterId = ByteBuffer.wrap(bytes).getLong();
        StoreState table;
        try {
            table = StoreCodec.decodeSnapshot(Arrays.copyOfRange(bytes, Long.BYTES, bytes.length));
        } catch (CorruptEntryException e) {
            throw new IllegalArgumentException("malformed cluster information: " + e.getMessage(), e);
        }
        return new ClusterInfo(clusterId, table.members(), table.removedMemberIds(), table.revision());
    }

    public boolean isRemoved(long memberId) {
        return removedMemberIds.contains(memberId);
    }
}
