package io.roster.cloud.config;

import io.roster.cloud.RosterUnavailableException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** spring.config.import=roster: when no member answers (nothing listens on port 9). */
class ConfigImportWithoutRosterTest {

    private static final String NOWHERE = "--spring.cloud.roster.endpoints=http://127.0.0.1:9";

    @Test
    void withoutFailFastTheApplicationStartsAndWatchesThePrefixToLoadItLater() {
        try (ConfigurableApplicationContext context = run("--spring.config.import=roster:")) {
            assertThat(context.getBean(RosterConfigImports.class).prefixes())
                    .containsEntry(new KeyPrefix("config/shop/"), RosterConfigImports.NOT_LOADED);
            assertThat(context.getBean(ConfigWatch.class).isWatching()).isTrue();
        }
    }

    @Test
    void withFailFastTheApplicationStopsSayingWhy() {
        assertThatThrownBy(() -> run("--spring.config.import=roster:config/shared/", "--spring.cloud.roster.fail-fast=true"))
                .hasCauseInstanceOf(io.roster.client.NoEndpointAvailableException.class)
                .satisfies(failure -> assertThat(failure).isInstanceOf(RosterUnavailableException.class)
                        .hasMessage("Roster unreachable: no member of [http://127.0.0.1:9] answered while loading"
                                + " configuration under config/shared/, and spring.cloud.roster.fail-fast=true stops the"
                                + " application"));
    }

    @Test
    void disabledTheImportLoadsNothingAndStartsNoWatch() {
        try (ConfigurableApplicationContext context = run("--spring.config.import=roster:",
                "--spring.cloud.roster.config.enabled=false", "--spring.cloud.roster.fail-fast=true")) {
            assertThat(context.getBeansOfType(RosterConfigImports.class)).isEmpty();
            assertThat(context.getBeansOfType(ConfigWatch.class)).isEmpty();
        }
    }

    private static ConfigurableApplicationContext run(String... args) {
        String[] all = new String[args.length + 3];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = NOWHERE;
        all[args.length + 1] = "--spring.application.name=shop";
        all[args.length + 2] = "--spring.cloud.discovery.enabled=false";
        return new SpringApplicationBuilder(Empty.class).web(WebApplicationType.NONE).run(all);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Empty {
    }
}
