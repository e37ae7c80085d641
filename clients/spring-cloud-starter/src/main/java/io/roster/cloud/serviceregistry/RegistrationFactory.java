package io.roster.cloud.serviceregistry;

import io.roster.cloud.discovery.RosterDiscoveryProperties;
import org.springframework.cloud.commons.util.InetUtils;
import org.springframework.core.env.Environment;

/** This application's {@link RosterRegistration}, from the discovery settings and the machine's address. */
final class RegistrationFactory {

    private RegistrationFactory() {
    }

    static RosterRegistration create(RosterDiscoveryProperties discovery, InetUtils network, Environment environment) {
        String service = discovery.serviceName() != null && !discovery.serviceName().isBlank() ? discovery.serviceName()
                : environment.getProperty("spring.application.name", "application");
        boolean secure = environment.getProperty("server.ssl.enabled", Boolean.class, false);
        return new RosterRegistration(service, discovery.instanceId(), host(discovery, network), 0, secure,
                discovery.zone(), discovery.metadata(), discovery.ttl());
    }

    private static String host(RosterDiscoveryProperties discovery, InetUtils network) {
        if (discovery.host() != null && !discovery.host().isBlank()) {
            return discovery.host();
        }
        InetUtils.HostInfo found = network.findFirstNonLoopbackHostInfo();
        return discovery.preferIpAddress() ? found.getIpAddress() : found.getHostname();
    }
}
