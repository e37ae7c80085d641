package io.roster.cloud;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports {@link RosterUnavailableException} as one line that says what to do, instead of a stack trace. */
class RosterUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<RosterUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, RosterUnavailableException cause) {
        return new FailureAnalysis(cause.getMessage(), "Start a Roster member at one of spring.cloud.roster.endpoints,"
                + " correct them, or set spring.cloud.roster.fail-fast=false to start without Roster and register"
                + " once a member answers.", cause);
    }
}
