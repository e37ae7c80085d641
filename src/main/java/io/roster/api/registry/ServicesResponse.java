package io.roster.api.registry;

import io.roster.registry.ServiceSummary;

import java.util.List;

public record ServicesResponse(List<ServiceSummary> services, long revision) {
}
