package io.roster.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;

/** Says in a few words why an endpoint failed, as a person would: {@code connection refused}, {@code timed out after 5s}. */
final class Failures {

    private Failures() {
    }

    static String describe(IOException e, Duration dialTimeout, Duration requestTimeout) {
        if (e instanceof HttpConnectTimeoutException) {
            return "connect timed out after " + seconds(dialTimeout);
        }
        if (e instanceof HttpTimeoutException) {
            return "timed out after " + seconds(requestTimeout);
        }
        if (hasCause(e, UnresolvedAddressException.class) || hasCause(e, UnknownHostException.class)) {
            return "unknown host";
        }
        if (hasCause(e, NoRouteToHostException.class)) {
            return "no route to host";
        }
        String message = firstMessage(e);
        if (e instanceof ConnectException || hasCause(e, ConnectException.class)) {
            return message == null || message.toLowerCase(Locale.ROOT).contains("refused") ? "connection refused" : message;
        }
        if (message != null && message.toLowerCase(Locale.ROOT).contains("closed")) {
            return "connection closed: " + message;
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable current = error; current != null; current = current.getCause()) {
            if (type.isInstance(current)) {
                return true;
            }
        }
        return false;
    }

    private static String firstMessage(Throwable error) {
        for (Throwable current = error; current != null; current = current.getCause()) {
            if (current.getMessage() != null && !current.getMessage().isBlank()) {
                return current.getMessage();
            }
        }
        return null;
    }
}
