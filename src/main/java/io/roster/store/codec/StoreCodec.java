package io.roster.store.codec;

import io.roster.store.CorruptEntryException;
import io.roster.store.AuthRecord;
import io.roster.store.KeyValue;
import io.roster.store.Lease;
import io.roster.store.Member;
import io.roster.store.StoreState;
import io.roster.store.command.AddMember;
import io.roster.store.command.CheckpointLeases;
import io.roster.store.command.Command;
import io.roster.store.command.CommandResult;
import io.roster.store.command.Delete;
import io.roster.store.command.GrantAndPut;
import io.roster.store.command.GrantLease;
import io.roster.store.command.PublishMember;
import io.roster.store.command.Noop;
import io.roster.store.command.PromoteMember;
import io.roster.store.command.PutAuthRecord;
import io.roster.store.command.Put;
import io.roster.store.command.RemoveMember;
import io.roster.store.command.RevokeLease;
import io.roster.store.command.UpdateMemberPeers;

import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The versioned binary encoding of commands (log entries), command results (answers forwarded between
 * peers) and store snapshots.
 * <p>
 * Every encoding starts with a format version. A node refuses anything whose version or tag it does not
 * know, rather than guessing: replicas that skip an entry they cannot read diverge silently. A newer
 * version adds tags or a new format number; it never changes what an existing tag means, so logs written
 * by older nodes stay readable.
 */
public final class StoreCodec {

    public static final int COMMAND_FORMAT = 1;
    public static final int RESULT_FORMAT = 1;
    /** 2 adds the auth revision and records after the removed members; format 1 (without them) is still read. */
    public static final int SNAPSHOT_FORMAT = 2;
    private static final long SNAPSHOT_MAGIC = 0x524F535445525331L; // "ROSTERS1"

    private static final int PUT = 1;
    private static final int DELETE = 2;
    private static final int GRANT_LEASE = 3;
    private static final int REVOKE_LEASE = 4;
    private static final int CHECKPOINT_LEASES = 5;
    private static final int PUBLISH_MEMBER = 6;
    private static final int GRANT_AND_PUT = 7;
    private static final int ADD_MEMBER = 8;
    private static final int REMOVE_MEMBER = 9;
    private static final int UPDATE_MEMBER_PEERS = 10;
    private static final int PROMOTE_MEMBER = 11;
    private static final int NOOP = 12;
    private static final int PUT_AUTH_RECORD = 13;

    private static final int WRITTEN = 1;
    private static final int DELETED = 2;
    private static final int COMPARE_FAILED = 3;
    private static final int LEASE_GRANTED = 4;
    private static final int LEASE_REVOKED = 5;
    private static final int LEASE_NOT_FOUND = 6;
    private static final int LEASE_ALREADY_EXISTS = 7;
    private static final int DONE = 8;
    private static final int REJECTED = 9;

    private StoreCodec() {
    }

    // ---- commands ----

