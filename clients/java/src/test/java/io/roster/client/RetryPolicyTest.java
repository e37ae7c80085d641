package io.roster.client;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;

import static io.roster.client.RetryPolicy.Decision.NEXT_ENDPOINT;
import static io.roster.client.RetryPolicy.Decision.STOP_MAY_HAVE_APPLIED;
import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {

    private static final Request READ = Request.get("/v1/kv/a");
    private static final Request LEASE_GRANT = Request.post("/v1/leases", null);
    private static final Request COMPARE_AND_SWAP = Request.put("/v1/kv/a", null).notIdempotent();

    @Test
    void aRequestThatNeverReachedAMemberAlwaysGoesToTheNext() {
        assertThat(RetryPolicy.afterIoFailure(LEASE_GRANT, new ConnectException("Connection refused"))).isEqualTo(NEXT_ENDPOINT);
        assertThat(RetryPolicy.afterIoFailure(COMPARE_AND_SWAP, new HttpConnectTimeoutException("connect"))).isEqualTo(NEXT_ENDPOINT);
        assertThat(RetryPolicy.afterIoFailure(LEASE_GRANT, new IOException(new java.nio.channels.UnresolvedAddressException())))
                .isEqualTo(NEXT_ENDPOINT);
    }

    @Test
    void aWriteThatMayHaveReachedAMemberIsNotSentAgain() {
        assertThat(RetryPolicy.afterIoFailure(LEASE_GRANT, new HttpTimeoutException("request timed out")))
                .isEqualTo(STOP_MAY_HAVE_APPLIED);
        assertThat(RetryPolicy.afterIoFailure(COMPARE_AND_SWAP, new IOException("connection reset")))
                .isEqualTo(STOP_MAY_HAVE_APPLIED);
    }

    @Test
    void anIdempotentRequestGoesToTheNextWhateverHappened() {
        assertThat(RetryPolicy.afterIoFailure(READ, new HttpTimeoutException("request timed out"))).isEqualTo(NEXT_ENDPOINT);
        assertThat(RetryPolicy.afterUnavailable(Request.put("/v1/kv/a", null), true)).isEqualTo(NEXT_ENDPOINT);
    }

    @Test
    void a503DecidesByItsMayHaveApplied() {
        assertThat(RetryPolicy.afterUnavailable(LEASE_GRANT, false)).isEqualTo(NEXT_ENDPOINT);
        assertThat(RetryPolicy.afterUnavailable(LEASE_GRANT, true)).isEqualTo(STOP_MAY_HAVE_APPLIED);
    }
}
