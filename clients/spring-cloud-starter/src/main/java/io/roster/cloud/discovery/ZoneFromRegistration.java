package io.roster.cloud.discovery;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.cloud.loadbalancer.config.LoadBalancerZoneConfig;

/**
 * Gives LoadBalancer's zone preference this instance's zone ({@code spring.cloud.roster.discovery.zone}) when
 * {@code spring.cloud.loadbalancer.zone} is not set, so one setting places the instance and its calls.
 */
class ZoneFromRegistration implements BeanPostProcessor {

    private final String zone;

    ZoneFromRegistration(String zone) {
        this.zone = zone;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof LoadBalancerZoneConfig config && config.getZone() == null) {
            config.setZone(zone);
        }
        return bean;
    }
}
