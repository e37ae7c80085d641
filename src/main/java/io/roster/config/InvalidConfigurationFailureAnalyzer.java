package io.roster.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a refused setting into the one-line reason Spring Boot prints when the node cannot start. */
class InvalidConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidConfigurationException cause) {
        return new FailureAnalysis("Roster cannot start: " + cause.getMessage(),
                "Fix the setting named above (see application.yml for every setting) and start again.", cause);
    }
}
