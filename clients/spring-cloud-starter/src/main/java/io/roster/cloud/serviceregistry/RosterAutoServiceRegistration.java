package io.roster.cloud.serviceregistry;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.cloud.client.serviceregistry.AbstractAutoServiceRegistration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationProperties;
import org.springframework.context.ApplicationContext;

/**
 * Registers the application once its web server listens (on {@link WebServerInitializedEvent}, with the real
 * port) and deregisters it when the context closes.
 */
public class RosterAutoServiceRegistration extends AbstractAutoServiceRegistration<RosterRegistration> {

    private static final String MANAGEMENT = "management";

    private final RosterRegistration registration;

    public RosterAutoServiceRegistration(ApplicationContext context, RosterServiceRegistry registry,
                                         AutoServiceRegistrationProperties properties, RosterRegistration registration) {
        super(context, registry, properties);
        this.registration = registration;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        // The management server's event carries the management port; the base class ignores it, and so must this.
        if (!MANAGEMENT.equals(event.getApplicationContext().getServerNamespace())) {
            registration.initializePort(event.getWebServer().getPort());
        }
        super.onApplicationEvent(event);
    }

    @Override
    protected RosterRegistration getRegistration() {
        return registration;
    }

    /** The management server is not registered as a service of its own. */
    @Override
    protected RosterRegistration getManagementRegistration() {
        return null;
    }

    @Override
    protected Object getConfiguration() {
        return registration;
    }

    @Override
    protected boolean isEnabled() {
        return true;
    }
}