    public static byte[] encodeCommand(Command command) {
        BinaryWriter out = new BinaryWriter(64);
        out.writeByte(COMMAND_FORMAT);
        if (command instanceof Put put) {
            out.writeByte(PUT).writeString(put.key()).writeBytes(put.value())
                    .writeVarLong(put.lease()).writeSignedVarLong(put.prevRevision());
        } else if (command instanceof Delete delete) {
            out.writeByte(DELETE).writeString(delete.key()).writeBoolean(delete.prefix())
                    .writeSignedVarLong(delete.prevRevision());
        } else if (command instanceof GrantLease grant) {
            out.writeByte(GRANT_LEASE).writeVarLong(grant.id()).writeVarLong(grant.ttlSeconds());
        } else if (command instanceof RevokeLease revoke) {
            out.writeByte(REVOKE_LEASE).writeVarLong(revoke.id()).writeBoolean(revoke.expired());
        } else if (command instanceof CheckpointLeases checkpoint) {
            out.writeByte(CHECKPOINT_LEASES).writeVarLong(checkpoint.checkpoints().size());
            for (CheckpointLeases.Checkpoint each : checkpoint.checkpoints()) {
                out.writeVarLong(each.leaseId()).writeSignedVarLong(each.remainingMillis());
            }
        } else if (command instanceof PublishMember publish) {
            writeMember(out.writeByte(PUBLISH_MEMBER), publish.member());
        } else if (command instanceof GrantAndPut grantAndPut) {
            out.writeByte(GRANT_AND_PUT).writeString(grantAndPut.key()).writeBytes(grantAndPut.value())
                    .writeVarLong(grantAndPut.leaseId()).writeVarLong(grantAndPut.ttlSeconds());
        } else if (command instanceof AddMember add) {
            writeMember(out.writeByte(ADD_MEMBER), add.member());
        } else if (command instanceof RemoveMember remove) {
            out.writeByte(REMOVE_MEMBER).writeFixedLong(remove.id());
        } else if (command instanceof UpdateMemberPeers update) {
            writeStrings(out.writeByte(UPDATE_MEMBER_PEERS).writeFixedLong(update.id()), update.peerUrls());
        } else if (command instanceof PromoteMember promote) {
            out.writeByte(PROMOTE_MEMBER).writeFixedLong(promote.id());
        } else if (command instanceof Noop) {
            out.writeByte(NOOP);
        } else if (command instanceof PutAuthRecord record) {
            out.writeByte(PUT_AUTH_RECORD).writeString(record.name()).writeBoolean(record.value() != null);
            if (record.value() != null) {
                out.writeBytes(record.value());
            }
            out.writeSignedVarLong(record.expectedRevision());
        } else {
            throw new IllegalArgumentException("no encoding for " + command.getClass().getName());
        }
        return out.toByteArray();
    }

