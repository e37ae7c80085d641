package io.roster.store;

import io.roster.store.codec.StoreCodec;
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
import io.roster.store.command.RevokeLease;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.roster.store.command.Command.NO_COMPARE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RosterStoreTest {

    private final RosterStore store = new RosterStore();
    private final RecordingListener listener = new RecordingListener();

    {
        store.addListener(listener);
    }

    // ---- helpers ----

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static Put put(String key, String value) {
        return new Put(key, bytes(value), 0, NO_COMPARE);
    }

    private static Put putWithLease(String key, String value, long lease) {
        return new Put(key, bytes(value), lease, NO_COMPARE);
    }

    private static Put cas(String key, String value, long prevRevision) {
        return new Put(key, bytes(value), 0, prevRevision);
    }

    private static Delete delete(String key) {
        return new Delete(key, false, NO_COMPARE);
    }

    private static Delete deletePrefix(String prefix) {
        return new Delete(prefix, true, NO_COMPARE);
    }

    private CommandResult.Written written(Command command) {
        CommandResult result = store.apply(command);
        assertThat(result).isInstanceOf(CommandResult.Written.class);
        return (CommandResult.Written) result;
    }

    private CommandResult.Deleted deleted(Command command) {
        CommandResult result = store.apply(command);
        assertThat(result).isInstanceOf(CommandResult.Deleted.class);
        return (CommandResult.Deleted) result;
    }

    private List<String> keysOf(List<KeyValue> kvs) {
        return kvs.stream().map(KeyValue::key).toList();
    }

    private List<String> rangeKeys(String prefix) {
        return keysOf(store.range(prefix, 0).kvs());
    }

    private static Member member(long id, String name) {
        return new Member(id, name, List.of("http://" + name + ":2380"), List.of("http://" + name + ":2379"), false);
    }

    /** Records everything a listener is told, in the order it is told. */
    static final class RecordingListener implements StoreListener {
        final List<List<KeyEvent>> batches = new ArrayList<>();
        final List<String> calls = new ArrayList<>();

        @Override
        public void onKeyEvents(List<KeyEvent> events) {
            batches.add(events);
            calls.add("events:" + events.size());
        }

        @Override
        public void onLeaseGranted(Lease lease) {
            calls.add("granted:" + lease.id() + "/" + lease.ttlSeconds());
        }

        @Override
        public void onLeaseRemoved(long leaseId) {
            calls.add("removed:" + leaseId);
        }

        @Override
        public void onReset() {
            calls.add("reset");
        }

        List<KeyEvent> events() {
            return batches.stream().flatMap(List::stream).toList();
        }

        void clear() {
            batches.clear();
            calls.clear();
        }
    }

    // ---- revisions ----

    @Nested
    class Revisions {

        @Test
        void emptyStoreIsAtRevisionOneWithNoKeysLeasesOrMembers() {
            assertThat(store.revision()).isEqualTo(1).isEqualTo(RosterStore.INITIAL_REVISION);
            assertThat(store.keyCount()).isZero();
            assertThat(store.leases()).isEmpty();
            assertThat(store.members()).isEmpty();
            assertThat(store.get("anything")).isNull();
            RangeResult all = store.range("", 0);
            assertThat(all.kvs()).isEmpty();
            assertThat(all.count()).isZero();
            assertThat(all.more()).isFalse();
            assertThat(all.revision()).isEqualTo(1);
            assertThat(store.state()).isEqualTo(new StoreState(1, List.of(), List.of(), List.of()));
        }

        @Test
        void eachPutBumpsTheGlobalRevisionByExactlyOne() {
            for (int i = 0; i < 10; i++) {
                long before = store.revision();
                CommandResult.Written result = written(put("k" + (i % 3), "v" + i));
                assertThat(result.revision()).isEqualTo(before + 1);
                assertThat(result.kv().modRevision()).isEqualTo(before + 1);
                assertThat(store.revision()).isEqualTo(before + 1);
            }
            assertThat(store.revision()).isEqualTo(11);
        }

        @Test
        void aKeyTracksCreateRevisionModRevisionAndVersionAcrossUpdates() {
            written(put("other", "x"));                                // rev 2
            CommandResult.Written first = written(put("k", "v1"));     // rev 3
            assertThat(first.previous()).isNull();
            assertThat(first.kv()).isEqualTo(new KeyValue("k", bytes("v1"), 3, 3, 1, 0));

            written(put("other", "y"));                                // rev 4
            CommandResult.Written second = written(put("k", "v2"));    // rev 5
            assertThat(second.previous()).isEqualTo(first.kv());
            assertThat(second.kv()).isEqualTo(new KeyValue("k", bytes("v2"), 3, 5, 2, 0));

            CommandResult.Written third = written(put("k", "v3"));     // rev 6
            assertThat(third.kv()).isEqualTo(new KeyValue("k", bytes("v3"), 3, 6, 3, 0));
            assertThat(store.get("k")).isEqualTo(third.kv());
            assertThat(store.get("k").valueAsString()).isEqualTo("v3");
        }

        @Test
        void deletingAndRecreatingAKeyStartsItsVersionAndCreateRevisionAfresh() {
            written(put("k", "a"));                                    // rev 2
            written(put("k", "b"));                                    // rev 3, version 2
            CommandResult.Deleted gone = deleted(delete("k"));         // rev 4
            assertThat(gone.revision()).isEqualTo(4);
            assertThat(gone.deleted()).containsExactly(new KeyValue("k", bytes("b"), 2, 3, 2, 0));
            assertThat(store.get("k")).isNull();

            CommandResult.Written again = written(put("k", "c"));      // rev 5
            assertThat(again.previous()).isNull();
            assertThat(again.kv()).isEqualTo(new KeyValue("k", bytes("c"), 5, 5, 1, 0));
        }

        @Test
        void deleteThatMatchesNothingDoesNotBumpTheRevision() {
            written(put("a", "1"));
            long before = store.revision();

            CommandResult.Deleted single = deleted(delete("missing"));
            assertThat(single.deleted()).isEmpty();
            assertThat(single.revision()).isEqualTo(before);

            CommandResult.Deleted prefix = deleted(deletePrefix("zzz"));
            assertThat(prefix.deleted()).isEmpty();
            assertThat(prefix.revision()).isEqualTo(before);

            assertThat(store.revision()).isEqualTo(before);
            assertThat(listener.events()).hasSize(1); // only the put
        }

        @Test
        void aNoopChangesNothing() {
            written(put("a", "1"));
            StoreState before = store.state();

            assertThat(store.apply(Noop.INSTANCE)).isEqualTo(new CommandResult.Done(before.revision()));

            assertThat(store.state()).isEqualTo(before);
        }

        @Test
        void leaseGrantCheckpointRevokeOfAnEmptyLeaseAndMemberPublishDoNotBumpTheRevision() {
            written(put("a", "1"));
            long before = store.revision();

            assertThat(store.apply(new GrantLease(7, 30))).isEqualTo(new CommandResult.LeaseGranted(7, 30, before));
            assertThat(store.apply(new CheckpointLeases(List.of(new Checkpoint(7, 12_000)))))
                    .isEqualTo(new CommandResult.Done(before));
            assertThat(store.apply(new PublishMember(member(1, "n1")))).isEqualTo(new CommandResult.Done(before));
            assertThat(store.apply(new RevokeLease(7, false))).isEqualTo(new CommandResult.LeaseRevoked(7, 0, before));

            assertThat(store.revision()).isEqualTo(before);
        }
    }

    // ---- compare-and-swap ----

    @Nested
    class CompareAndSwap {

        @Test
        void prevRevisionZeroCreatesOnlyWhenTheKeyIsAbsent() {
            CommandResult.Written created = written(cas("lock", "owner-1", 0));
            assertThat(created.kv().version()).isEqualTo(1);

            CommandResult second = store.apply(cas("lock", "owner-2", 0));
            assertThat(second).isEqualTo(new CommandResult.CompareFailed(created.kv(), created.revision()));
            assertThat(store.get("lock").valueAsString()).isEqualTo("owner-1");
        }

        @Test
        void prevRevisionNSucceedsOnlyWhenTheKeysModRevisionIsN() {
            CommandResult.Written v1 = written(put("k", "v1"));        // rev 2
            written(put("unrelated", "x"));                             // rev 3

            CommandResult stale = store.apply(cas("k", "v2", 3));       // global revision, not k's
            assertThat(stale).isEqualTo(new CommandResult.CompareFailed(v1.kv(), 3));

            CommandResult.Written v2 = written(cas("k", "v2", v1.kv().modRevision()));
            assertThat(v2.previous()).isEqualTo(v1.kv());
            assertThat(v2.kv().version()).isEqualTo(2);

            // The old revision no longer matches once someone else has written.
            CommandResult lost = store.apply(cas("k", "v3", v1.kv().modRevision()));
            assertThat(lost).isEqualTo(new CommandResult.CompareFailed(v2.kv(), v2.revision()));
        }

        @Test
        void prevRevisionNOnAnAbsentKeyFailsWithNoCurrentValue() {
            assertThat(store.apply(cas("ghost", "v", 5))).isEqualTo(new CommandResult.CompareFailed(null, 1));
            assertThat(store.get("ghost")).isNull();
        }

        @Test
        void aFailedCompareAndSwapChangesNothing() {
            store.apply(new GrantLease(9, 60));
            CommandResult.Written original = written(put("k", "v1"));
            StoreState before = store.state();
            listener.clear();

            CommandResult failed = store.apply(new Put("k", bytes("v2"), 9, original.kv().modRevision() + 100));
            assertThat(failed).isInstanceOf(CommandResult.CompareFailed.class);
            assertThat(failed.revision()).isEqualTo(before.revision());

            assertThat(store.state()).isEqualTo(before);
            assertThat(store.keysOfLease(9)).isEmpty();
            assertThat(listener.calls).isEmpty();
        }

        @Test
        void conditionalDeleteRemovesTheKeyOnlyAtTheExpectedRevision() {
            CommandResult.Written v1 = written(put("k", "v1"));
            CommandResult.Written v2 = written(put("k", "v2"));

            CommandResult stale = store.apply(new Delete("k", false, v1.kv().modRevision()));
            assertThat(stale).isEqualTo(new CommandResult.CompareFailed(v2.kv(), v2.revision()));
            assertThat(store.get("k")).isEqualTo(v2.kv());
            assertThat(store.revision()).isEqualTo(v2.revision());

            CommandResult.Deleted ok = deleted(new Delete("k", false, v2.kv().modRevision()));
            assertThat(ok.deleted()).containsExactly(v2.kv());
            assertThat(ok.revision()).isEqualTo(v2.revision() + 1);
            assertThat(store.get("k")).isNull();
        }

        @Test
        void conditionalDeleteExpectingAbsenceFailsWhenTheKeyExists() {
            CommandResult.Written v1 = written(put("k", "v1"));
            assertThat(store.apply(new Delete("k", false, 0))).isEqualTo(new CommandResult.CompareFailed(v1.kv(), v1.revision()));
            assertThat(store.get("k")).isEqualTo(v1.kv());

            // Expecting absence of an absent key succeeds and deletes nothing.
            assertThat(store.apply(new Delete("none", false, 0))).isEqualTo(new CommandResult.Deleted(List.of(), v1.revision()));
        }

        @Test
        void aPrefixDeleteCannotBeConditional() {
            assertThatThrownBy(() -> new Delete("p/", true, 3)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    // ---- prefix ranges and deletes ----

    @Nested
    class Prefixes {

        private void seed() {
            for (String key : List.of("b", "a/2", "/svc/web/2", "a", "/svc/web/1", "/svc/db/1", "/svc2/x", "ab", "a/1", "c")) {
                written(put(key, "v-" + key));
            }
        }

        @Test
        void rangeReturnsKeysUnderThePrefixInSortedOrder() {
            seed();
            assertThat(rangeKeys("/svc/")).containsExactly("/svc/db/1", "/svc/web/1", "/svc/web/2");
            assertThat(rangeKeys("/svc/web/")).containsExactly("/svc/web/1", "/svc/web/2");
            assertThat(rangeKeys("/svc")).containsExactly("/svc/db/1", "/svc/web/1", "/svc/web/2", "/svc2/x");
            assertThat(rangeKeys("a")).containsExactly("a", "a/1", "a/2", "ab");
            assertThat(rangeKeys("a/")).containsExactly("a/1", "a/2");
            assertThat(rangeKeys("b")).containsExactly("b");
            assertThat(rangeKeys("d")).isEmpty();
            assertThat(store.range("/svc/", 0).revision()).isEqualTo(store.revision());
        }

        @Test
        void aPrefixNeverMatchesTheNextLetter() {
            written(put("a", "1"));
            written(put("b", "2"));
            written(put("ba", "3"));
            assertThat(rangeKeys("a")).containsExactly("a");
            assertThat(store.range("a", 0).count()).isEqualTo(1);
            CommandResult.Deleted result = deleted(deletePrefix("a"));
            assertThat(keysOf(result.deleted())).containsExactly("a");
            assertThat(rangeKeys("")).containsExactly("b", "ba");
        }

        @Test
        void rangeLimitReturnsTheFirstKeysAndReportsTheTotalCountAndMore() {
            seed();
            RangeResult page = store.range("/svc", 2);
            assertThat(keysOf(page.kvs())).containsExactly("/svc/db/1", "/svc/web/1");
            assertThat(page.count()).isEqualTo(4);
            assertThat(page.more()).isTrue();

            RangeResult exact = store.range("/svc", 4);
            assertThat(exact.kvs()).hasSize(4);
            assertThat(exact.more()).isFalse();

            RangeResult beyond = store.range("/svc", 100);
            assertThat(beyond.kvs()).hasSize(4);
            assertThat(beyond.count()).isEqualTo(4);
            assertThat(beyond.more()).isFalse();

            RangeResult unlimited = store.range("/svc", 0);
            assertThat(unlimited.kvs()).hasSize(4);
            assertThat(unlimited.more()).isFalse();
        }

        @Test
        void emptyPrefixMatchesEveryKey() {
            seed();
            RangeResult all = store.range("", 0);
            assertThat(keysOf(all.kvs())).containsExactly(
                    "/svc/db/1", "/svc/web/1", "/svc/web/2", "/svc2/x", "a", "a/1", "a/2", "ab", "b", "c");
            assertThat(all.count()).isEqualTo(10).isEqualTo(store.keyCount());
        }

        @Test
        void aPrefixEndingInTheHighestCharMatchesOnlyKeysStartingWithIt() {
            String high = "\uFFFF";
            for (String key : List.of("a", "a" + high, "a" + high + "x", "a" + high + high, "b", "bz",
                    high, high + "x", high + high)) {
                written(put(key, "v"));
            }
            assertThat(rangeKeys("a" + high)).containsExactly("a" + high, "a" + high + "x", "a" + high + high);
            assertThat(store.range("a" + high, 0).count()).isEqualTo(3);
            assertThat(rangeKeys("a" + high + high)).containsExactly("a" + high + high);
            assertThat(rangeKeys(high)).containsExactly(high, high + "x", high + high);
            assertThat(rangeKeys(high + high)).containsExactly(high + high);
        }

        @Test
        void prefixDeleteOfAHighCharPrefixLeavesOtherKeysAlone() {
            String high = "\uFFFF";
            for (String key : List.of("a", "a" + high, "a" + high + "x", "b", "c")) {
                written(put(key, "v"));
            }
            CommandResult.Deleted result = deleted(deletePrefix("a" + high));
            assertThat(keysOf(result.deleted())).containsExactly("a" + high, "a" + high + "x");
            assertThat(rangeKeys("")).containsExactly("a", "b", "c");
        }

        @Test
        void prefixDeleteRemovesEveryMatchingKeyAtOneRevision() {
            seed();
            long before = store.revision();
            listener.clear();

            CommandResult.Deleted result = deleted(deletePrefix("/svc/"));

            assertThat(result.revision()).isEqualTo(before + 1);
            assertThat(store.revision()).isEqualTo(before + 1);
            assertThat(keysOf(result.deleted())).containsExactly("/svc/db/1", "/svc/web/1", "/svc/web/2");
            assertThat(rangeKeys("/svc/")).isEmpty();
            assertThat(rangeKeys("/svc")).containsExactly("/svc2/x");
            assertThat(store.keyCount()).isEqualTo(7);

            assertThat(listener.batches).hasSize(1);
            List<KeyEvent> events = listener.batches.get(0);
            assertThat(events).extracting(KeyEvent::revision).containsOnly(before + 1);
            assertThat(events).extracting(KeyEvent::type).containsOnly(KeyEvent.Type.DELETE);
            assertThat(events).extracting(KeyEvent::cause).containsOnly(KeyEvent.Cause.REQUEST);
            assertThat(events).extracting(e -> e.kv().key()).containsExactly("/svc/db/1", "/svc/web/1", "/svc/web/2");
            assertThat(events).extracting(e -> e.kv().modRevision()).containsOnly(before + 1);
            assertThat(events).extracting(KeyEvent::previous).containsExactlyElementsOf(result.deleted());
        }

        @Test
        void deleteWithAnEmptyPrefixRemovesEverythingAtOneRevision() {
            seed();
            long before = store.revision();
            CommandResult.Deleted result = deleted(deletePrefix(""));
            assertThat(result.deleted()).hasSize(10);
            assertThat(result.revision()).isEqualTo(before + 1);
            assertThat(store.keyCount()).isZero();
        }

        @Test
        void singleKeyDeleteDoesNotTreatTheKeyAsAPrefix() {
            seed();
            CommandResult.Deleted result = deleted(delete("a"));
            assertThat(keysOf(result.deleted())).containsExactly("a");
            assertThat(rangeKeys("a")).containsExactly("a/1", "a/2", "ab");
        }
    }

    // ---- leases ----

    @Nested
    class Membership {

        private final Member n1 = new Member(1, "n1", List.of("http://a:2380"), List.of("http://a:2379"), false);

        @Test
        void aMemberAddedAtRuntimeIsUnstartedUntilItPublishesAndKeepsItsRecordedPeersAndRole() {
            RosterStore store = new RosterStore();
            store.apply(new PublishMember(n1));
            Member added = new Member(9, "n4", List.of("http://d:2380"), List.of(), true);

            assertThat(store.apply(new AddMember(added))).isInstanceOf(CommandResult.Done.class);
            assertThat(store.members()).filteredOn(member -> member.id() == 9).singleElement()
                    .satisfies(member -> assertThat(member.started()).isFalse());

            store.apply(new PublishMember(new Member(9, "n4", List.of("http://ignored:2380"), List.of("http://d:2379"), false)));
            assertThat(store.members()).filteredOn(member -> member.id() == 9).singleElement().satisfies(member -> {
                assertThat(member.started()).isTrue();
                assertThat(member.peerUrls()).containsExactly("http://d:2380");
                assertThat(member.learner()).isTrue();
            });
            store.apply(new PromoteMember(9));
            assertThat(store.members()).filteredOn(member -> member.id() == 9).singleElement()
                    .satisfies(member -> assertThat(member.learner()).isFalse());
        }

        @Test
        void aPeerUrlBelongsToOneMember() {
            RosterStore store = new RosterStore();
            store.apply(new PublishMember(n1));

            assertThat(store.apply(new AddMember(new Member(2, "n2", List.of("http://a:2380"), List.of(), false))))
                    .isInstanceOfSatisfying(CommandResult.Rejected.class, rejected ->
                            assertThat(rejected.reason()).contains("http://a:2380"));
            store.apply(new AddMember(new Member(2, "n2", List.of("http://b:2380"), List.of(), false)));
            assertThat(store.apply(new UpdateMemberPeers(2, List.of("http://a:2380")))).isInstanceOf(CommandResult.Rejected.class);
            assertThat(store.apply(new UpdateMemberPeers(2, List.of("http://c:2380")))).isInstanceOf(CommandResult.Done.class);
            assertThat(store.members()).extracting(Member::peerUrls)
                    .containsExactlyInAnyOrder(List.of("http://a:2380"), List.of("http://c:2380"));
        }

        @Test
        void aRemovedMemberCanNeverPublishOrBeAddedAgainUnderItsId() {
            RosterStore store = new RosterStore();
            java.util.List<Long> removed = new java.util.ArrayList<>();
            store.addListener(new StoreListener() {
                @Override
                public void onMemberRemoved(long memberId) {
                    removed.add(memberId);
                }
            });
            store.apply(new PublishMember(n1));

            assertThat(store.apply(new RemoveMember(1))).isInstanceOf(CommandResult.Done.class);

            assertThat(removed).containsExactly(1L);
            assertThat(store.isRemovedMember(1)).isTrue();
            assertThat(store.members()).isEmpty();
            assertThat(store.apply(new PublishMember(n1))).isInstanceOf(CommandResult.Rejected.class);
            assertThat(store.apply(new AddMember(n1))).isInstanceOf(CommandResult.Rejected.class);
            assertThat(store.apply(new RemoveMember(1))).isInstanceOf(CommandResult.Rejected.class);
            assertThat(store.state().removedMemberIds()).containsExactly(1L);

            RosterStore restored = new RosterStore();
            restored.restore(store.state());
            assertThat(restored.isRemovedMember(1)).isTrue();
        }
    }

    @Nested
    class Leases {

        @Test
        void grantAndPutBindsTheKeyToANewLeaseAtOneRevisionAndRetiresTheKeylessOldLease() {
            RosterStore store = new RosterStore();
            long before = store.revision();
            CommandResult first = store.apply(new GrantAndPut("svc/web/a", bytes("v1"), 10, 30));
            assertThat(first).isInstanceOfSatisfying(CommandResult.Written.class, written -> {
                assertThat(written.revision()).isEqualTo(before + 1);
                assertThat(written.kv().lease()).isEqualTo(10);
                assertThat(written.previous()).isNull();
            });
            assertThat(store.lease(10).ttlSeconds()).isEqualTo(30);

            CommandResult again = store.apply(new GrantAndPut("svc/web/a", bytes("v2"), 11, 30));
            assertThat(again).isInstanceOfSatisfying(CommandResult.Written.class,
                    written -> assertThat(written.kv().version()).isEqualTo(2));
            assertThat(store.lease(10)).as("the old lease had no other key").isNull();
            assertThat(store.keysOfLease(11)).containsExactly("svc/web/a");

            store.apply(new GrantLease(20, 60));
            store.apply(new Put("svc/web/b", bytes("x"), 20, NO_COMPARE));
            store.apply(new Put("svc/web/c", bytes("x"), 20, NO_COMPARE));
            store.apply(new GrantAndPut("svc/web/b", bytes("y"), 21, 60));
            assertThat(store.lease(20)).as("a lease that still holds a key stays").isNotNull();

            assertThat(store.apply(new GrantAndPut("svc/web/d", bytes("z"), 21, 60)))
                    .isInstanceOf(CommandResult.LeaseAlreadyExists.class);
            assertThat(store.get("svc/web/d")).isNull();
        }


        @Test
        void putWithAnUnknownLeaseIsRejectedAndWritesNothing() {
            written(put("k", "old"));
            StoreState before = store.state();
            listener.clear();

            CommandResult result = store.apply(putWithLease("k", "new", 42));
            assertThat(result).isEqualTo(new CommandResult.LeaseNotFound(42, before.revision()));
            CommandResult fresh = store.apply(putWithLease("fresh", "x", 42));
            assertThat(fresh).isEqualTo(new CommandResult.LeaseNotFound(42, before.revision()));

            assertThat(store.state()).isEqualTo(before);
            assertThat(store.get("fresh")).isNull();
            assertThat(store.keysOfLease(42)).isEmpty();
            assertThat(listener.calls).isEmpty();
        }

        @Test
        void putUnderALeaseBindsTheKeyToIt() {
            store.apply(new GrantLease(5, 10));
            CommandResult.Written w = written(putWithLease("svc/a", "x", 5));
            assertThat(w.kv().lease()).isEqualTo(5);
            written(putWithLease("svc/b", "y", 5));
            assertThat(store.keysOfLease(5)).containsExactly("svc/a", "svc/b");
            assertThat(store.lease(5)).isEqualTo(new Lease(5, 10, Lease.NO_CHECKPOINT));
        }

        @Test
        void revokingALeaseDeletesAllItsKeysAtOneRevisionAsRevoked() {
            store.apply(new GrantLease(5, 10));
            written(putWithLease("svc/b", "1", 5));
            written(putWithLease("svc/a", "2", 5));
            written(put("svc/c", "3"));
            written(putWithLease("other", "4", 5));
            long before = store.revision();
            listener.clear();

            CommandResult result = store.apply(new RevokeLease(5, false));

            assertThat(result).isEqualTo(new CommandResult.LeaseRevoked(5, 3, before + 1));
            assertThat(store.revision()).isEqualTo(before + 1);
            assertThat(rangeKeys("")).containsExactly("svc/c");
            assertThat(store.lease(5)).isNull();
            assertThat(store.leases()).isEmpty();
            assertThat(store.keysOfLease(5)).isEmpty();

            List<KeyEvent> events = listener.events();
            assertThat(events).hasSize(3);
            assertThat(events).extracting(KeyEvent::revision).containsOnly(before + 1);
            assertThat(events).extracting(KeyEvent::type).containsOnly(KeyEvent.Type.DELETE);
            assertThat(events).extracting(KeyEvent::cause).containsOnly(KeyEvent.Cause.LEASE_REVOKED);
            assertThat(events).extracting(e -> e.previous().lease()).containsOnly(5L);
            // Every replica, including one restored from a snapshot, must emit these in the same order.
            assertThat(events).extracting(e -> e.kv().key()).containsExactly("other", "svc/a", "svc/b");
            assertThat(listener.calls).containsExactly("events:3", "removed:5");
        }

        @Test
        void anExpiredLeaseDeletesItsKeysWithCauseLeaseExpired() {
            store.apply(new GrantLease(6, 10));
            written(putWithLease("x", "1", 6));
            written(putWithLease("y", "1", 6));
            listener.clear();

            store.apply(new RevokeLease(6, true));

            assertThat(listener.events()).extracting(KeyEvent::cause).containsOnly(KeyEvent.Cause.LEASE_EXPIRED);
            assertThat(listener.events()).hasSize(2);
            assertThat(store.keyCount()).isZero();
        }

        @Test
        void revokingAnUnknownLeaseReportsLeaseNotFoundAndChangesNothing() {
            written(put("k", "v"));
            StoreState before = store.state();
            listener.clear();
            assertThat(store.apply(new RevokeLease(99, false))).isEqualTo(new CommandResult.LeaseNotFound(99, before.revision()));
            assertThat(store.state()).isEqualTo(before);
            assertThat(listener.calls).isEmpty();
        }

        @Test
        void revokingALeaseTwiceFindsNothingTheSecondTime() {
            store.apply(new GrantLease(5, 10));
            written(putWithLease("k", "v", 5));
            assertThat(store.apply(new RevokeLease(5, true))).isInstanceOf(CommandResult.LeaseRevoked.class);
            assertThat(store.apply(new RevokeLease(5, false))).isInstanceOf(CommandResult.LeaseNotFound.class);
            assertThat(store.apply(putWithLease("k", "v", 5))).isInstanceOf(CommandResult.LeaseNotFound.class);
        }

        @Test
        void reputtingAKeyUnderAnotherLeaseUnbindsItFromTheFirst() {
            store.apply(new GrantLease(1, 10));
            store.apply(new GrantLease(2, 10));
            written(putWithLease("k", "v1", 1));
            written(putWithLease("k1", "v1", 1));
            CommandResult.Written moved = written(putWithLease("k", "v2", 2));
            assertThat(moved.kv().lease()).isEqualTo(2);
            assertThat(moved.previous().lease()).isEqualTo(1);
            assertThat(store.keysOfLease(1)).containsExactly("k1");
            assertThat(store.keysOfLease(2)).containsExactly("k");

            long beforeRevoke = store.revision();
            assertThat(store.apply(new RevokeLease(1, false))).isEqualTo(new CommandResult.LeaseRevoked(1, 1, beforeRevoke + 1));
            assertThat(store.get("k")).isEqualTo(moved.kv());
            assertThat(store.get("k1")).isNull();

            store.apply(new RevokeLease(2, false));
            assertThat(store.get("k")).isNull();
        }

        @Test
        void reputtingAKeyWithoutALeaseUnbindsIt() {
            store.apply(new GrantLease(1, 10));
            written(putWithLease("k", "v1", 1));
            CommandResult.Written plain = written(put("k", "v2"));
            assertThat(plain.kv().lease()).isZero();
            assertThat(store.keysOfLease(1)).isEmpty();

            long before = store.revision();
            assertThat(store.apply(new RevokeLease(1, false))).isEqualTo(new CommandResult.LeaseRevoked(1, 0, before));
            assertThat(store.get("k")).isEqualTo(plain.kv());
        }

        @Test
        void reputtingAKeyUnderTheSameLeaseKeepsItBound() {
            store.apply(new GrantLease(1, 10));
            written(putWithLease("k", "v1", 1));
            written(putWithLease("k", "v2", 1));
            assertThat(store.keysOfLease(1)).containsExactly("k");
            long before = store.revision();
            assertThat(store.apply(new RevokeLease(1, false))).isEqualTo(new CommandResult.LeaseRevoked(1, 1, before + 1));
            assertThat(store.get("k")).isNull();
        }

        @Test
        void deletingAKeyUnbindsItSoARecreatedKeyWithoutLeaseSurvivesRevocation() {
            store.apply(new GrantLease(1, 10));
            written(putWithLease("a", "v", 1));
            written(putWithLease("p/b", "v", 1));
            written(putWithLease("p/c", "v", 1));
            deleted(delete("a"));
            deleted(deletePrefix("p/"));
            assertThat(store.keysOfLease(1)).isEmpty();

            written(put("a", "plain"));
            written(put("p/b", "plain"));
            long before = store.revision();
            assertThat(store.apply(new RevokeLease(1, false))).isEqualTo(new CommandResult.LeaseRevoked(1, 0, before));
            assertThat(rangeKeys("")).containsExactly("a", "p/b");
        }

        @Test
        void grantingAnExistingLeaseIdIsRejectedAndKeepsTheOriginal() {
            assertThat(store.apply(new GrantLease(3, 10))).isEqualTo(new CommandResult.LeaseGranted(3, 10, 1));
            store.apply(new CheckpointLeases(List.of(new Checkpoint(3, 4_000))));
            listener.clear();

            assertThat(store.apply(new GrantLease(3, 99))).isEqualTo(new CommandResult.LeaseAlreadyExists(3, 1));
            assertThat(store.lease(3)).isEqualTo(new Lease(3, 10, 4_000));
            assertThat(store.leases()).hasSize(1);
            assertThat(listener.calls).isEmpty();
        }

        @Test
        void checkpointsRecordAndClearTheRemainingTimeANewLeaderStartsFrom() {
            store.apply(new GrantLease(1, 30));
            store.apply(new GrantLease(2, 60));
            assertThat(store.lease(1).checkpointedRemainingMillis()).isEqualTo(Lease.NO_CHECKPOINT);
            assertThat(store.lease(1).countdownMillis()).isEqualTo(30_000);

            store.apply(new CheckpointLeases(List.of(new Checkpoint(1, 12_500), new Checkpoint(2, 1), new Checkpoint(77, 5))));
            assertThat(store.lease(1)).isEqualTo(new Lease(1, 30, 12_500));
            assertThat(store.lease(1).countdownMillis()).isEqualTo(12_500);
            assertThat(store.lease(2).countdownMillis()).isEqualTo(1);
            assertThat(store.lease(77)).as("a checkpoint never creates a lease").isNull();

            store.apply(new CheckpointLeases(List.of(new Checkpoint(1, Lease.NO_CHECKPOINT))));
            assertThat(store.lease(1).checkpointedRemainingMillis()).isEqualTo(Lease.NO_CHECKPOINT);
            assertThat(store.lease(1).countdownMillis()).isEqualTo(30_000);
            assertThat(store.lease(2).countdownMillis()).isEqualTo(1);

            assertThat(store.leaseCount()).isEqualTo(2);
            assertThat(store.revision()).isEqualTo(1);
        }
    }

    // ---- listeners ----

    @Nested
    class Listeners {

        @Test
        void keyEventsArriveInOrderWithTypesPreviousValuesAndRevisions() {
            CommandResult.Written a1 = written(put("a", "1"));     // rev 2
            CommandResult.Written a2 = written(put("a", "2"));     // rev 3
            CommandResult.Written b1 = written(put("b", "1"));     // rev 4
            deleted(delete("a"));                                   // rev 5
            store.apply(cas("b", "x", 999));                       // fails: no event
            deleted(delete("nothing"));                             // no event

            assertThat(listener.batches).hasSize(4);
            List<KeyEvent> events = listener.events();
            assertThat(events).containsExactly(
                    new KeyEvent(KeyEvent.Type.PUT, a1.kv(), null, 2, KeyEvent.Cause.REQUEST),
                    new KeyEvent(KeyEvent.Type.PUT, a2.kv(), a1.kv(), 3, KeyEvent.Cause.REQUEST),
                    new KeyEvent(KeyEvent.Type.PUT, b1.kv(), null, 4, KeyEvent.Cause.REQUEST),
                    new KeyEvent(KeyEvent.Type.DELETE, new KeyValue("a", new byte[0], 0, 5, 0, 0), a2.kv(), 5,
                            KeyEvent.Cause.REQUEST));
        }

        @Test
        void leaseGrantAndRemovalAreAnnouncedOnlyWhenTheyHappen() {
            store.apply(new GrantLease(1, 10));
            store.apply(new GrantLease(1, 10));    // already exists
            store.apply(new GrantLease(2, 20));
            written(putWithLease("k", "v", 2));
            store.apply(new RevokeLease(1, true)); // no keys: no key events
            store.apply(new RevokeLease(1, true)); // unknown
            store.apply(new RevokeLease(2, false));

            assertThat(listener.calls).containsExactly(
                    "granted:1/10", "granted:2/20", "events:1", "removed:1", "events:1", "removed:2");
        }

        @Test
        void restoringASnapshotAnnouncesAReset() {
            RosterStore source = new RosterStore();
            source.apply(put("k", "v"));
            store.restore(source.state());
            assertThat(listener.calls).containsExactly("reset");
            assertThat(store.get("k")).isEqualTo(source.get("k"));
        }

        @Test
        void everyRegisteredListenerIsTold() {
            RecordingListener second = new RecordingListener();
            store.addListener(second);
            written(put("k", "v"));
            assertThat(second.events()).isEqualTo(listener.events()).hasSize(1);
        }
    }

    // ---- snapshots ----

    @Nested
    class Snapshots {

        private void buildNonTrivialState(RosterStore target) {
            target.apply(new GrantLease(10, 30));
            target.apply(new GrantLease(20, 60));
            target.apply(new GrantLease(30, 5));
            target.apply(putWithLease("svc/web/2", "10.0.0.2", 10));
            target.apply(putWithLease("svc/web/1", "10.0.0.1", 10));
            target.apply(putWithLease("svc/db/1", "10.0.0.9", 20));
            target.apply(put("config/a", "1"));
            target.apply(put("config/a", "2"));
            target.apply(put("config/b", ""));
            target.apply(new Put("bin", new byte[]{0, (byte) 0xFF, 7}, 0, NO_COMPARE));
            target.apply(put("unicode/ключ/\u2603", "snow"));
            target.apply(putWithLease("svc/web/0", "10.0.0.0", 10));
            target.apply(putWithLease("svc/web/0", "moved", 20));  // rebind
            target.apply(put("gone", "x"));
            target.apply(delete("gone"));
            target.apply(new CheckpointLeases(List.of(new Checkpoint(10, 17_000))));
            target.apply(new PublishMember(member(0x1234_5678_9ABC_DEF0L, "node-b")));
            target.apply(new PublishMember(new Member(-5, "node-a", List.of("http://a:2380", "http://a2:2380"),
                    List.of(), true)));
        }

        private StoreState roundTrip(StoreState state) {
            return StoreCodec.decodeSnapshot(StoreCodec.encodeSnapshot(state));
        }

        @Test
        void aRestoredSnapshotHasExactlyTheOriginalState() {
            buildNonTrivialState(store);
            StoreState original = store.state();

            RosterStore restored = new RosterStore();
            restored.restore(roundTrip(original));

            assertThat(restored.state()).isEqualTo(original);
            assertThat(restored.revision()).isEqualTo(store.revision());
            assertThat(restored.range("", 0)).isEqualTo(store.range("", 0));
            assertThat(restored.lease(10)).isEqualTo(new Lease(10, 30, 17_000));
            assertThat(restored.lease(10).countdownMillis()).isEqualTo(17_000);
            assertThat(restored.lease(20).countdownMillis()).isEqualTo(60_000);
            for (long id : List.of(10L, 20L, 30L)) {
                assertThat(restored.keysOfLease(id)).isEqualTo(store.keysOfLease(id));
            }
            assertThat(restored.keysOfLease(10)).containsExactly("svc/web/1", "svc/web/2");
            assertThat(restored.members()).isEqualTo(store.members());
            assertThat(restored.members()).extracting(Member::name).containsExactly("node-a", "node-b");
            assertThat(restored.get("bin").value()).containsExactly(0, 0xFF, 7);
        }

        @Test
        void aRestoredStoreKeepsBehavingExactlyLikeTheOriginal() {
            buildNonTrivialState(store);
            RosterStore restored = new RosterStore();
            restored.restore(roundTrip(store.state()));
            RecordingListener restoredListener = new RecordingListener();
            restored.addListener(restoredListener);
            listener.clear();

            List<Command> further = List.of(
                    put("svc/web/3", "new"),
                    new Put("svc/web/1", bytes("cas"), 10, store.get("svc/web/1").modRevision()),
                    new Put("config/a", bytes("stale"), 0, 2),
                    putWithLease("svc/web/9", "late", 10),
                    new RevokeLease(10, true),
                    new RevokeLease(20, false),
                    new GrantLease(30, 1),
                    new GrantLease(40, 1),
                    putWithLease("eph", "e", 40),
                    putWithLease("eph", "e", 30),
                    new RevokeLease(30, false),
                    deletePrefix("config/"),
                    new Delete("bin", false, store.get("bin").modRevision()),
                    new CheckpointLeases(List.of(new Checkpoint(40, 900))),
                    new PublishMember(member(7, "node-c")));

            for (Command command : further) {
                assertThat(restored.apply(command)).as(command.toString()).isEqualTo(store.apply(command));
                assertThat(restored.state()).as(command.toString()).isEqualTo(store.state());
            }
            assertThat(restoredListener.events()).isEqualTo(listener.events());
            assertThat(restoredListener.calls).isEqualTo(listener.calls);

            // The lease's keys really went away in the restored store.
            assertThat(restored.range("svc/", 0).kvs()).extracting(KeyValue::key).containsExactly("svc/web/3");
            assertThat(restored.get("eph")).isNull();
            assertThat(restored.leases()).extracting(Lease::id).containsExactly(40L);
        }

        @Test
        void restoringReplacesEverythingThatWasThere() {
            store.apply(new GrantLease(1, 10));
            store.apply(putWithLease("old", "x", 1));
            store.apply(new PublishMember(member(1, "old-node")));

            RosterStore source = new RosterStore();
            source.apply(put("new", "y"));
            store.restore(source.state());

            assertThat(store.state()).isEqualTo(source.state());
            assertThat(store.keysOfLease(1)).isEmpty();
            assertThat(store.lease(1)).isNull();
            assertThat(store.members()).isEmpty();
            assertThat(store.apply(putWithLease("again", "x", 1))).isInstanceOf(CommandResult.LeaseNotFound.class);
        }

        @Test
        void anEmptyStoreSnapshotRestoresToAnEmptyStore() {
            written(put("k", "v"));
            store.restore(roundTrip(new RosterStore().state()));
            assertThat(store.state()).isEqualTo(new StoreState(1, List.of(), List.of(), List.of()));
        }

        @Test
        void aSnapshotWithAKeyBoundToAMissingLeaseIsRefused() {
            StoreState broken = new StoreState(5, List.of(new KeyValue("k", bytes("v"), 2, 2, 1, 77)), List.of(), List.of());
            assertThatThrownBy(() -> new RosterStore().restore(broken))
                    .isInstanceOf(CorruptEntryException.class)
                    .hasMessageContaining("77");
        }
    }

    // ---- determinism ----

    @Nested
    class Determinism {

        private List<Command> randomCommands(long seed, int count) {
            Random random = new Random(seed);
            List<Command> commands = new ArrayList<>(count);
            String[] prefixes = {"", "a", "a/", "b", "b/x", "c/", "\uFFFF"};
            for (int i = 0; i < count; i++) {
                String key = randomKey(random);
                long lease = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(5);
                int kind = random.nextInt(100);
                Command command;
                if (kind < 40) {
                    command = new Put(key, bytes("v" + i), random.nextInt(3) == 0 ? 0 : lease, NO_COMPARE);
                } else if (kind < 55) {
                    long prev = random.nextBoolean() ? 0 : random.nextInt(i + 2);
                    command = new Put(key, bytes("c" + i), random.nextBoolean() ? lease : 0, prev);
                } else if (kind < 65) {
                    command = new Delete(key, false, random.nextBoolean() ? NO_COMPARE : random.nextInt(i + 2));
                } else if (kind < 70) {
                    command = new Delete(prefixes[random.nextInt(prefixes.length)], true, NO_COMPARE);
                } else if (kind < 80) {
                    command = new GrantLease(1 + random.nextInt(5), 1 + random.nextInt(60));
                } else if (kind < 88) {
                    command = new RevokeLease(1 + random.nextInt(5), random.nextBoolean());
                } else if (kind < 91) {
                    command = new GrantAndPut(key, bytes("g" + i), 1 + random.nextInt(8), 1 + random.nextInt(60));
                } else if (kind < 95) {
                    List<Checkpoint> checkpoints = new ArrayList<>();
                    for (int c = random.nextInt(4); c > 0; c--) {
                        checkpoints.add(new Checkpoint(1 + random.nextInt(6),
                                random.nextBoolean() ? Lease.NO_CHECKPOINT : random.nextInt(60_000)));
                    }
                    command = new CheckpointLeases(checkpoints);
                } else {
                    int id = random.nextInt(4);
                    command = new PublishMember(member(id, "node-" + id + "-" + random.nextInt(3)));
                }
                commands.add(command);
            }
            return commands;
        }

        private String randomKey(Random random) {
            String[] parts = {"a", "b", "c", "a/", "b/x", "\uFFFF", "z"};
            StringBuilder key = new StringBuilder();
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
                key.append(parts[random.nextInt(parts.length)]);
            }
            return key.toString();
        }

        @Test
        void twoStoresApplyingTheSameCommandsReachTheSameStateWithTheSameResults() {
            List<Command> commands = randomCommands(20240611L, 3_000);
            RosterStore other = new RosterStore();
            RecordingListener otherListener = new RecordingListener();
            other.addListener(otherListener);

            List<CommandResult> mine = new ArrayList<>();
            List<CommandResult> theirs = new ArrayList<>();
            for (Command command : commands) {
                mine.add(store.apply(command));
                theirs.add(other.apply(command));
            }
            assertThat(theirs).isEqualTo(mine);
            assertThat(other.state()).isEqualTo(store.state());
            assertThat(otherListener.events()).isEqualTo(listener.events());
            assertThat(otherListener.calls).isEqualTo(listener.calls);

            // The sequence is not trivial: it wrote, deleted and revoked.
            assertThat(store.revision()).isGreaterThan(500);
            assertThat(listener.events()).extracting(KeyEvent::cause).contains(
                    KeyEvent.Cause.REQUEST, KeyEvent.Cause.LEASE_EXPIRED, KeyEvent.Cause.LEASE_REVOKED);
            assertThat(mine).hasAtLeastOneElementOfType(CommandResult.CompareFailed.class)
                    .hasAtLeastOneElementOfType(CommandResult.LeaseNotFound.class)
                    .hasAtLeastOneElementOfType(CommandResult.LeaseAlreadyExists.class);
        }

        @Test
        void aReplicaRestoredFromASnapshotMidwayStaysInLockstepWithOneThatAppliedEverything() {
            for (long seed = 1; seed <= 20; seed++) {
                List<Command> commands = randomCommands(seed, 400);
                RosterStore full = new RosterStore();
                RosterStore early = new RosterStore();
                int cut = 100 + (int) (seed * 7);
                for (int i = 0; i < cut; i++) {
                    full.apply(commands.get(i));
                    early.apply(commands.get(i));
                }
                RosterStore restored = new RosterStore();
                restored.restore(StoreCodec.decodeSnapshot(StoreCodec.encodeSnapshot(early.state())));
                RecordingListener fullEvents = new RecordingListener();
                RecordingListener restoredEvents = new RecordingListener();
                full.addListener(fullEvents);
                restored.addListener(restoredEvents);

                for (int i = cut; i < commands.size(); i++) {
                    Command command = commands.get(i);
                    assertThat(restored.apply(command)).as("seed %d command %d %s", seed, i, command)
                            .isEqualTo(full.apply(command));
                }
                assertThat(restored.state()).as("seed %d", seed).isEqualTo(full.state());
                assertThat(restoredEvents.events()).as("seed %d", seed).isEqualTo(fullEvents.events());
                assertThat(restoredEvents.calls).as("seed %d", seed).isEqualTo(fullEvents.calls);
            }
        }
    }
}
