package io.roster.auth;

import io.roster.store.RosterStore;
import io.roster.store.command.CommandResult;
import io.roster.store.command.PutAuthRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class AccessControlTest {

    private final RosterStore store = new RosterStore();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AccessControl access = new AccessControl(store, now::get);

    AccessControlTest() {
        store.addListener(access);
    }

    @Test
    void aTokenNamesItsUserUntilItExpiresAndNotAfterTamperingOrAKeyChange() {
        assertThat(access.issue("alice", Duration.ofMinutes(5))).as("no key before auth was ever enabled").isEmpty();
        store.apply(new PutAuthRecord(AuthRecords.TOKEN_KEY, new byte[32], 0));
        String token = access.issue("alice", Duration.ofMinutes(5)).orElseThrow();

        assertThat(access.verify(token)).contains("alice");
        String tampered = token.replace(".", "x.");
        assertThat(access.verify(tampered)).isEmpty();
        assertThat(access.verify(token.substring(0, token.length() - 2))).isEmpty();
        String otherUser = token.replaceFirst("roster1\\.[^.]+", "roster1.Ym9i"); // "bob", same expiry and signature
        assertThat(access.verify(otherUser)).isEmpty();

        now.addAndGet(Duration.ofMinutes(5).toSeconds());
        assertThat(access.verify(token)).as("at its expiry second").contains("alice");
        now.incrementAndGet();
        assertThat(access.verify(token)).as("after it").isEmpty();

        now.set(1_000_000);
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        store.apply(new PutAuthRecord(AuthRecords.TOKEN_KEY, otherKey, store.authRecord(AuthRecords.TOKEN_KEY).modRevision()));
        assertThat(access.verify(token)).as("signed with the replaced key").isEmpty();
    }

    @Test
    void recordsChangeOnlyFromWhatTheWriterReadAndLeaveTheKeyRevisionAlone() {
        long keyRevision = store.revision();
        assertThat(store.apply(new PutAuthRecord("user/alice", new byte[] {1}, 0))).isInstanceOf(CommandResult.Done.class);
        long first = store.authRecord("user/alice").modRevision();
        assertThat(store.apply(new PutAuthRecord("user/alice", new byte[] {2}, 0)))
                .as("create over an existing record").isInstanceOf(CommandResult.Rejected.class);
        assertThat(store.apply(new PutAuthRecord("user/alice", null, first))).isInstanceOf(CommandResult.Done.class);
        assertThat(store.apply(new PutAuthRecord("user/alice", new byte[] {3}, 0))).isInstanceOf(CommandResult.Done.class);

        assertThat(store.apply(new PutAuthRecord("user/alice", new byte[] {4}, first)))
                .as("a compare against the deleted record's revision").isInstanceOf(CommandResult.Rejected.class);
        assertThat(store.authRecord("user/alice").value()).containsExactly(3);
        assertThat(store.revision()).as("key revision").isEqualTo(keyRevision);

        RosterStore restored = new RosterStore();
        restored.restore(io.roster.store.codec.StoreCodec.decodeSnapshot(io.roster.store.codec.StoreCodec.encodeSnapshot(store.state())));
        assertThat(restored.authRecord("user/alice")).isEqualTo(store.authRecord("user/alice"));
        restored.apply(new PutAuthRecord("user/bob", new byte[] {5}, 0));
        assertThat(restored.authRecord("user/bob").modRevision()).as("revisions go on after a restore")
                .isGreaterThan(store.authRecord("user/alice").modRevision());
    }

    @Test
    void aChangeIsSeenAtOnceAndRolesResolveAtRequestTime() {
        store.apply(new PutAuthRecord(AuthRecords.USER + "alice", AuthRecords.encode(new User("alice", null, List.of("reader"))), 0));
        Permission readConfig = new Permission(Permission.Access.READ, "config/app");
        assertThat(access.caller("alice", "test").orElseThrow().allows(readConfig)).as("role not created yet").isFalse();

        store.apply(new PutAuthRecord(AuthRecords.ROLE + "reader",
                AuthRecords.encode(new Role("reader", List.of(new Permission(Permission.Access.READWRITE, "config/")))), 0));

        Caller alice = access.caller("alice", "test").orElseThrow();
        assertThat(alice.allows(readConfig)).isTrue();
        assertThat(alice.allows(new Permission(Permission.Access.WRITE, "config/x"))).isTrue();
        assertThat(alice.allows(new Permission(Permission.Access.READ, "configuration"))).isFalse();
        assertThat(alice.allows(new Permission(Permission.Access.DISCOVER, "config/"))).isFalse();
        assertThat(alice.isRoot()).isFalse();
        assertThat(access.caller("bob", "test")).isEmpty();
    }
}
