package io.roster.api.auth;

import io.roster.config.InvalidConfigurationException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The bearer tokens this member accepts ({@code roster.auth.tokens}). Only their SHA-256 digests are kept,
 * and a presented token is compared with every one of them in constant time, so neither a heap dump nor
 * the time an answer takes tells anything about a token.
 */
final class ClientTokens {

    /** Short enough to type, long enough not to guess: 16 characters of base64 are 96 bits. */
    private static final int MIN_LENGTH = 16;
    /** RFC 6750's b64token: what may follow "Bearer " in a header. */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    private static final String EXAMPLE = " (for example the output of 'openssl rand -base64 32')";

    private final List<byte[]> digests;

    private ClientTokens(List<byte[]> digests) {
        this.digests = digests;
    }

    /**
     * @param tokens as configured; blank entries are ignored, so an empty setting turns tokens off
     * @throws InvalidConfigurationException naming the token by position (never its text) when one is
     *                                       too short or cannot be sent in a header
     */
    static ClientTokens of(List<String> tokens) {
        List<String> given = tokens.stream().map(String::trim).filter(token -> !token.isEmpty()).toList();
        for (int i = 0; i < given.size(); i++) {
            String token = given.get(i);
            String which = "roster.auth.tokens: token " + (i + 1) + " of " + given.size();
            if (!B64TOKEN.matcher(token).matches()) {
                throw new InvalidConfigurationException(which + " has characters a bearer token cannot have; use letters, digits and -._~+/"
                        + EXAMPLE);
            }
            if (token.length() < MIN_LENGTH) {
                throw new InvalidConfigurationException(which + " is " + token.length() + " characters long; use at least " + MIN_LENGTH
                        + EXAMPLE);
            }
        }
        return new ClientTokens(given.stream().map(ClientTokens::digest).toList());
    }

    /** Whether clients must present a token at all. */
    boolean required() {
        return !digests.isEmpty();
    }

    /** Whether {@code presented} is one of the tokens; every token is compared, whichever matches. */
    boolean accepts(String presented) {
        byte[] digest = digest(presented);
        boolean accepted = false;
        for (byte[] known : digests) {
            accepted |= MessageDigest.isEqual(known, digest);
        }
        return accepted;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }
}
