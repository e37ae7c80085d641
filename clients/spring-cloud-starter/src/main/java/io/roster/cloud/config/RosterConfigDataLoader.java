package io.roster.cloud.config;

import io.roster.client.ClusterUnavailableException;
import io.roster.client.KeyValue;
import io.roster.client.RangeResult;
import io.roster.client.RosterClient;
import io.roster.cloud.RosterClients;
import io.roster.cloud.RosterUnavailableException;
import org.apache.commons.logging.Log;
import org.springframework.boot.bootstrap.BootstrapRegistry.InstanceSupplier;
import org.springframework.boot.bootstrap.ConfigurableBootstrapContext;
import org.springframework.boot.context.config.ConfigData;
import org.springframework.boot.context.config.ConfigDataLoader;
import org.springframework.boot.context.config.ConfigDataLoaderContext;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.MapPropertySource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads the keys under a {@code roster:} import's prefix as one property source. When no member answers,
 * fail-fast decides: stop the application, or start with an empty property source that the
 * {@link ConfigWatch} fills (through a refresh) once a member answers.
 */
public class RosterConfigDataLoader implements ConfigDataLoader<RosterConfigDataResource> {

    private final Log log;

    public RosterConfigDataLoader(DeferredLogFactory logs) {
        this.log = logs.getLog(RosterConfigDataLoader.class);
    }

    @Override
    public ConfigData load(ConfigDataLoaderContext context, RosterConfigDataResource resource) {
        if (!resource.enabled()) {
            return ConfigData.EMPTY;
        }
        KeyPrefix prefix = resource.prefix();
        RosterConfigImports imports = imports(context.getBootstrapContext());
        Map<String, Object> properties;
        try (RosterClient client = RosterClients.create(resource.connection())) {
            RangeResult keys = client.getPrefix(prefix.value());
            properties = prefix.properties(keyValues(keys.kvs()));
            imports.loaded(prefix, keys.revision());
        } catch (ClusterUnavailableException e) {
            if (resource.connection().failFast()) {
                throw new RosterUnavailableException("loading configuration under " + prefix,
                        resource.connection().endpoints(), e);
            }
            log.warn("Roster unreachable: no member of " + resource.connection().endpoints() + " answered; starting"
                    + " without the properties under " + prefix + ", which load once a member answers"
                    + " (spring.cloud.roster.fail-fast=false)");
            properties = Map.of();
            imports.loaded(prefix, RosterConfigImports.NOT_LOADED);
        }
        return new ConfigData(List.of(new MapPropertySource(resource.toString(), properties)));
    }

    private static Map<String, String> keyValues(List<KeyValue> kvs) {
        Map<String, String> byKey = new LinkedHashMap<>();
        kvs.forEach(kv -> byKey.put(kv.key(), kv.value()));
        return byKey;
    }

    /** One per startup, passed on to the application context as a bean when the bootstrap context closes. */
    private static RosterConfigImports imports(ConfigurableBootstrapContext bootstrap) {
        if (!bootstrap.isRegistered(RosterConfigImports.class)) {
            bootstrap.register(RosterConfigImports.class, InstanceSupplier.of(new RosterConfigImports()));
            bootstrap.addCloseListener(event -> {
                var beans = event.getApplicationContext().getBeanFactory();
                if (!beans.containsSingleton("rosterConfigImports")) {
                    beans.registerSingleton("rosterConfigImports", event.getBootstrapContext().get(RosterConfigImports.class));
                }
            });
        }
        return bootstrap.get(RosterConfigImports.class);
    }
}
