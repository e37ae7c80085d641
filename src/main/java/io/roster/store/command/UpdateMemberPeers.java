package io.roster.store.command;

import java.util.List;

/** Moves a member to new peer URLs; it keeps its id. */
public record UpdateMemberPeers(long id, List<String> peerUrls) implements Command {

    public UpdateMemberPeers {
        peerUrls = List.copyOf(peerUrls);
    }
}
