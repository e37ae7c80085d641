package io.roster.cloud;

import java.net.URI;
import java.util.List;

/** No Roster member answered while spring.cloud.roster.fail-fast is on: the application stops. */
public class RosterUnavailableException extends RuntimeException {

    public RosterUnavailableException(String doing, List<URI> endpoints, Throwable cause) {
        super("Roster unreachable: no member of " + endpoints + " answered while " + doing
                + ", and spring.cloud.roster.fail-fast=true stops the application", cause);
    }
}
