package io.roster.raft;

import com.alipay.sofa.jraft.rpc.RpcClient;
import com.alipay.sofa.jraft.util.Endpoint;
import io.roster.config.PeerUrl;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks other members a question over their peer ports before this member starts Raft: which cluster are
 * you, who are its members. Members that do not answer are left out of the result.
 */
public final class PeerProbe {

    private final PeerTransport transport;

    public PeerProbe(PeerTransport transport) {
        this.transport = transport;
    }

    public Map<PeerUrl, byte[]> ask(List<PeerUrl> peers, String operation, byte[] request, Duration timeout) {
        Map<PeerUrl, byte[]> answers = new LinkedHashMap<>();
        RpcClient client = transport.newClient();
        try {
            for (PeerUrl peer : peers) {
                try {
                    Object response = client.invokeSync(new Endpoint(peer.host(), peer.port()),
                            new PeerRequest(operation, request), timeout.toMillis());
                    if (response instanceof PeerResponse answer && answer.status() == PeerResponse.OK) {
                        answers.put(peer, answer.body());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (Exception e) {
                    // down, unreachable, or not a Roster member yet: no answer from it
                }
            }
        } finally {
            client.shutdown();
        }
        return answers;
    }
}
