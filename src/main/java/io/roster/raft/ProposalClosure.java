package io.roster.raft;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.error.RaftError;
import io.roster.store.command.CommandResult;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Carries one proposal's future through JRaft. The state machine sets the result it computed from the
 * decoded entry (never from the object that was proposed), and the future completes on another
 * executor so that callers' continuations never run on JRaft's apply thread.
 */
final class ProposalClosure implements Closure {

    private final CompletableFuture<CommandResult> future = new CompletableFuture<>();
    private final Executor completions;
    private volatile CommandResult result;

    ProposalClosure(Executor completions) {
        this.completions = completions;
    }

    CompletableFuture<CommandResult> future() {
        return future;
    }

    void setResult(CommandResult result) {
        this.result = result;
    }

    /**
     * JRaft fails a task with EPERM both when it refused it before appending ("Is not leader.", an
     * expected-term mismatch) and when a leader steps down with the entry already in its log ("Leader
     * stepped down"), which a later leader may still commit. Only the first kind may be retried
     * elsewhere; retrying the second could apply the write twice.
     */
    static boolean neverAppended(Status status) {
        String message = String.valueOf(status.getErrorMsg());
        return message.startsWith("Is not leader") || message.startsWith("expected_term=");
    }

    @Override
    public void run(Status status) {
        if (status.isOk()) {
            CommandResult applied = result;
            completions.execute(() -> future.complete(applied));
        } else if (status.getRaftError() == RaftError.EPERM && neverAppended(status)) {
            completions.execute(() -> future.completeExceptionally(new NotLeaderException(status.getErrorMsg())));
        } else if (status.getRaftError() == RaftError.EBUSY) {
            // The leader's apply queue was full: the entry was never appended, so a retry is safe.
            String message = "the leader is overloaded and did not accept the write; retry: " + status.getErrorMsg();
            completions.execute(() -> future.completeExceptionally(new RaftUnavailableException(message, false)));
        } else {
            String message = "the cluster did not commit the write: " + status.getErrorMsg();
            completions.execute(() -> future.completeExceptionally(new RaftUnavailableException(message, true)));
        }
    }
}
