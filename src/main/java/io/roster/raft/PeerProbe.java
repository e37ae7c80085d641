package io.roster.raft;

import com.alipay.sofa.jraft.rpc.RpcClient;
import com.alipay.sofa.jraft.util.Endpoint;
import io.roster.config.PeerUrl;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks given members a question over their peer ports, outside Raft's routing: before this member starts
 * Raft (which cluster are you, who are its members), or when it cannot know the leader. Members that do not
 * answer, or refuse (a leader's operation asked of a follower), are left out of the result.
 */
public final class PeerProbe {

    private final PeerTransport transport;

    public PeerProbe(PeerTransport transport) {
        this.transport = transport;
    }

    public <Q, A> Map<PeerUrl, A> ask(List<PeerUrl> peers, PeerOperation<Q, A> operation, Q request, Duration timeout) {
        byte[] body = operation.request().encode(request);
        Map<PeerUrl, A> answers = new LinkedHashMap<>();
        RpcClient client = transport.newClient();
        try {
            for (PeerUrl peer : peers) {
                try {
                    Object response = client.invokeSync(new Endpoint(peer.host(), peer.port()),
                            new PeerRequest(operation.name(), operation.version(), body), timeout.toMillis());
                    if (response instanceof PeerResponse answer && answer.status() == PeerResponse.OK) {
                        answers.put(peer, operation.answer().decode(answer.body()));
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
