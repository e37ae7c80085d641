package io.roster.raft;

/**
 * Told when this node begins or ends leading. {@link #onLeaderStart} comes only after every entry
 * committed before this term has been applied, so the store is complete when it is called.
 */
public interface LeadershipListener {

    void onLeaderStart(long term);

    void onLeaderStop();
}
