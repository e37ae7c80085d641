package io.roster.client;

import java.util.List;

/** Every service, by name, and the revision the answer reflects. */
public record ServiceList(List<ServiceSummary> services, long revision) {

    public ServiceList {
        services = List.copyOf(services);
    }
}