    public static Command decodeCommand(byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes);
        int format = in.readByte();
        if (format != COMMAND_FORMAT) {
            throw new CorruptEntryException("log entry has command format " + format
                    + " but this node reads only format " + COMMAND_FORMAT + "; upgrade this node");
        }
        int tag = in.readByte();
        Command command = switch (tag) {
            case PUT -> new Put(in.readString(), in.readBytes(), in.readVarLong(), in.readSignedVarLong());
            case DELETE -> {
                String key = in.readString();
                boolean prefix = in.readBoolean();
                long prevRevision = in.readSignedVarLong();
                if (prefix && prevRevision != Command.NO_COMPARE) {
                    throw new CorruptEntryException("log entry has a prefix delete with prevRevision " + prevRevision);
                }
                yield new Delete(key, prefix, prevRevision);
            }
            case GRANT_LEASE -> new GrantLease(in.readVarLong(), in.readVarLong());
            case REVOKE_LEASE -> new RevokeLease(in.readVarLong(), in.readBoolean());
            case CHECKPOINT_LEASES -> {
                int count = in.readCount();
                List<CheckpointLeases.Checkpoint> checkpoints = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    checkpoints.add(new CheckpointLeases.Checkpoint(in.readVarLong(), in.readSignedVarLong()));
                }
                yield new CheckpointLeases(checkpoints);
            }
            case PUBLISH_MEMBER -> new PublishMember(readMember(in));
            case GRANT_AND_PUT -> new GrantAndPut(in.readString(), in.readBytes(), in.readVarLong(), in.readVarLong());
            case ADD_MEMBER -> new AddMember(readMember(in));
            case REMOVE_MEMBER -> new RemoveMember(in.readFixedLong());
            case UPDATE_MEMBER_PEERS -> new UpdateMemberPeers(in.readFixedLong(), readStrings(in));
            case PROMOTE_MEMBER -> new PromoteMember(in.readFixedLong());
            case NOOP -> Noop.INSTANCE;
            case PUT_AUTH_RECORD -> {
                String name = in.readString();
                byte[] value = in.readBoolean() ? in.readBytes() : null;
                yield new PutAuthRecord(name, value, in.readSignedVarLong());
            }
            default -> throw new CorruptEntryException("log entry has unknown command tag " + tag
                    + " (format " + format + "); upgrade this node");
        };
        in.expectEnd("command " + command.getClass().getSimpleName());
        return command;
    }

    // ---- results, as the leader sends them back to a follower that forwarded a command ----

    public static byte[] encodeResult(CommandResult result) {
        BinaryWriter out = new BinaryWriter(64);
        out.writeByte(RESULT_FORMAT);
        if (result instanceof CommandResult.Written written) {
            out.writeByte(WRITTEN);
            writeKeyValue(out, written.kv());
            writeOptionalKeyValue(out, written.previous());
        } else if (result instanceof CommandResult.Deleted deleted) {
            out.writeByte(DELETED).writeVarLong(deleted.deleted().size());
            deleted.deleted().forEach(kv -> writeKeyValue(out, kv));
        } else if (result instanceof CommandResult.CompareFailed failed) {
            writeOptionalKeyValue(out.writeByte(COMPARE_FAILED), failed.current());
        } else if (result instanceof CommandResult.LeaseGranted granted) {
            out.writeByte(LEASE_GRANTED).writeVarLong(granted.id()).writeVarLong(granted.ttlSeconds());
        } else if (result instanceof CommandResult.LeaseRevoked revoked) {
            out.writeByte(LEASE_REVOKED).writeVarLong(revoked.id()).writeVarLong(revoked.deletedKeys());
        } else if (result instanceof CommandResult.LeaseNotFound notFound) {
            out.writeByte(LEASE_NOT_FOUND).writeVarLong(notFound.id());
        } else if (result instanceof CommandResult.LeaseAlreadyExists exists) {
            out.writeByte(LEASE_ALREADY_EXISTS).writeVarLong(exists.id());
        } else if (result instanceof CommandResult.Done) {
            out.writeByte(DONE);
        } else if (result instanceof CommandResult.Rejected rejected) {
            out.writeByte(REJECTED).writeString(rejected.reason());
        } else {
            throw new IllegalArgumentException("no encoding for " + result.getClass().getName());
        }
        out.writeVarLong(result.revision());
        return out.toByteArray();
    }

    public static CommandResult decodeResult(byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes);
        int format = in.readByte();
        if (format != RESULT_FORMAT) {
            throw new CorruptEntryException("result format " + format + " is not " + RESULT_FORMAT);
        }
        int tag = in.readByte();
        CommandResult result = switch (tag) {
            case WRITTEN -> {
                KeyValue kv = readKeyValue(in);
                KeyValue previous = readOptionalKeyValue(in);
                yield new CommandResult.Written(kv, previous, in.readVarLong());
            }
            case DELETED -> {
                int count = in.readCount();
                List<KeyValue> deleted = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    deleted.add(readKeyValue(in));
                }
                yield new CommandResult.Deleted(deleted, in.readVarLong());
            }
            case COMPARE_FAILED -> {
                KeyValue current = readOptionalKeyValue(in);
                yield new CommandResult.CompareFailed(current, in.readVarLong());
            }
            case LEASE_GRANTED -> new CommandResult.LeaseGranted(in.readVarLong(), in.readVarLong(), in.readVarLong());
            case LEASE_REVOKED -> new CommandResult.LeaseRevoked(in.readVarLong(), (int) in.readVarLong(), in.readVarLong());
            case LEASE_NOT_FOUND -> new CommandResult.LeaseNotFound(in.readVarLong(), in.readVarLong());
            case LEASE_ALREADY_EXISTS -> new CommandResult.LeaseAlreadyExists(in.readVarLong(), in.readVarLong());
            case DONE -> new CommandResult.Done(in.readVarLong());
            case REJECTED -> new CommandResult.Rejected(in.readString(), in.readVarLong());
            default -> throw new CorruptEntryException("unknown result tag " + tag);
        };
        in.expectEnd("result");
        return result;
    }

    // ---- snapshots ----

    public static byte[] encodeSnapshot(StoreState state) {
        BinaryWriter out = new BinaryWriter(1024 + state.keys().size() * 96);
        out.writeFixedLong(SNAPSHOT_MAGIC).writeByte(SNAPSHOT_FORMAT).writeVarLong(state.revision());
        out.writeVarLong(state.keys().size());
        state.keys().forEach(kv -> writeKeyValue(out, kv));
        out.writeVarLong(state.leases().size());
        for (Lease lease : state.leases()) {
            out.writeVarLong(lease.id()).writeVarLong(lease.ttlSeconds()).writeSignedVarLong(lease.checkpointedRemainingMillis());
        }
        out.writeVarLong(state.members().size());
        state.members().forEach(member -> writeMember(out, member));
        out.writeVarLong(state.removedMemberIds().size());
        state.removedMemberIds().forEach(out::writeFixedLong);
        out.writeVarLong(state.authRevision()).writeVarLong(state.authRecords().size());
        for (AuthRecord record : state.authRecords()) {
            out.writeString(record.name()).writeBytes(record.value()).writeVarLong(record.modRevision());
        }
        byte[] body = out.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(body);
        return new BinaryWriter(body.length + 8).writeRaw(body).writeFixedLong(crc.getValue()).toByteArray();
    }

    public static StoreState decodeSnapshot(byte[] bytes) {
        if (bytes.length < 17) {
            throw new CorruptEntryException("snapshot of " + bytes.length + " bytes is truncated");
        }
        int bodyLength = bytes.length - 8;
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bodyLength);
        long expected = new BinaryReader(bytes, bodyLength, 8).readFixedLong();
        if (crc.getValue() != expected) {
            throw new CorruptEntryException("snapshot checksum mismatch: the file is damaged");
        }
        BinaryReader in = new BinaryReader(bytes, 0, bodyLength);
        if (in.readFixedLong() != SNAPSHOT_MAGIC) {
            throw new CorruptEntryException("not a Roster snapshot");
        }
        int format = in.readByte();
        if (format != 1 && format != SNAPSHOT_FORMAT) {
            throw new CorruptEntryException("snapshot format " + format + " but this node reads formats 1 to "
                    + SNAPSHOT_FORMAT + "; upgrade this node");
        }
        long revision = in.readVarLong();
        int keyCount = in.readCount();
        List<KeyValue> keys = new ArrayList<>(keyCount);
        for (int i = 0; i < keyCount; i++) {
            keys.add(readKeyValue(in));
        }
        int leaseCount = in.readCount();
        List<Lease> leases = new ArrayList<>(leaseCount);
        for (int i = 0; i < leaseCount; i++) {
            leases.add(new Lease(in.readVarLong(), in.readVarLong(), in.readSignedVarLong()));
        }
        int memberCount = in.readCount();
        List<Member> members = new ArrayList<>(memberCount);
        for (int i = 0; i < memberCount; i++) {
            members.add(readMember(in));
        }
        int removedCount = in.readCount();
        List<Long> removed = new ArrayList<>(removedCount);
        for (int i = 0; i < removedCount; i++) {
            removed.add(in.readFixedLong());
        }
        List<AuthRecord> authRecords = new ArrayList<>();
        long authRevision = 0;
        if (format >= 2) {
            authRevision = in.readVarLong();
            int recordCount = in.readCount();
            for (int i = 0; i < recordCount; i++) {
                authRecords.add(new AuthRecord(in.readString(), in.readBytes(), in.readVarLong()));
            }
        }
        in.expectEnd("snapshot");
        return new StoreState(revision, keys, leases, members, removed, authRevision, authRecords);
    }

    // ---- shared pieces ----

    private static void writeKeyValue(BinaryWriter out, KeyValue kv) {
        out.writeString(kv.key()).writeBytes(kv.value()).writeVarLong(kv.createRevision())
                .writeVarLong(kv.modRevision()).writeVarLong(kv.version()).writeVarLong(kv.lease());
    }

    private static KeyValue readKeyValue(BinaryReader in) {
        return new KeyValue(in.readString(), in.readBytes(), in.readVarLong(), in.readVarLong(), in.readVarLong(), in.readVarLong());
    }

    private static void writeOptionalKeyValue(BinaryWriter out, KeyValue kv) {
        out.writeBoolean(kv != null);
        if (kv != null) {
            writeKeyValue(out, kv);
        }
    }

    private static KeyValue readOptionalKeyValue(BinaryReader in) {
        return in.readBoolean() ? readKeyValue(in) : null;
    }

    private static void writeMember(BinaryWriter out, Member member) {
        out.writeFixedLong(member.id()).writeString(member.name());
        writeStrings(out, member.peerUrls());
        writeStrings(out, member.clientUrls());
        out.writeBoolean(member.learner());
    }

    private static Member readMember(BinaryReader in) {
        return new Member(in.readFixedLong(), in.readString(), readStrings(in), readStrings(in), in.readBoolean());
    }

    private static void writeStrings(BinaryWriter out, List<String> values) {
        out.writeVarLong(values.size());
        values.forEach(out::writeString);
    }

    private static List<String> readStrings(BinaryReader in) {
        int count = in.readCount();
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(in.readString());
        }
        return values;
    }
}
