package io.roster.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.roster.api.registry.HeartbeatEndpoint;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.PathParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Map;

/**
 * The OpenAPI document at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}). Every error is
 * an RFC 9457 problem: the customizer gives every error response that shape and adds the errors any
 * {@code /v1} call can meet (400 invalid input, 401 without the token a member may require, 503 cluster
 * unavailable), so controllers declare only their own.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String PROBLEM = "Problem";
    static final String BEARER = "bearerToken";

    @Bean
    OpenAPI rosterOpenApi(ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        return new OpenAPI()
                .info(new Info().title("Roster")
                        .version(properties == null ? "development" : properties.getVersion())
                        .description("""
                                A Raft-replicated service registry and configuration key-value store. Any member \
                                answers any request; reads are linearizable unless `consistency=serializable` is \
                                given. Every answer carries the store revision it reflects in `X-Roster-Revision`. \
                                Errors are RFC 9457 problem documents (`application/problem+json`).""")
                        .license(new License().name("Apache-2.0").identifier("Apache-2.0")))
                .addTagsItem(new Tag().name("Service registry").description("Register, heartbeat, look up and watch service instances"))
                .addTagsItem(new Tag().name("Key-value").description("Configuration keys with revisions and compare-and-swap"))
                .addTagsItem(new Tag().name("Leases").description("TTLs that keys are bound to; keep-alives are not log writes"))
                .addTagsItem(new Tag().name("Cluster").description("Members, membership changes, and each member's status"))
                // Optional ({}) or a bearer token: which one a member wants depends on its roster.auth.tokens.
                .addSecurityItem(new SecurityRequirement())
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    @Bean
    OpenApiCustomizer problemResponses() {
        return openApi -> {
            // Added here rather than on the bean: springdoc prunes schemas that nothing referenced yet.
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            openApi.getComponents().addSchemas(PROBLEM, problemSchema());
            openApi.getComponents().addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                    .description("Needed only when the member sets roster.auth.tokens: `Authorization: Bearer <token>`."));
            openApi.getPaths().addPathItem(HeartbeatEndpoint.URI_PATTERN, heartbeat());
            openApi.getPaths().forEach((path, item) -> {
                if (path.startsWith("/v1/")) {
                    item.readOperations().forEach(OpenApiConfiguration::describeErrors);
                }
            });
        };
    }

    private static void describeErrors(Operation operation) {
        ApiResponses responses = operation.getResponses();
        responses.putIfAbsent("400", new ApiResponse().description("Invalid input; `field` names it and `limit` the limit"));
        responses.putIfAbsent("401", new ApiResponse().description(
                "No credentials, or not ones the member accepts (only on members that set roster.auth.tokens or enable users)"));
        responses.putIfAbsent("403", new ApiResponse().description(
                "The caller's roles do not grant what the request needs; `missing` names the permission (users and roles on)"));
        responses.putIfAbsent("503", new ApiResponse().description(
                "No leader or no quorum within the request timeout; `mayHaveApplied` tells whether a write may have been applied. Retry after `Retry-After`."));
        responses.forEach((code, response) -> {
            if (code.startsWith("4") || code.startsWith("5")) {
                response.setContent(new Content().addMediaType("application/problem+json",
                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
            }
        });
    }

    /** The heartbeat is served ahead of the dispatcher ({@link HeartbeatEndpoint}), so springdoc cannot see it. */
    private static PathItem heartbeat() {
        Operation put = new Operation()
                .addTagsItem("Service registry")
                .summary("Heartbeat: renew the instance's lease")
                .description("Served by any member and never a log write. 404 once the instance expired or was removed: register it again.")
                .operationId("heartbeat")
                .addParametersItem(new PathParameter().name("service").schema(new StringSchema()))
                .addParametersItem(new PathParameter().name("instanceId").schema(new StringSchema()))
                .responses(new ApiResponses()
                        .addApiResponse("200", new ApiResponse().description("Renewed").content(new Content().addMediaType(
                                "application/json", new MediaType().example(Map.of("ttlSeconds", 30, "remainingSeconds", 30)))))
                        .addApiResponse("404", new ApiResponse().description("Not registered (expired or deregistered)")));
        return new PathItem().put(put);
    }

    @SuppressWarnings("rawtypes")
    private static Schema problemSchema() {
        Map<String, Schema> properties = new java.util.LinkedHashMap<>();
        properties.put("type", new Schema<>().type("string").example("about:blank"));
        properties.put("title", new Schema<>().type("string").example("Invalid request"));
        properties.put("status", new Schema<>().type("integer").example(400));
        properties.put("detail", new Schema<>().type("string").example("port must be between 1 and 65535, not 0"));
        properties.put("instance", new Schema<>().type("string").example("/v1/services/web/instances/web-1"));
        properties.put("field", new Schema<>().type("string").description("the input at fault").example("port"));
        properties.put("limit", new Schema<>().type("string").description("the limit that was exceeded").example("1..65535"));
        properties.put("revision", new Schema<>().type("integer").description("store revision (404, 409)"));
        properties.put("current", new ObjectSchema().description("the key's current entry, on a failed compare-and-swap (409)"));
        properties.put("currentRevision", new Schema<>().type("integer").description("revision to list again at (410)"));
        properties.put("mayHaveApplied", new Schema<>().type("boolean").description("whether a failed write may still have been applied (503)"));
        return new ObjectSchema().description("An RFC 9457 problem document").properties(properties);
    }
}
