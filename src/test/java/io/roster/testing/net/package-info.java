/**
 * Partitions a cluster of real processes without root: every member's peer port and client port is advertised at
 * a {@link io.roster.testing.net.LinkProxy} in the test JVM, and one {@link io.roster.testing.net.Network} holds the
 * faults of all links, per direction. A peer proxy names who dialed it with
 * {@link io.roster.testing.net.ProcessSocketOwners} (all members dial from 127.0.0.1); a client proxy uses
 * {@link io.roster.testing.net.SourceResolver#fixed}.
 *
 * <pre>{@code
 * Network network = Network.of("n1", "n2", "n3", "client");
 * SourceResolver members = new ProcessSocketOwners(() -> Map.of(pidOfN1, "n1", pidOfN2, "n2", pidOfN3, "n3"));
 * LinkProxy toN1 = LinkProxy.start("n1", n1PeerAddress, members, network);  // advertise toN1.port() as n1's
 * LinkProxy clientToN1 = LinkProxy.start("n1", n1ClientAddress, SourceResolver.fixed("client"), network);
 * network.partition(Set.of("n1"), Set.of("n2", "n3"), Fault.DROP);
 * }</pre>
 */
package io.roster.testing.net;
