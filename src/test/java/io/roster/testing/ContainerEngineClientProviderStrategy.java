package io.roster.testing;

import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.dockerclient.InvalidConfigurationException;
import org.testcontainers.dockerclient.TransportConfig;

import java.net.URI;

/**
 * Testcontainers' last resort (registered in META-INF/services): the engine that {@link ContainerEngine}
 * found or set up, e.g. Podman's socket, which Testcontainers would not look for by itself. Testcontainers
 * reads DOCKER_HOST from the environment only, which a running JVM cannot change; a Docker engine it
 * finds on its own (DOCKER_HOST, /var/run/docker.sock) comes first.
 */
public final class ContainerEngineClientProviderStrategy extends DockerClientProviderStrategy {

    @Override
    public String getDescription() {
        return "the engine of scripts/container-engine.sh (" + ContainerEngine.located().orElse("none") + ")";
    }

    @Override
    protected boolean isApplicable() {
        return ContainerEngine.located().isPresent();
    }

    @Override
    protected int getPriority() {
        return 1;
    }

    /** Never remembered in ~/.testcontainers.properties: the next run asks the script again. */
    @Override
    protected boolean isPersistable() {
        return false;
    }

    /**
     * Where published ports are reached, as the script says for the Podman it serves (this machine).
     * Testcontainers would otherwise take the default bridge's gateway when it sees /.dockerenv (as on the
     * CI machine), which Podman does not forward to containers on other networks.
     */
    @Override
    public synchronized String getDockerHostIpAddress() {
        return ContainerEngine.hostOverride().orElseGet(super::getDockerHostIpAddress);
    }

    @Override
    public TransportConfig getTransportConfig() throws InvalidConfigurationException {
        String host = ContainerEngine.located()
                .orElseThrow(() -> new InvalidConfigurationException("scripts/container-engine.sh found no engine"));
        return TransportConfig.builder().dockerHost(URI.create(host)).build();
    }
}
