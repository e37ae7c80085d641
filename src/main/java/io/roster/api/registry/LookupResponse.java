package io.roster.api.registry;

import java.util.List;

public record LookupResponse(String service, List<InstanceResponse> instances, long revision) {
}
