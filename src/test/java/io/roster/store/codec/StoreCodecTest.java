package io.roster.store.codec;

import io.roster.store.CorruptEntryException;
import io.roster.store.AuthRecord;
import io.roster.store.KeyValue;
import io.roster.store.Lease;
import io.roster.store.Member;
import io.roster.store.StoreState;
import io.roster.store.command.CheckpointLeases;
import io.roster.store.command.CheckpointLeases.Checkpoint;
import io.roster.store.command.Command;
import io.roster.store.command.CommandResult;
import io.roster.store.command.Delete;
import io.roster.store.command.GrantLease;
import io.roster.store.command.AddMember;
import io.roster.store.command.GrantAndPut;
import io.roster.store.command.Noop;
import io.roster.store.command.PromoteMember;
import io.roster.store.command.RemoveMember;
import io.roster.store.command.UpdateMemberPeers;
import io.roster.store.command.PublishMember;
import io.roster.store.command.Put;
import io.roster.store.command.PutAuthRecord;
import io.roster.store.command.RevokeLease;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.zip.CRC32C;

import static io.roster.store.command.Command.NO_COMPARE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

class StoreCodecTest {

    // ---- samples ----

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static final KeyValue KV = new KeyValue("svc/web/1", bytes("10.0.0.1:8080"), 3, 9, 4, 77);
    private static final KeyValue KV_PLAIN = new KeyValue("config/\u2603/\uFFFF", new byte[]{0, -1, 127, -128}, 1, 1, 1, 0);
    private static final KeyValue KV_EXTREME = new KeyValue("", new byte[0], Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, -1);
    private static final Member MEMBER = new Member(0x1234_5678_9ABC_DEF0L, "node-1",
            List.of("http://10.0.0.1:2380", "http://[::1]:2380"), List.of("http://10.0.0.1:2379"), false);
    private static final Member LEARNER = new Member(-1, "\u00e9l\u00e8ve", List.of(), List.of(), true);

    static List<Command> commands() {
        return List.of(
                new Put("k", bytes("v"), 0, NO_COMPARE),
                new Put("svc/web/1", bytes("10.0.0.1"), 42, 0),
                new Put("", new byte[0], Long.MAX_VALUE, Long.MAX_VALUE),
                new Put("\u00fc\u2603\uD83D\uDE00\uFFFF", new byte[]{0, -1, 1}, -7, 123_456_789_012L),
                new Put("big", new byte[70_000], 1, 5),
                new Delete("k", false, NO_COMPARE),
                new Delete("k", false, 0),
                new Delete("k", false, 99),
                new Delete("svc/", true, NO_COMPARE),
                new Delete("", true, NO_COMPARE),
                new GrantLease(1, 10),
                new GrantLease(Long.MAX_VALUE, 0),
                new GrantLease(-3, Long.MIN_VALUE),
                new RevokeLease(1, false),
                new RevokeLease(Long.MIN_VALUE, true),
                new CheckpointLeases(List.of()),
                new CheckpointLeases(List.of(new Checkpoint(1, 12_345), new Checkpoint(2, Lease.NO_CHECKPOINT),
                        new Checkpoint(Long.MAX_VALUE, Long.MIN_VALUE), new Checkpoint(-9, 0))),
                new PublishMember(MEMBER),
                new PublishMember(LEARNER),
                new GrantAndPut("registry/services/web/a1", "{\"port\":8080}".getBytes(java.nio.charset.StandardCharsets.UTF_8), 42, 30),
                new GrantAndPut("", new byte[0], Long.MAX_VALUE, 0),
                new AddMember(LEARNER),
                new PutAuthRecord("user/alice", "{\"roles\":[\"reader\"]}".getBytes(java.nio.charset.StandardCharsets.UTF_8), 0),
                new PutAuthRecord("role/reader", null, 17),
                new PutAuthRecord("", new byte[0], NO_COMPARE),
                new RemoveMember(Long.MIN_VALUE),
                new UpdateMemberPeers(7, List.of("http://a:2380", "http://b:2380")),
                new UpdateMemberPeers(-7, List.of()),
                new PromoteMember(0x1234_5678_9ABC_DEF0L),
                Noop.INSTANCE);
    }

