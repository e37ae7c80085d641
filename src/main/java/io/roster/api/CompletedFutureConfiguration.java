package io.roster.api;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Puts {@link CompletedFutureReturnValueHandler} in front of Spring MVC's own return value handlers. */
@Configuration(proxyBeanMethods = false)
class CompletedFutureConfiguration {

    @Bean
    static BeanPostProcessor completedFutureReturnValues() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof RequestMappingHandlerAdapter adapter && adapter.getReturnValueHandlers() != null) {
                    List<HandlerMethodReturnValueHandler> handlers = new ArrayList<>(adapter.getReturnValueHandlers());
                    handlers.add(0, new CompletedFutureReturnValueHandler(adapter.getReturnValueHandlers(), futureType()));
                    adapter.setReturnValueHandlers(handlers);
                }
                return bean;
            }
        };
    }

    private static MethodParameter futureType() {
        try {
            return new MethodParameter(CompletedFutureConfiguration.class.getDeclaredMethod("exampleFuture"), -1);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unused") // its return type stands for every controller method returning a future
    private static CompletableFuture<Object> exampleFuture() {
        return null;
    }
}
