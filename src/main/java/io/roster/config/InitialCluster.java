package io.roster.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The parsed {@code initial-cluster} setting: {@code n1=http://10.0.0.1:2380,n2=http://…} in the given order. */
public record InitialCluster(Map<String, PeerUrl> members) {

    public InitialCluster {
        members = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }

    public static InitialCluster parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidConfigurationException("roster.initial-cluster is empty; give name=http://host:port for each member");
        }
        Map<String, PeerUrl> members = new LinkedHashMap<>();
        Map<PeerUrl, String> owners = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            String trimmed = entry.trim();
            int equals = trimmed.indexOf('=');
            if (equals <= 0 || equals == trimmed.length() - 1) {
                throw new InvalidConfigurationException("roster.initial-cluster entry '" + trimmed
                        + "' is not name=http://host:port");
            }
            String name = trimmed.substring(0, equals).trim();
            PeerUrl url = PeerUrl.parse(trimmed.substring(equals + 1), "roster.initial-cluster member " + name);
            if (members.putIfAbsent(name, url) != null) {
                throw new InvalidConfigurationException("roster.initial-cluster names member '" + name + "' twice");
            }
            String other = owners.putIfAbsent(url, name);
            if (other != null) {
                throw new InvalidConfigurationException("roster.initial-cluster gives members '" + other + "' and '"
                        + name + "' the same peer URL " + url);
            }
        }
        return new InitialCluster(members);
    }

    /** The peer URL of the named member, or a refusal that says what is wrong. */
    public PeerUrl peerUrlOf(String name) {
        PeerUrl url = members.get(name);
        if (url == null) {
            throw new InvalidConfigurationException("this member's name '" + name + "' (roster.name) is not in roster.initial-cluster ("
                    + String.join(", ", members.keySet()) + ")");
        }
        return url;
    }

    /**
     * Whether members talk mutual TLS ({@code https://} peer URLs). All of them do, or none: a plain member
     * could neither reach a TLS one nor be reached by it.
     */
    public boolean usesTls() {
        List<String> secure = members.entrySet().stream().filter(e -> e.getValue().tls()).map(Map.Entry::getKey).toList();
        if (!secure.isEmpty() && secure.size() < members.size()) {
            List<String> plain = members.entrySet().stream().filter(e -> !e.getValue().tls()).map(Map.Entry::getKey).toList();
            throw new InvalidConfigurationException("roster.initial-cluster mixes https:// peer URLs (" + String.join(", ", secure)
                    + ") with http:// ones (" + String.join(", ", plain) + "); members talk TLS to all or to none");
        }
        return !secure.isEmpty();
    }

    public List<PeerUrl> peerUrls() {
        return List.copyOf(members.values());
    }

    @Override
    public String toString() {
        return members.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
