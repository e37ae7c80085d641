package io.roster.raft;

import com.alipay.remoting.ExtendedNettyChannelHandler;
import com.alipay.remoting.config.BoltClientOption;
import com.alipay.remoting.config.BoltServerOption;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.option.RpcOptions;
import com.alipay.sofa.jraft.rpc.RaftRpcServerFactory;
import com.alipay.sofa.jraft.rpc.RpcClient;
import com.alipay.sofa.jraft.rpc.RpcServer;
import com.alipay.sofa.jraft.rpc.impl.BoltRpcClient;
import com.alipay.sofa.jraft.rpc.impl.BoltRpcServer;
import com.alipay.sofa.jraft.util.Endpoint;
import com.alipay.sofa.jraft.util.RpcFactoryHelper;
import io.netty.channel.ChannelHandler;
import io.roster.raft.tls.PeerTls;

import java.util.List;
import java.util.function.Supplier;

/**
 * How this member talks to the others on the peer port: plain TCP, or mutual TLS. Every bolt server and
 * client Roster opens comes from here, JRaft's own included (through {@link RosterRaftRpcFactory}), so no
 * link is left plain by mistake.
 */
public final class PeerTransport implements AutoCloseable {

    static {
        PeerMessageSerializer.register();
    }

    public static final PeerTransport PLAIN = new PeerTransport(null);

    private final PeerTls tls;

    private PeerTransport(PeerTls tls) {
        this.tls = tls;
    }

    public static PeerTransport tls(PeerTls tls) {
        return new PeerTransport(tls);
    }

    /** The peer port's server, with JRaft's processors registered; it starts with the Raft group. */
    RpcServer newServer(Endpoint endpoint) {
        RpcServer server = RpcFactoryHelper.rpcFactory().createRpcServer(endpoint, this::configure);
        RaftRpcServerFactory.addRaftRequestProcessors(server);
        return server;
    }

    /** A started client for Roster's own peer requests. */
    RpcClient newClient() {
        RpcClient client = RpcFactoryHelper.rpcFactory().createRpcClient(this::configure);
        client.init(new RpcOptions());
        return client;
    }

    /** Node options that carry this transport to the client JRaft makes for replication and votes. */
    NodeOptions newNodeOptions() {
        return new TransportNodeOptions(this);
    }

    void configure(RpcServer server) {
        if (tls != null) {
            ((BoltRpcServer) server).getServer().option(BoltServerOption.EXTENDED_NETTY_CHANNEL_HANDLER,
                    frontHandlers(tls::serverHandlers));
        }
    }

    void configure(RpcClient client) {
        if (tls != null) {
            ((BoltRpcClient) client).getRpcClient().option(BoltClientOption.EXTENDED_NETTY_CHANNEL_HANDLER,
                    frontHandlers(tls::clientHandlers));
        }
    }

    private static ExtendedNettyChannelHandler frontHandlers(Supplier<List<ChannelHandler>> perConnection) {
        return new ExtendedNettyChannelHandler() {
            @Override
            public List<ChannelHandler> frontChannelHandlers() {
                return perConnection.get();
            }

            @Override
            public List<ChannelHandler> backChannelHandlers() {
                return List.of();
            }
        };
    }

    @Override
    public void close() {
        if (tls != null) {
            tls.close();
        }
    }

    @Override
    public String toString() {
        return tls == null ? "plain TCP" : "mutual TLS";
    }

    /** NodeImpl hands its own options to the client it makes; this is how the transport reaches it. */
    static final class TransportNodeOptions extends NodeOptions {
        private final PeerTransport transport;

        TransportNodeOptions(PeerTransport transport) {
            this.transport = transport;
        }

        PeerTransport transport() {
            return transport;
        }
    }
}
