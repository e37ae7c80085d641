package io.roster.store.command;

/**
 * Everything that can change the replicated state. The set is closed: a new kind of change is a new
 * record here and a new tag in the codec, so old logs stay readable and unknown entries fail loudly.
 * Ids, TTLs and timestamps are chosen before proposing; applying a command reads no clock.
 */
public sealed interface Command
        permits Put, Delete, GrantLease, RevokeLease, CheckpointLeases, PublishMember, GrantAndPut,
        AddMember, RemoveMember, UpdateMemberPeers, PromoteMember, Noop, PutAuthRecord {

    /** Marks a compare-and-swap field as "no comparison". */
    long NO_COMPARE = -1;
}
