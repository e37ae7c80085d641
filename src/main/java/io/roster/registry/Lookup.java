package io.roster.registry;

import java.util.List;

/** The instances of a service that matched a query, at one revision. */
public record Lookup(String service, List<Instance> instances, long revision) {
}
