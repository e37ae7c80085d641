package io.roster.api;

import io.roster.config.RosterProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

import java.util.ArrayList;
import java.util.List;

/** Puts {@link FutureReturnValueHandler} in front of Spring MVC's own return value handlers. */
@Configuration(proxyBeanMethods = false)
class FutureReturnValueConfiguration {

    /** Past the longest legitimate wait; see {@link #timeoutMillis}. */
    private static final long TIMEOUT_MARGIN_MILLIS = 30_000;

    @Bean
    static BeanPostProcessor futureReturnValues(ObjectProvider<RosterProperties> properties,
                                                @Qualifier("handlerExceptionResolver") ObjectProvider<HandlerExceptionResolver> exceptionHandlers) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof RequestMappingHandlerAdapter adapter && adapter.getReturnValueHandlers() != null) {
                    List<HandlerMethodReturnValueHandler> handlers = new ArrayList<>(adapter.getReturnValueHandlers());
                    handlers.add(0, new FutureReturnValueHandler(adapter.getReturnValueHandlers(),
                            SingletonSupplier.of(exceptionHandlers::getObject),
                            timeoutMillis(properties.getObject())));
                    adapter.setReturnValueHandlers(handlers);
                }
                return bean;
            }
        };
    }

    /**
     * The longest legitimate wait is a blocking query's {@code wait} plus a linearizable read after it, so the
     * timeout follows from those two settings rather than being a third number to keep in step.
     */
    private static long timeoutMillis(RosterProperties properties) {
        return properties.registry().maxWait().toMillis() + properties.raft().requestTimeout().toMillis() + TIMEOUT_MARGIN_MILLIS;
    }
}
