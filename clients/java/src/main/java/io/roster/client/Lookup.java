package io.roster.client;

import java.util.List;

/** A service's matching instances, and the revision the answer reflects (pass it to a blocking lookup). */
public record Lookup(String service, List<Instance> instances, long revision) {

    public Lookup {
        instances = List.copyOf(instances);
    }
}
