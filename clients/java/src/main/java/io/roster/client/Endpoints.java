package io.roster.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The members' client URLs, and which of them to try first: the one that answered last, so a client sticks
 * to a working member and moves on only when it fails.
 */
final class Endpoints {

    private final List<String> urls;
    private volatile int preferred;

    Endpoints(Collection<String> raw) {
        List<String> parsed = raw.stream().map(Endpoints::normalize).distinct().toList();
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("no endpoints given; pass the client URLs of one or more members, "
                    + "e.g. http://10.0.0.1:2379");
        }
        this.urls = parsed;
    }

    List<String> all() {
        return urls;
    }

    /** Every endpoint once, starting with the preferred one. */
    List<String> inTurn() {
        int start = preferred;
        List<String> order = new ArrayList<>(urls.size());
        for (int i = 0; i < urls.size(); i++) {
            order.add(urls.get((start + i) % urls.size()));
        }
        return order;
    }

    /** Marks the endpoint that answered, to be tried first next time. */
    void answered(String endpoint) {
        int index = urls.indexOf(endpoint);
        if (index >= 0) {
            preferred = index;
        }
    }

    /**
     * {@code http://host:port} without a trailing slash; {@code host:port} gets {@code http://}.
     *
     * @throws IllegalArgumentException when it is not an http(s) URL with a host and no path
     */
    static String normalize(String raw) {
        String text = raw == null ? "" : raw.trim();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("an endpoint is empty");
        }
        if (!text.contains("://")) {
            text = "http://" + text;
        }
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("endpoint '" + raw + "' is not a URL: " + e.getReason());
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("endpoint '" + raw + "' must be http:// or https://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("endpoint '" + raw + "' has no host (or a malformed host:port)");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
            throw new IllegalArgumentException("endpoint '" + raw + "' must not have a path");
        }
        return text;
    }
}
