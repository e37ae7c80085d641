package io.roster.api.registry;

import java.util.Map;

public record ServiceLeasesResponse(String service, Map<String, Long> remainingMillis, long revision) {
}
