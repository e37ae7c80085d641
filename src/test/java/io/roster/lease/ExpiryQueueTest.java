package io.roster.lease;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ExpiryQueueTest {

    private static final long SECOND = 1_000_000_000L;

    private final ExpiryQueue queue = new ExpiryQueue();
    private final Set<Countdown> live = new HashSet<>();
    private final List<Long> revoked = new ArrayList<>();
    private int budget = Integer.MAX_VALUE;

    private final ExpiryQueue.Revoker revoker = new ExpiryQueue.Revoker() {
        @Override
        public boolean mayRevoke() {
            return budget > 0;
        }

        @Override
        public void revoke(Countdown expired) {
            budget--;
            revoked.add(expired.leaseId);
        }
    };

    private Countdown grant(long leaseId, long ttlSeconds, long now) {
        Countdown countdown = new Countdown(leaseId, ttlSeconds * SECOND, now + ttlSeconds * SECOND);
        live.add(countdown);
        queue.add(countdown);
        return countdown;
    }

    private void tick(long now) {
        queue.revokeExpired(now, live::contains, revoker);
    }

    @Test
    void revokesALeaseOnceItsDeadlinePasses() {
        grant(1, 10, 0);
        grant(2, 20, 0);

        tick(10 * SECOND - 1);
        assertThat(revoked).isEmpty();
        tick(10 * SECOND);
        assertThat(revoked).containsExactly(1L);
        tick(30 * SECOND);
        assertThat(revoked).containsExactly(1L, 2L);
        assertThat(queue.size()).isZero();
    }

    @Test
    void aRenewedLeaseIsLookedAtAgainAtItsNewDeadline() {
        Countdown countdown = grant(1, 10, 0);
        assertThat(countdown.renew(8 * SECOND)).isTrue();

        tick(10 * SECOND);
        assertThat(revoked).isEmpty();
        assertThat(queue.size()).isEqualTo(1);
        tick(18 * SECOND - 1);
        assertThat(revoked).isEmpty();
        tick(18 * SECOND);
        assertThat(revoked).containsExactly(1L);
    }

    @Test
    void anExpiredLeaseCannotBeRenewed() {
        Countdown countdown = grant(1, 10, 0);
        assertThat(countdown.renew(10 * SECOND)).isFalse();
        tick(10 * SECOND);
        assertThat(revoked).containsExactly(1L);
        assertThat(countdown.renew(10 * SECOND)).as("claimed for revocation").isFalse();
    }

    @Test
    void theRateLimitLeavesTheRestForLaterTicks() {
        for (long id = 1; id <= 5; id++) {
            grant(id, 10, 0);
        }
        budget = 2;
        tick(11 * SECOND);
        assertThat(revoked).hasSize(2);
        budget = 2;
        tick(11 * SECOND);
        assertThat(revoked).hasSize(4);
        budget = 2;
        tick(11 * SECOND);
        assertThat(revoked).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aLeaseRemovedMeanwhileIsDroppedNotRevoked() {
        Countdown countdown = grant(1, 10, 0);
        live.remove(countdown);
        tick(11 * SECOND);
        assertThat(revoked).isEmpty();
        assertThat(queue.size()).isZero();
    }

    @Test
    void aFailedRevocationIsRetriedAfterItsClaimIsReleased() {
        Countdown countdown = grant(1, 10, 0);
        tick(10 * SECOND);
        assertThat(revoked).containsExactly(1L);

        countdown.releaseClaim(10 * SECOND);
        queue.add(countdown);
        tick(10 * SECOND);
        assertThat(revoked).containsExactly(1L, 1L);
    }

    @Test
    void leasesThatAreNotDueAreNotLookedAt() {
        for (long id = 1; id <= 10_000; id++) {
            grant(id, 30, 0);
        }
        AtomicInteger lookedAt = new AtomicInteger();
        queue.revokeExpired(29 * SECOND, countdown -> {
            lookedAt.incrementAndGet();
            return true;
        }, revoker);
        assertThat(lookedAt).hasValue(0);
    }
}
