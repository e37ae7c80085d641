package io.roster.client;

import java.util.List;

/**
 * Every instance of the watched service(s) as of {@code revision}; a registry watch that had to list again
 * hands it over, then delivers exactly the changes after it.
 */
public record InstanceSnapshot(List<Instance> instances, long revision) {

    public InstanceSnapshot {
        instances = List.copyOf(instances);
    }
}
