package io.roster.cluster;

/** A membership change refused because of the cluster's state (quorum, lag, a taken peer URL): HTTP 409. */
public class MembershipException extends RuntimeException {

    public MembershipException(String message) {
        super(message);
    }
}
