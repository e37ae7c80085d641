package io.roster.api.console;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.config.ResourceHandlerRegistry;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import java.net.URI;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

/**
 * The web console: static files under {@code classpath:/static/ui/}, served at {@code /ui/} by every
 * member, with {@code /} and {@code /ui} redirecting there. The page is one more client of the public
 * API (docs/console.md); nothing here reads or serves data.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration implements WebFluxConfigurer {

    // no-cache, not no-store: the browser revalidates (Last-Modified), so a member upgraded to a new
    // console never serves a page whose modules come from two versions.
    private static final CacheControl REVALIDATE = CacheControl.noCache();

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/ui/**").addResourceLocations("classpath:/static/ui/").setCacheControl(REVALIDATE);
    }

    @Bean
    RouterFunction<ServerResponse> consoleRoutes() {
        Resource index = new ClassPathResource("static/ui/index.html");
        return RouterFunctions
                .route(GET("/").or(GET("/ui")), request -> ServerResponse.status(HttpStatus.FOUND).location(URI.create("/ui/")).build())
                .andRoute(GET("/ui/"), request -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).cacheControl(REVALIDATE)
                        .bodyValue(index));
    }
}
