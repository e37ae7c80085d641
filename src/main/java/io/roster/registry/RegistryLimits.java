package io.roster.registry;

import io.roster.common.InvalidInputException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The registry's validation rules: DNS-label-like names, ports, TTL range, metadata size. Every
 * violation names the field and, where one applies, the limit.
 */
public record RegistryLimits(Duration minTtl, Duration maxTtl, Duration defaultTtl, int maxMetadataEntries,
                             int maxMetadataBytes) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?");
    private static final int MAX_NAME = 253;
    private static final int MAX_HOST = 253;
    private static final int MAX_ZONE = 63;
    private static final int MAX_WEIGHT = 10_000;

    public void requireName(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw InvalidInputException.invalid(field, field + " is required");
        }
        if (value.length() > MAX_NAME) {
            throw InvalidInputException.overLimit(field, field + " is " + value.length() + " characters; at most "
                    + MAX_NAME + " are allowed", String.valueOf(MAX_NAME), false);
        }
        if (!NAME.matcher(value).matches()) {
            throw InvalidInputException.invalid(field, field + " '" + value + "' must be lowercase letters, digits, '-' and"
                    + " '.', starting and ending with a letter or digit");
        }
    }

    public void requireHost(String host) {
        if (host == null || host.isBlank()) {
            throw InvalidInputException.invalid("host", "host is required");
        }
        if (host.length() > MAX_HOST || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c >= 0x7F)) {
            throw InvalidInputException.invalid("host", "host must be a DNS name or an IP address of at most "
                    + MAX_HOST + " characters, not '" + host + "'");
        }
    }

    public void requirePort(int port) {
        if (port < 1 || port > 65535) {
            throw InvalidInputException.overLimit("port", "port must be between 1 and 65535, not " + port, "1..65535", false);
        }
    }

    public void requireTtl(long ttlSeconds) {
        if (ttlSeconds < minTtl.toSeconds() || ttlSeconds > maxTtl.toSeconds()) {
            throw InvalidInputException.overLimit("ttlSeconds", "ttlSeconds must be between " + minTtl.toSeconds() + " and "
                    + maxTtl.toSeconds() + " (roster.registry.min-ttl / max-ttl), not " + ttlSeconds,
                    minTtl.toSeconds() + ".." + maxTtl.toSeconds(), false);
        }
    }

    public void requireZone(String zone) {
        if (zone != null && (zone.length() > MAX_ZONE || zone.chars().anyMatch(Character::isISOControl))) {
            throw InvalidInputException.invalid("zone", "zone must be at most " + MAX_ZONE + " printable characters");
        }
        requireUnicode("zone", zone);
    }

    /**
     * A lone surrogate (valid in a JSON escape, not in Unicode) has no UTF-8 form. The stored instance is
     * JSON in UTF-8, and one such metadata key made every read of its service fail until it expired.
     */
    private static void requireUnicode(String field, String text) {
        if (text == null) {
            return;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw InvalidInputException.invalid(field, field + " is not valid Unicode text (it contains a lone surrogate)");
            }
        }
    }

    public void requireWeight(int weight) {
        if (weight < 0 || weight > MAX_WEIGHT) {
            throw InvalidInputException.overLimit("weight", "weight must be between 0 and " + MAX_WEIGHT + ", not " + weight,
                    "0.." + MAX_WEIGHT, false);
        }
    }

    public void requireMetadata(Map<String, String> metadata) {
        if (metadata.size() > maxMetadataEntries) {
            throw InvalidInputException.overLimit("metadata", "metadata has " + metadata.size() + " entries; at most "
                    + maxMetadataEntries + " are allowed (roster.registry.max-metadata-entries)",
                    String.valueOf(maxMetadataEntries), false);
        }
        requireStringEntries(metadata);
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            requireUnicode("metadata", entry.getKey());
            requireUnicode("metadata." + entry.getKey(), entry.getValue());
        }
        int bytes = 0;
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            bytes += entry.getKey().getBytes(StandardCharsets.UTF_8).length + entry.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (bytes > maxMetadataBytes) {
            throw InvalidInputException.overLimit("metadata", "metadata is " + bytes + " bytes; at most " + maxMetadataBytes
                    + " are allowed (roster.registry.max-metadata-bytes)", String.valueOf(maxMetadataBytes), false);
        }
    }

    /** Every metadata key is a non-empty string and every value a string (JSON null is not one). */
    static void requireStringEntries(Map<String, String> metadata) {
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            if (entry.getKey() == null || entry.getKey().isEmpty()) {
                throw InvalidInputException.invalid("metadata", "metadata keys must be non-empty");
            }
            if (entry.getValue() == null) {
                throw InvalidInputException.invalid("metadata." + entry.getKey(), "metadata value '" + entry.getKey()
                        + "' is null; every metadata value must be a string (send \"\" for an empty one, or leave the key out)");
            }
        }
    }

    public void require(InstanceSpec spec) {
        requireHost(spec.host());
        requirePort(spec.port());
        requireTtl(spec.ttlSeconds());
        requireZone(spec.zone());
        requireWeight(spec.weight());
        requireMetadata(spec.metadata());
    }
}
