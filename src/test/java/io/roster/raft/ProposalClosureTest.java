package io.roster.raft;

import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.error.RaftError;
import io.roster.store.command.CommandResult;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProposalClosureTest {

    @Test
    void aProposalRefusedBeforeAppendingMayBeRetriedOnTheNewLeader() {
        ProposalClosure closure = new ProposalClosure(Runnable::run);
        closure.run(new Status(RaftError.EPERM, "Is not leader."));

        assertThatThrownBy(() -> closure.future().join()).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(NotLeaderException.class);
    }

    @Test
    void aProposalDroppedWhenTheLeaderSteppedDownMayStillCommitSoItIsNotRetried() {
        ProposalClosure closure = new ProposalClosure(Runnable::run);
        closure.run(new Status(RaftError.EPERM, "Leader stepped down"));

        assertThatThrownBy(() -> closure.future().join()).cause()
                .isInstanceOfSatisfying(RaftUnavailableException.class, e -> assertThat(e.mayHaveApplied()).isTrue());
    }

    @Test
    void anOverloadedLeaderSaysTheWriteWasNotApplied() {
        ProposalClosure closure = new ProposalClosure(Runnable::run);
        closure.run(new Status(RaftError.EBUSY, "queue full"));

        assertThatThrownBy(() -> closure.future().join()).cause()
                .isInstanceOfSatisfying(RaftUnavailableException.class, e -> assertThat(e.mayHaveApplied()).isFalse());
    }

    @Test
    void aCommittedProposalCompletesWithTheResultTheStateMachineComputed() {
        ProposalClosure closure = new ProposalClosure(Runnable::run);
        CommandResult.Done result = new CommandResult.Done(7);
        closure.setResult(result);
        closure.run(Status.OK());

        assertThat(closure.future().join()).isSameAs(result);
    }
}
