package io.roster.api.console;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The web console: static files under {@code classpath:/static/ui/}, served at {@code /ui/} by every
 * member, with {@code /} and {@code /ui} redirecting there. The page is one more client of the public
 * API (docs/console.md); nothing here reads or serves data.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/", "/ui/");
        registry.addRedirectViewController("/ui", "/ui/");
        registry.addViewController("/ui/").setViewName("forward:/ui/index.html");
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        // no-cache, not no-store: the browser revalidates (Last-Modified), so a member upgraded to a new
        // console never serves a page whose modules come from two versions.
        registry.addResourceHandler("/ui/**").addResourceLocations("classpath:/static/ui/")
                .setCacheControl(CacheControl.noCache());
    }
}
