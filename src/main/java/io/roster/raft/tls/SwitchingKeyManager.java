package io.roster.raft.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * The key manager TLS engines hold for good; a certificate rotation swaps what it hands out. An alias it
 * gives out names the generation it came from, so a handshake that straddles a rotation still gets a
 * certificate and a private key that belong together.
 */
final class SwitchingKeyManager extends X509ExtendedKeyManager {

    private record Generation(long number, X509ExtendedKeyManager keys) {
    }

    private volatile Generation current;
    private volatile Generation previous;

    SwitchingKeyManager(X509ExtendedKeyManager initial) {
        this.current = new Generation(0, initial);
        this.previous = current;
    }

    synchronized void use(X509ExtendedKeyManager next) {
        previous = current;
        current = new Generation(current.number() + 1, next);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        Generation generation = current;
        return tag(generation, generation.keys().getClientAliases(keyType, issuers));
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        Generation generation = current;
        return tag(generation, generation.keys().chooseClientAlias(keyType, issuers, socket));
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        Generation generation = current;
        return tag(generation, generation.keys().chooseEngineClientAlias(keyType, issuers, engine));
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        Generation generation = current;
        return tag(generation, generation.keys().getServerAliases(keyType, issuers));
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        Generation generation = current;
        return tag(generation, generation.keys().chooseServerAlias(keyType, issuers, socket));
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        Generation generation = current;
        return tag(generation, generation.keys().chooseEngineServerAlias(keyType, issuers, engine));
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Generation generation = generationOf(alias);
        return generation == null ? null : generation.keys().getCertificateChain(untag(alias));
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Generation generation = generationOf(alias);
        return generation == null ? null : generation.keys().getPrivateKey(untag(alias));
    }

    private static String tag(Generation generation, String alias) {
        return alias == null ? null : generation.number() + ":" + alias;
    }

    private static String[] tag(Generation generation, String[] aliases) {
        if (aliases == null) {
            return null;
        }
        String[] tagged = new String[aliases.length];
        for (int i = 0; i < aliases.length; i++) {
            tagged[i] = tag(generation, aliases[i]);
        }
        return tagged;
    }

    private Generation generationOf(String alias) {
        int colon = alias == null ? -1 : alias.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String number = alias.substring(0, colon);
        Generation latest = current;
        Generation before = previous;
        if (number.equals(Long.toString(latest.number()))) {
            return latest;
        }
        return number.equals(Long.toString(before.number())) ? before : null;
    }

    private static String untag(String alias) {
        return alias.substring(alias.indexOf(':') + 1);
    }
}
