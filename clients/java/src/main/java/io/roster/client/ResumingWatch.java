package io.roster.client;

import io.roster.client.internal.Json;
import tools.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A watch that follows one event stream on its own thread and never loses its place: after a broken stream
 * or a lost member it reconnects to the next endpoint from the last revision it delivered, so no event is
 * missed or repeated; when the members no longer hold that history (410, or an {@code end} event) it lists
 * the watched state again, hands it to {@link WatchListener#onRelist}, and follows on from there.
 */
final class ResumingWatch<E, S> implements Watch {

    /** What to send the listener, and how to list again. */
    interface Source<E, S> {
        /** Path and query of the stream, resuming after {@code afterRevision} (-1: from now). */
        String path(long afterRevision);

        E decode(JsonNode data);

        long revisionOf(E event);

        Relisted<E, S> relist();
    }

    /**
     * A fresh list of the watched state.
     *
     * @param resumeAfter   the revision to watch from
     * @param alreadyListed events after {@code resumeAfter} that the list already holds (a registry list is
     *                      made of one lookup per service, each at its own revision); they are skipped
     */
    record Relisted<E, S>(S snapshot, long resumeAfter, Predicate<E> alreadyListed) {
    }

    private static final Pattern WATCH_START = Pattern.compile("watching changes after revision (\\d+)");
    private static final long MAX_BACKOFF_MILLIS = 2_000;
    /** A stream that lasted this long was working: it broke, rather than each endpoint refusing at once. */
    private static final long STABLE_STREAM_NANOS = 1_000_000_000L;
    /** How a failure to open a stream is described: its timeout is the client's request timeout. */
    private static final Request STREAM_REQUEST = Request.get("/v1/watch");

    private final Transport transport;
    private final Source<E, S> source;
    private final WatchListener<E, S> listener;
    private final Object delivery = new Object();
    private final Thread thread;
    private final Consumer<Watch> onClose;
    private volatile boolean active = true;
    private volatile long lastRevision;
    private volatile InputStream stream;
    private Predicate<E> alreadyListed = event -> false;

    /** @param onClose run once closed, by the caller or by a failure (the client forgets the watch) */
    ResumingWatch(Transport transport, Source<E, S> source, long afterRevision, WatchListener<E, S> listener, String name,
                  Consumer<Watch> onClose) {
        this.transport = transport;
        this.onClose = onClose;
        this.source = source;
        this.listener = listener;
        this.lastRevision = afterRevision;
        this.thread = new Thread(this::run, "roster-watch " + name);
        this.thread.setDaemon(true);
    }

    ResumingWatch<E, S> start() {
        thread.start();
        return this;
    }

    @Override
    public long lastRevision() {
        return lastRevision;
    }

    @Override
    public boolean isActive() {
        return active;
    }

    @Override
    public void close() {
        synchronized (delivery) { // waits for an event being delivered; none follows
            active = false;
        }
        onClose.accept(this);
        thread.interrupt();
        InputStream current = stream;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                // closing is all we wanted
            }
        }
    }

    private void run() {
        List<String> endpoints = transport.endpoints().all();
        int index = endpoints.indexOf(transport.endpoints().inTurn().get(0));
        List<EndpointFailure> round = new ArrayList<>();
        int failedRounds = 0;
        while (active) {
            String endpoint = endpoints.get(index);
            long connectedAt = System.nanoTime();
            long deliveredBefore = lastRevision;
            String failure;
            try {
                failure = follow(endpoint);
            } catch (RosterException refused) {
                fail(refused);
                return;
            } catch (ListenerFailed failed) {
                fail(new RosterException("the watch listener failed: " + failed.getCause(), failed.getCause()));
                return;
            }
            if (!active) {
                return;
            }
            round.add(new EndpointFailure(endpoint, failure));
            // After a break, or a refusal, the next endpoint: the member may be gone for good.
            index = (index + 1) % endpoints.size();
            if (lastRevision != deliveredBefore || System.nanoTime() - connectedAt > STABLE_STREAM_NANOS) {
                // it was a working stream that broke: a fresh round of endpoints, at once
                round.clear();
                failedRounds = 0;
                continue;
            }
            if (round.size() >= endpoints.size()) {
                if (listener.failFast()) {
                    fail(new NoEndpointAvailableException(round));
                    return;
                }
                round.clear();
                if (!pause(++failedRounds)) {
                    return;
                }
            }
        }
    }

    /**
     * Follows the stream of one endpoint until it ends.
     *
     * @return why following it ended: {@code connection refused}, {@code 503 no leader}, {@code the event stream ended}
     * @throws RosterException when the watch must end: a member refused it, or (fail-fast) its history is gone
     */
    private String follow(String endpoint) {
        HttpResponse<InputStream> response;
        try {
            response = transport.openEventStream(endpoint, source.path(lastRevision), lastRevision);
        } catch (IOException e) {
            return transport.describe(e, STREAM_REQUEST);
        } catch (RosterException interrupted) {
            if (active) {
                throw interrupted;
            }
            return "closed";
        }
        try (InputStream body = response.body()) {
            stream = body;
            if (response.statusCode() != 200) {
                return refused(endpoint, response.statusCode(), body, response);
            }
            transport.endpoints().answered(endpoint);
            read(endpoint, body);
        } catch (IOException | UncheckedIOException e) {
            // the connection broke
        } finally {
            stream = null;
        }
        return "the event stream ended";
    }

    private String refused(String endpoint, int status, InputStream body, HttpResponse<?> response) throws IOException {
        Answer answer = new Answer(endpoint, status, body.readAllBytes(),
                response.headers().firstValue("Content-Type").orElse(null), OptionalLong.empty());
        if (ErrorAnswers.isRemovedMember(answer)) {
            return "410 removed from the cluster";
        }
        if (status >= 500) {
            return status + " " + Wire.problem(status, answer.json()).describe();
        }
        RosterServerException error = ErrorAnswers.toException(answer, transport.sendsToken());
        if (error instanceof RevisionCompactedException && !listener.failFast()) {
            relist();
            return "listed again after " + error.getMessage();
        }
        throw error;
    }

    private void read(String endpoint, InputStream body) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        SseParser parser = new SseParser(new SseParser.Handler() {
            @Override
            public void onEvent(SseParser.Event event) {
                if (event.event() == null || "message".equals(event.event())) {
                    deliver(source.decode(Json.parse(event.data())));
                } else if ("end".equals(event.event())) {
                    // the member's state was replaced by a snapshot: its history is gone
                    if (listener.failFast()) {
                        throw new WatchEndedException(endpoint, event.data());
                    }
                    relist();
                    throw new StreamEnded();
                } else if ("resume".equals(event.event())) {
                    // the member shuts down or this watch fell behind; the history is intact: resume after the last revision
                    throw new StreamEnded();
                }
                // another event is one a newer server added, which this client need not understand
            }

            @Override
            public void onComment(String comment) {
                Matcher start = WATCH_START.matcher(comment);
                if (lastRevision < 0 && start.find()) {
                    lastRevision = Long.parseLong(start.group(1));
                }
            }
        });
        try {
            for (String line = lines.readLine(); line != null && active; line = lines.readLine()) {
                parser.line(line);
            }
        } catch (StreamEnded ended) {
            // resume, from the relisted revision
        }
    }

    private void deliver(E event) {
        long revision = source.revisionOf(event);
        if (revision <= lastRevision || alreadyListed.test(event)) {
            return;
        }
        synchronized (delivery) {
            if (!active) {
                return;
            }
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                throw new ListenerFailed(e);
            }
            lastRevision = revision;
        }
    }

    /** Lists again (with failover; retrying while the cluster is unavailable) and hands the list over. */
    private void relist() {
        int attempt = 0;
        while (active) {
            Relisted<E, S> relisted;
            try {
                relisted = source.relist();
            } catch (ClusterUnavailableException e) {
                if (!pause(++attempt)) {
                    return;
                }
                continue;
            }
            synchronized (delivery) {
                if (!active) {
                    return;
                }
                try {
                    listener.onRelist(relisted.snapshot());
                } catch (RuntimeException e) {
                    throw new ListenerFailed(e);
                }
                alreadyListed = relisted.alreadyListed();
                lastRevision = relisted.resumeAfter();
            }
            return;
        }
    }

    private void fail(RosterException failure) {
        boolean wasActive;
        synchronized (delivery) {
            wasActive = active;
            active = false;
        }
        if (wasActive) {
            onClose.accept(this);
            listener.onFailure(failure);
        }
    }

    /** Waits before another round of endpoints, longer each round up to 2 s; false when closed meanwhile. */
    private boolean pause(int round) {
        try {
            Thread.sleep(Math.min(MAX_BACKOFF_MILLIS, 100L << Math.min(round, 5)));
            return active;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** The listener threw: the watch ends and says so through onFailure. */
    private static final class ListenerFailed extends RuntimeException {
        ListenerFailed(RuntimeException cause) {
            super(cause);
        }
    }

    /** An {@code end} event: the stream is over, and the state was listed again. */
    private static final class StreamEnded extends RuntimeException {
        StreamEnded() {
            super(null, null, false, false);
        }
    }
}
