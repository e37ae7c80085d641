package io.roster.api.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.roster.registry.RegistryEvent;

import java.util.Locale;

/** One change, as a Server-Sent Event's data: {@code instance} only on PUT. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegistryEventView(String type, String service, String instanceId, InstanceResponse instance, long revision,
                                String reason) {

    public static RegistryEventView of(RegistryEvent event) {
        return new RegistryEventView(event.type().name(), event.service(), event.instanceId(),
                event.instance() == null ? null : InstanceResponse.of(event.instance(), null), event.revision(),
                event.reason().name().toLowerCase(Locale.ROOT));
    }
}
