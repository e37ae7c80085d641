package io.roster.raft;

import com.alipay.sofa.jraft.option.RpcOptions;
import com.alipay.sofa.jraft.rpc.RpcClient;
import com.alipay.sofa.jraft.rpc.impl.BoltRaftRpcFactory;
import com.alipay.sofa.jraft.util.SPI;

/**
 * JRaft's bolt transport, with the client that JRaft makes for each node set up by that node's
 * {@link PeerTransport}: that client carries replication, votes and snapshot installs, so it must be TLS
 * whenever the node's peer port is. Found by JRaft through {@code META-INF/services}, ahead of bolt's own.
 */
@SPI(priority = 10)
public class RosterRaftRpcFactory extends BoltRaftRpcFactory {

    @Override
    public ConfigHelper<RpcClient> defaultJRaftClientConfigHelper(RpcOptions options) {
        ConfigHelper<RpcClient> bolt = super.defaultJRaftClientConfigHelper(options);
        if (!(options instanceof PeerTransport.TransportNodeOptions withTransport)) {
            return bolt;
        }
        return client -> {
            if (bolt != null) {
                bolt.config(client);
            }
            withTransport.transport().configure(client);
        };
    }
}
