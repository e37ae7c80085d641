package io.roster.api.watch;

import jakarta.servlet.AsyncContext;
import org.apache.catalina.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Gives back what Tomcat forgets about an asynchronous request it loses. When one of our threads fails a
 * write (the client left) in the last moments of the request's first dispatch (after Tomcat's adapter
 * decided the request stays asynchronous, before its processor hands the connection to the poller),
 * Tomcat closes the connection and recycles the request without firing {@code onComplete} and without
 * lowering the context's count of asynchronous requests in progress. Seen with Tomcat 11.0.27 and still
 * in its main branch: the write moves the async state from STARTING to MUST_ERROR and our
 * {@code complete()} to MUST_COMPLETE, the processor returns CLOSED, and a CLOSED processor is never
 * post-processed; the ERROR event raised for the write finds the connection closed. Graceful shutdown
 * waits for that count to reach zero, so each such request cost a shutdown its whole grace period
 * (about 1 in 1,500 watches whose clients read the headers and left at once).
 *
 * <p>A request is known lost when its {@link AsyncContext} is recycled (every use of it throws) and the
 * container reported neither completion nor an error to the request's listener: on every other path
 * Tomcat fires one of them before it recycles. Only then is the count lowered here, once.
 */
@Component
class LostAsyncCompletions implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private static final Logger log = LoggerFactory.getLogger(LostAsyncCompletions.class);
    private static final long CHECK_INTERVAL_MILLIS = 1_000;
    /** A request still in Tomcat's hands after this many checks is left to Tomcat: it is not lost. */
    private static final int MAX_CHECKS = 30;

    private final ScheduledExecutorService checks;
    private volatile Context context;

    LostAsyncCompletions(ScheduledExecutorService watchKeepAlives) {
        this.checks = watchKeepAlives;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(tomcatContext -> this.context = tomcatContext);
    }

    /**
     * Watches a request that was completed after a failed write until Tomcat either reports it or loses it.
     *
     * @param reportedByContainer whether the container has called the request's listener's
     *                            {@code onComplete} or {@code onError}
     */
    void watch(AsyncContext async, BooleanSupplier reportedByContainer) {
        schedule(async, reportedByContainer, 1);
    }

    private void schedule(AsyncContext async, BooleanSupplier reportedByContainer, int check) {
        try {
            checks.schedule(() -> check(async, reportedByContainer, check), CHECK_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            // The node is stopping; the connector's own shutdown ends what is left.
        }
    }

    private void check(AsyncContext async, BooleanSupplier reportedByContainer, int check) {
        if (reportedByContainer.getAsBoolean()) {
            return;
        }
        boolean recycled;
        try {
            async.getResponse();
            recycled = false;
        } catch (IllegalStateException requestEnded) {
            recycled = true;
        }
        if (recycled && !reportedByContainer.getAsBoolean()) {
            Context lostIn = context;
            if (lostIn != null) {
                lostIn.decrementInProgressAsyncCount();
                log.debug("Tomcat recycled an asynchronous request without completing it (a client that left mid-dispatch); "
                        + "its in-progress count was given back");
            }
        } else if (!recycled && check < MAX_CHECKS) {
            schedule(async, reportedByContainer, check + 1);
        }
    }
}