    static List<CommandResult> results() {
        return List.of(
                new CommandResult.Written(KV, null, 9),
                new CommandResult.Written(KV_PLAIN, KV_EXTREME, Long.MAX_VALUE),
                new CommandResult.Deleted(List.of(), 1),
                new CommandResult.Deleted(List.of(KV, KV_PLAIN, KV_EXTREME), 12),
                new CommandResult.CompareFailed(null, 4),
                new CommandResult.CompareFailed(KV, 10),
                new CommandResult.LeaseGranted(5, 30, 2),
                new CommandResult.LeaseGranted(-1, Long.MAX_VALUE, 2),
                new CommandResult.LeaseRevoked(5, 3, 13),
                new CommandResult.LeaseRevoked(6, 0, 13),
                new CommandResult.LeaseRevoked(6, Integer.MAX_VALUE, 13),
                new CommandResult.LeaseNotFound(8, 1),
                new CommandResult.LeaseAlreadyExists(8, 1),
                new CommandResult.Done(1),
                new CommandResult.Done(Long.MAX_VALUE),
                new CommandResult.Rejected("peer URL http://a:2380 is already used by member 1", 3),
                new CommandResult.Rejected("", 0));
    }

    static StoreState nonTrivialState() {
        return new StoreState(42,
                List.of(KV_EXTREME, KV_PLAIN, KV, new KeyValue("svc/web/2", bytes("x"), 5, 5, 1, 77)),
                List.of(new Lease(-1, 5, Lease.NO_CHECKPOINT), new Lease(77, 30, 12_000), new Lease(78, 60, 0)),
                List.of(LEARNER, MEMBER), List.of(-2L, 5L, Long.MAX_VALUE), 41,
                List.of(new AuthRecord("enabled", bytes("true"), 40), new AuthRecord("user/alice", bytes("{}"), 41)));
    }

