package io.roster.cloud.discovery;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.cache.Cache;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.cloud.loadbalancer.cache.LoadBalancerCacheManager;
import org.springframework.cloud.loadbalancer.core.CachingServiceInstanceListSupplier;
import org.springframework.context.ApplicationListener;

/**
 * Empties LoadBalancer's instance cache when the registry changes. LoadBalancer keeps each service's
 * instances for {@code spring.cloud.loadbalancer.cache.ttl} (35 s) and does not listen to {@link HeartbeatEvent}
 * itself; without this, a stopped instance would keep receiving calls until that cache expired.
 */
class LoadBalancerCacheEviction implements ApplicationListener<HeartbeatEvent> {

    private final ListableBeanFactory beans;

    LoadBalancerCacheEviction(ListableBeanFactory beans) {
        this.beans = beans;
    }

    @Override
    public void onApplicationEvent(HeartbeatEvent event) {
        // Looked up by type each time: LoadBalancer declares its cache manager autowireCandidate=false.
        for (LoadBalancerCacheManager manager : beans.getBeansOfType(LoadBalancerCacheManager.class).values()) {
            Cache instances = manager.getCache(CachingServiceInstanceListSupplier.SERVICE_INSTANCE_CACHE_NAME);
            if (instances != null) {
                instances.clear();
            }
        }
    }
}
