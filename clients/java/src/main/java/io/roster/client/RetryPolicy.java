package io.roster.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;

/**
 * Whether a failed attempt may go to the next endpoint. The rule: never apply a write twice. A request
 * that never reached a member (no connection) may always go elsewhere; one that may have reached a member
 * goes elsewhere only when applying it twice does no harm.
 */
final class RetryPolicy {

    enum Decision {
        /** Send it to the next endpoint. */
        NEXT_ENDPOINT,
        /** Stop: it was sent, and a second copy could apply it twice. */
        STOP_MAY_HAVE_APPLIED
    }

    private RetryPolicy() {
    }

    /** After an I/O failure: a broken connection or a timeout after sending leaves the outcome unknown. */
    static Decision afterIoFailure(Request request, IOException failure) {
        return request.idempotent() || neverSent(failure) ? Decision.NEXT_ENDPOINT : Decision.STOP_MAY_HAVE_APPLIED;
    }

    /** After a 503: the member says whether the write might have been applied despite the error. */
    static Decision afterUnavailable(Request request, boolean mayHaveApplied) {
        return request.idempotent() || !mayHaveApplied ? Decision.NEXT_ENDPOINT : Decision.STOP_MAY_HAVE_APPLIED;
    }

    /** Whether the failure happened before the request could reach the server. */
    static boolean neverSent(IOException failure) {
        return failure instanceof HttpConnectTimeoutException || failure instanceof ConnectException
                || Failures.hasCause(failure, UnresolvedAddressException.class)
                || Failures.hasCause(failure, UnknownHostException.class);
    }
}
