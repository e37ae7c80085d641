package io.roster.examples.hello;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.context.config.annotation.RefreshScope;
import org.springframework.stereotype.Component;

/** The property {@code greeting}, rebuilt with the new value each time it changes in Roster. */
@Component
@RefreshScope
class Greeting {

    private final String text;

    Greeting(@Value("${greeting}") String text) {
        this.text = text;
    }

    String text() {
        return text;
    }
}
