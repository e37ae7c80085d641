package io.roster.identity;

import io.roster.config.PeerUrl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.stream.Collectors;

/**
 * Derives member and cluster ids as etcd does: a member's id from the cluster token and its peer URL,
 * the cluster's id from the token and every bootstrap member's peer URL. Ids print as 16 hex digits.
 */
public final class MemberIds {

    private MemberIds() {
    }

    public static long memberId(String clusterToken, PeerUrl peerUrl) {
        return hash("member\n" + clusterToken + "\n" + schemeless(peerUrl));
    }

    public static long clusterId(String clusterToken, Collection<PeerUrl> peerUrls) {
        String sorted = peerUrls.stream().map(MemberIds::schemeless).sorted().collect(Collectors.joining(","));
        return hash("cluster\n" + clusterToken + "\n" + sorted);
    }

    /** Ids do not depend on the scheme, so a cluster that turns peer TLS on keeps the ids it had. */
    private static String schemeless(PeerUrl peerUrl) {
        return "http://" + peerUrl.host() + ":" + peerUrl.port();
    }

    public static String hex(long id) {
        return HexFormat.of().toHexDigits(id);
    }

    public static long parseHex(String text) {
        if (text == null || text.length() != 16) {
            throw new NumberFormatException("an id is 16 hex digits");
        }
        return HexFormat.fromHexDigitsToLong(text);
    }

    private static long hash(String input) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
            long id = 0;
            for (int i = 0; i < 8; i++) {
                id = (id << 8) | (digest[i] & 0xFF);
            }
            return id == 0 ? 1 : id;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