    private static byte[] concat(byte[] a, byte... b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A snapshot body with a freshly computed checksum, so that the parser itself gets to see it. */
    private static byte[] withChecksum(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        long value = crc.getValue();
        byte[] out = Arrays.copyOf(body, body.length + 8);
        for (int i = 0; i < 8; i++) {
            out[body.length + i] = (byte) (value >>> (56 - 8 * i));
        }
        return out;
    }

    private static byte[] bodyOf(byte[] snapshot) {
        return Arrays.copyOf(snapshot, snapshot.length - 8);
    }

    // ---- round trips ----

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandSurvivesEncodeThenDecode(Command command) {
        byte[] encoded = StoreCodec.encodeCommand(command);
        assertThat(encoded[0]).isEqualTo((byte) StoreCodec.COMMAND_FORMAT);
        assertThat(StoreCodec.decodeCommand(encoded)).isEqualTo(command);
        assertThat(StoreCodec.encodeCommand(command)).as("encoding is deterministic").isEqualTo(encoded);
    }

    @ParameterizedTest
    @MethodSource("results")
    void everyResultSurvivesEncodeThenDecode(CommandResult result) {
        byte[] encoded = StoreCodec.encodeResult(result);
        assertThat(encoded[0]).isEqualTo((byte) StoreCodec.RESULT_FORMAT);
        assertThat(StoreCodec.decodeResult(encoded)).isEqualTo(result);
    }

    @Test
    void theSampleCommandsAndResultsCoverEveryType() {
        assertThat(commands()).extracting(Object::getClass).map(Class::getSimpleName).asList()
                .containsAll(Arrays.stream(Command.class.getPermittedSubclasses()).map(Class::getSimpleName).toList());
        assertThat(results()).extracting(Object::getClass).map(Class::getSimpleName).asList()
                .containsAll(Arrays.stream(CommandResult.class.getPermittedSubclasses()).map(Class::getSimpleName).toList());
    }

    @Test
    void aSnapshotSurvivesEncodeThenDecode() {
        StoreState state = nonTrivialState();
        assertThat(StoreCodec.decodeSnapshot(StoreCodec.encodeSnapshot(state))).isEqualTo(state);
        StoreState empty = new StoreState(1, List.of(), List.of(), List.of());
        assertThat(StoreCodec.decodeSnapshot(StoreCodec.encodeSnapshot(empty))).isEqualTo(empty);
    }

    // ---- version and tag ----

    @Test
    void aCommandFromANewerFormatIsRefusedWithAnUpgradeHint() {
        byte[] encoded = StoreCodec.encodeCommand(new GrantLease(1, 10));
        encoded[0] = (byte) (StoreCodec.COMMAND_FORMAT + 1);
        assertThatThrownBy(() -> StoreCodec.decodeCommand(encoded))
                .isInstanceOf(CorruptEntryException.class)
                .hasMessageContaining("format " + (StoreCodec.COMMAND_FORMAT + 1))
                .hasMessageContaining("upgrade");
        encoded[0] = 0;
        assertThatThrownBy(() -> StoreCodec.decodeCommand(encoded)).isInstanceOf(CorruptEntryException.class)
                .hasMessageContaining("upgrade");
    }

    @Test
    void aCommandWithAnUnknownTagIsRefused() {
        for (int tag : new int[]{0, 14, 99, 255}) {
            byte[] encoded = {(byte) StoreCodec.COMMAND_FORMAT, (byte) tag, 0, 0, 0};
            assertThatThrownBy(() -> StoreCodec.decodeCommand(encoded))
                    .isInstanceOf(CorruptEntryException.class)
                    .hasMessageContaining("tag " + tag)
                    .hasMessageContaining("upgrade");
        }
    }

    @Test
    void aResultWithAnUnknownFormatOrTagIsRefused() {
        byte[] encoded = StoreCodec.encodeResult(new CommandResult.Done(5));
        encoded[0] = 9;
        assertThatThrownBy(() -> StoreCodec.decodeResult(encoded)).isInstanceOf(CorruptEntryException.class);
        byte[] unknownTag = {(byte) StoreCodec.RESULT_FORMAT, 42, 5};
        assertThatThrownBy(() -> StoreCodec.decodeResult(unknownTag)).isInstanceOf(CorruptEntryException.class)
                .hasMessageContaining("42");
    }

    @Test
    void aFormatOneSnapshotWithoutAuthRecordsIsStillRead() {
        StoreState state = nonTrivialState();
        byte[] current = StoreCodec.encodeSnapshot(state);
        // Format 1 is format 2 without the auth record count and records at the end of the body.
        StoreState withoutAuth = new StoreState(state.revision(), state.keys(), state.leases(), state.members(),
                state.removedMemberIds(), 0, List.of());
        byte[] body = StoreCodec.encodeSnapshot(withoutAuth);
        byte[] formatOneBody = Arrays.copyOf(body, body.length - 8 - 2); // drop the checksum, the zero revision and count
        formatOneBody[8] = 1;

        assertThat(StoreCodec.decodeSnapshot(withChecksum(formatOneBody))).isEqualTo(withoutAuth);
        assertThat(current[8]).isEqualTo((byte) StoreCodec.SNAPSHOT_FORMAT);
    }

    @Test
    void aSnapshotFromANewerFormatIsRefusedWithAnUpgradeHint() {
        byte[] body = bodyOf(StoreCodec.encodeSnapshot(nonTrivialState()));
        body[8] = (byte) (StoreCodec.SNAPSHOT_FORMAT + 1);
        assertThatThrownBy(() -> StoreCodec.decodeSnapshot(withChecksum(body)))
                .isInstanceOf(CorruptEntryException.class)
                .hasMessageContaining("upgrade");
    }

    @Test
    void aFileThatIsNotASnapshotIsRefused() {
        byte[] body = bodyOf(StoreCodec.encodeSnapshot(nonTrivialState()));
        body[0] ^= 0x20;
        assertThatThrownBy(() -> StoreCodec.decodeSnapshot(withChecksum(body)))
                .isInstanceOf(CorruptEntryException.class)
                .hasMessageContaining("not a Roster snapshot");
    }

    // ---- damaged input ----

    @Test
    void everyTruncationOfACommandIsRefused() {
        for (Command command : commands()) {
            byte[] encoded = StoreCodec.encodeCommand(command);
            for (int length = 0; length < encoded.length; length++) {
                byte[] truncated = Arrays.copyOf(encoded, length);
                assertThatThrownBy(() -> StoreCodec.decodeCommand(truncated))
                        .as("%s cut to %d bytes", command, length)
                        .isInstanceOf(CorruptEntryException.class);
            }
        }
    }

    @Test
    void everyTruncationOfAResultIsRefused() {
        for (CommandResult result : results()) {
            byte[] encoded = StoreCodec.encodeResult(result);
            for (int length = 0; length < encoded.length; length++) {
                byte[] truncated = Arrays.copyOf(encoded, length);
                assertThatThrownBy(() -> StoreCodec.decodeResult(truncated))
                        .as("%s cut to %d bytes", result, length)
                        .isInstanceOf(CorruptEntryException.class);
            }
        }
    }

    @Test
    void everyTruncationOfASnapshotIsRefusedEvenWithAValidChecksum() {
        byte[] snapshot = StoreCodec.encodeSnapshot(nonTrivialState());
        byte[] body = bodyOf(snapshot);
        for (int length = 0; length < snapshot.length; length++) {
            byte[] truncated = Arrays.copyOf(snapshot, length);
            assertThatThrownBy(() -> StoreCodec.decodeSnapshot(truncated)).isInstanceOf(CorruptEntryException.class);
        }
        for (int length = 0; length < body.length; length++) {
            byte[] truncated = withChecksum(Arrays.copyOf(body, length));
            assertThatThrownBy(() -> StoreCodec.decodeSnapshot(truncated))
                    .as("body cut to %d bytes", length)
                    .isInstanceOf(CorruptEntryException.class);
        }
    }

    @Test
    void trailingBytesAfterACommandAResultOrASnapshotAreRefused() {
        for (Command command : commands()) {
            byte[] padded = concat(StoreCodec.encodeCommand(command), (byte) 0);
            assertThatThrownBy(() -> StoreCodec.decodeCommand(padded)).as("%s", command)
                    .isInstanceOf(CorruptEntryException.class).hasMessageContaining("trailing");
        }
        for (CommandResult result : results()) {
            byte[] padded = concat(StoreCodec.encodeResult(result), (byte) 1);
            assertThatThrownBy(() -> StoreCodec.decodeResult(padded)).as("%s", result)
                    .isInstanceOf(CorruptEntryException.class).hasMessageContaining("trailing");
        }
        byte[] snapshot = StoreCodec.encodeSnapshot(nonTrivialState());
        assertThatThrownBy(() -> StoreCodec.decodeSnapshot(concat(snapshot, (byte) 0)))
                .isInstanceOf(CorruptEntryException.class);
        byte[] paddedBody = concat(bodyOf(snapshot), (byte) 0);
        assertThatThrownBy(() -> StoreCodec.decodeSnapshot(withChecksum(paddedBody)))
                .isInstanceOf(CorruptEntryException.class).hasMessageContaining("trailing");
    }

    @Test
    void invalidUtf8InAKeyOrNameIsRefused() {
        byte[] put = StoreCodec.encodeCommand(new Put("ab", bytes("v"), 0, NO_COMPARE));
        // format, tag, length 2, 'a', 'b', ...
        assertThat(put[2]).isEqualTo((byte) 2);
        for (byte[] bad : List.of(new byte[]{(byte) 0xC3, 0x28}, new byte[]{(byte) 0xFF, (byte) 0xFE},
                new byte[]{(byte) 0xED, (byte) 0xA0}, new byte[]{(byte) 0x80, 0x41})) {
            byte[] damaged = put.clone();
            damaged[3] = bad[0];
            damaged[4] = bad[1];
            assertThatThrownBy(() -> StoreCodec.decodeCommand(damaged))
                    .isInstanceOf(CorruptEntryException.class).hasMessageContaining("UTF-8");
        }
        // A 3-byte sequence cut short by the field's end.
        byte[] cut = put.clone();
        cut[3] = 'a';
        cut[4] = (byte) 0xE2;
        assertThatThrownBy(() -> StoreCodec.decodeCommand(cut)).isInstanceOf(CorruptEntryException.class);

        byte[] member = StoreCodec.encodeCommand(new PublishMember(new Member(1, "nn", List.of(), List.of(), false)));
        // format, tag, 8-byte id, length 2, 'n', 'n', ...
        assertThat(member[10]).isEqualTo((byte) 2);
        member[11] = (byte) 0xC0;
        member[12] = (byte) 0xAF; // overlong encoding of '/'
        assertThatThrownBy(() -> StoreCodec.decodeCommand(member))
                .isInstanceOf(CorruptEntryException.class).hasMessageContaining("UTF-8");
    }

    @Test
    void aBooleanFieldHoldingAnythingButZeroOrOneIsRefused() {
        byte[] revoke = StoreCodec.encodeCommand(new RevokeLease(1, true));
        revoke[revoke.length - 1] = 2;
        assertThatThrownBy(() -> StoreCodec.decodeCommand(revoke)).isInstanceOf(CorruptEntryException.class);
    }

    @Test
    void aConditionalPrefixDeleteInTheLogIsRefusedAsCorrupt() {
        // Delete cannot be constructed with prefix + prevRevision, so the codec must not hand back
        // an IllegalArgumentException for such bytes: it is a damaged entry like any other.
        byte[] encoded = StoreCodec.encodeCommand(new Delete("p/", true, NO_COMPARE));
        byte[] damaged = encoded.clone();
        damaged[damaged.length - 1] = 6; // zig-zag for 3
        assertThatThrownBy(() -> StoreCodec.decodeCommand(damaged)).isInstanceOf(CorruptEntryException.class);
    }

    @Test
    void lengthsAndCountsLargerThanTheInputAreRefusedWithoutAllocating() {
        // format, PUT, key length 2^62
        byte[] hugeKey = {1, 1, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
                (byte) 0x80, (byte) 0x80, 0x40};
        assertThatThrownBy(() -> StoreCodec.decodeCommand(hugeKey)).isInstanceOf(CorruptEntryException.class);
        // format, CHECKPOINT_LEASES, count Integer.MAX_VALUE
        byte[] hugeCount = {1, 5, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07};
        assertThatThrownBy(() -> StoreCodec.decodeCommand(hugeCount)).isInstanceOf(CorruptEntryException.class);
        // negative length (varint with the sign bit set)
        byte[] negative = {1, 1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01};
        assertThatThrownBy(() -> StoreCodec.decodeCommand(negative)).isInstanceOf(CorruptEntryException.class);
        // a varint that never ends
        byte[] endless = new byte[20];
        Arrays.fill(endless, (byte) 0xFF);
        endless[0] = 1;
        endless[1] = 3;
        assertThatThrownBy(() -> StoreCodec.decodeCommand(endless)).isInstanceOf(CorruptEntryException.class);
        // result: DELETED with a huge count
        byte[] hugeDeleted = {1, 2, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07};
        assertThatThrownBy(() -> StoreCodec.decodeResult(hugeDeleted)).isInstanceOf(CorruptEntryException.class);
    }

    @Test
    void aSnapshotWithAnyOneByteFlippedFailsTheChecksum() {
        byte[] snapshot = StoreCodec.encodeSnapshot(nonTrivialState());
        for (int i = 0; i < snapshot.length; i++) {
            for (int mask : new int[]{0x01, 0x80, 0xFF}) {
                byte[] damaged = snapshot.clone();
                damaged[i] ^= (byte) mask;
                int position = i;
                assertThatThrownBy(() -> StoreCodec.decodeSnapshot(damaged))
                        .as("byte %d ^ %x", position, mask)
                        .isInstanceOf(CorruptEntryException.class)
                        .hasMessageContaining("checksum");
            }
        }
    }

    @Test
    void emptyInputIsRefusedEverywhere() {
        assertThatThrownBy(() -> StoreCodec.decodeCommand(new byte[0])).isInstanceOf(CorruptEntryException.class);
        assertThatThrownBy(() -> StoreCodec.decodeResult(new byte[0])).isInstanceOf(CorruptEntryException.class);
        assertThatThrownBy(() -> StoreCodec.decodeSnapshot(new byte[0])).isInstanceOf(CorruptEntryException.class);
    }

    // ---- fuzz ----

    private static final int FUZZ_ITERATIONS = 4_000;

    /**
     * Decodes the input; anything but success or CorruptEntryException fails the test. A successful decode
     * must re-encode to something that decodes to the same value.
     */
    private static <T> int decodeOrCorrupt(byte[] input, Function<byte[], T> decode, Function<T, byte[]> encode) {
        T decoded;
        try {
            decoded = decode.apply(input);
        } catch (CorruptEntryException expected) {
            return 0;
        } catch (Throwable other) {
            fail("decoding " + Arrays.toString(input) + " threw " + other, other);
            return 0;
        }
        assertThat(decode.apply(encode.apply(decoded))).isEqualTo(decoded);
        return 1;
    }

    private static byte[] randomBytes(Random random, int maxLength) {
        byte[] out = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(out);
        return out;
    }

    /** Valid encodings with a few random byte changes, cuts or insertions. */
    private static byte[] mutate(Random random, byte[] valid) {
        byte[] out = valid.clone();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && out.length > 0; e++) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(4)) {
                case 0 -> out[at] = (byte) random.nextInt(256);
                case 1 -> out[at] ^= (byte) (1 << random.nextInt(8));
                case 2 -> out = Arrays.copyOf(out, at);
                default -> {
                    byte[] longer = new byte[out.length + 1];
                    System.arraycopy(out, 0, longer, 0, at);
                    longer[at] = (byte) random.nextInt(256);
                    System.arraycopy(out, at, longer, at + 1, out.length - at);
                    out = longer;
                }
            }
        }
        return out;
    }

    @Test
    void randomAndDamagedCommandBytesEitherDecodeOrFailAsCorrupt() {
        Random random = new Random(0xC0FFEEL);
        List<byte[]> valid = commands().stream().map(StoreCodec::encodeCommand).toList();
        int decoded = 0;
        for (int i = 0; i < FUZZ_ITERATIONS; i++) {
            byte[] input;
            switch (i % 3) {
                case 0 -> input = randomBytes(random, 64);
                case 1 -> input = concat(new byte[]{(byte) StoreCodec.COMMAND_FORMAT, (byte) (1 + random.nextInt(6))},
                        randomBytes(random, 48));
                default -> input = mutate(random, valid.get(random.nextInt(valid.size())));
            }
            decoded += decodeOrCorrupt(input, StoreCodec::decodeCommand, StoreCodec::encodeCommand);
        }
        assertThat(decoded).as("the fuzzer reaches the decoders' success paths").isPositive();
    }

    @Test
    void randomAndDamagedResultBytesEitherDecodeOrFailAsCorrupt() {
        Random random = new Random(0xBEEFL);
        List<byte[]> valid = results().stream().map(StoreCodec::encodeResult).toList();
        int decoded = 0;
        for (int i = 0; i < FUZZ_ITERATIONS; i++) {
            byte[] input;
            switch (i % 3) {
                case 0 -> input = randomBytes(random, 64);
                case 1 -> input = concat(new byte[]{(byte) StoreCodec.RESULT_FORMAT, (byte) (1 + random.nextInt(8))},
                        randomBytes(random, 48));
                default -> input = mutate(random, valid.get(random.nextInt(valid.size())));
            }
            decoded += decodeOrCorrupt(input, StoreCodec::decodeResult, StoreCodec::encodeResult);
        }
        assertThat(decoded).isPositive();
    }

    @Test
    void randomAndDamagedSnapshotBytesEitherDecodeOrFailAsCorrupt() {
        Random random = new Random(0x5EED5L);
        byte[] valid = StoreCodec.encodeSnapshot(nonTrivialState());
        byte[] header = Arrays.copyOf(valid, 9); // magic + format
        int decoded = 0;
        for (int i = 0; i < FUZZ_ITERATIONS; i++) {
            byte[] input;
            switch (i % 4) {
                case 0 -> input = randomBytes(random, 96);
                // Past the checksum, so that the parser sees the damage.
                case 1 -> input = withChecksum(concat(header, randomBytes(random, 64)));
                case 2 -> input = withChecksum(mutate(random, bodyOf(valid)));
                default -> input = mutate(random, valid);
            }
            decoded += decodeOrCorrupt(input, StoreCodec::decodeSnapshot, StoreCodec::encodeSnapshot);
        }
        assertThat(decoded).isPositive();
    }
}
