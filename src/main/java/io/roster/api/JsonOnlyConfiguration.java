package io.roster.api;

import io.roster.config.RosterProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/**
 * The API speaks the JSON it documents, and reads it strictly. Spring WebFlux registers no YAML or XML
 * codec (nor Smile or CBOR without their Jackson modules, which are not on the class path), so a body in
 * another format gets 415; and Jackson would otherwise turn {@code "name": 1} into the name "1",
 * {@code "port": "80"} into a port and {@code 80.9} into 80, so a client's mistake would be stored instead
 * of refused. A body is read up to {@code roster.limits.max-request-body}, the limit the size filter keeps.
 */
@Configuration(proxyBeanMethods = false)
class JsonOnlyConfiguration implements WebFluxConfigurer {

    private final int maxRequestBody;

    JsonOnlyConfiguration(RosterProperties properties) {
        this.maxRequestBody = (int) Math.min(Integer.MAX_VALUE, properties.limits().maxRequestBody().toBytes());
    }

    @Override
    public void configureHttpMessageCodecs(ServerCodecConfigurer codecs) {
        codecs.defaultCodecs().maxInMemorySize(maxRequestBody);
    }

    @Bean
    JsonMapperBuilderCustomizer strictJsonInput() {
        return builder -> builder
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .withCoercionConfig(LogicalType.Textual, text -> text
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, number -> number
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, flag -> flag
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail));
    }
}
