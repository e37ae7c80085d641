package io.roster.api;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

import java.util.Set;

/**
 * The API speaks the JSON it documents, and reads it strictly. Libraries on the class path (Swagger's YAML
 * support) would otherwise make Spring MVC also read and write YAML, which nobody documents or tests; and
 * Jackson would otherwise turn {@code "name": 1} into the name "1", {@code "port": "80"} into a port and
 * {@code 80.9} into 80, so a client's mistake would be stored instead of refused.
 */
@Configuration(proxyBeanMethods = false)
class JsonOnlyConfiguration implements WebMvcConfigurer {

    /** Media types the API neither reads nor writes; requests in them get 415. */
    private static final Set<String> REFUSED_SUBTYPES = Set.of("yaml", "x-yaml", "xml", "cbor", "smile", "x-jackson-smile",
            "x-www-form-urlencoded", "form-data");

    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder converters) {
        converters.configureMessageConvertersList(list -> list.removeIf(JsonOnlyConfiguration::speaksAnotherFormat));
    }

    private static boolean speaksAnotherFormat(HttpMessageConverter<?> converter) {
        for (MediaType type : converter.getSupportedMediaTypes()) {
            String subtype = type.getSubtype();
            int suffix = subtype.lastIndexOf('+');
            if (REFUSED_SUBTYPES.contains(subtype) || (suffix >= 0 && REFUSED_SUBTYPES.contains(subtype.substring(suffix + 1)))) {
                return true;
            }
        }
        return false;
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
