package io.roster.api;

import io.roster.testing.RealNodeTest;
import io.roster.testing.RosterHttp;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The published OpenAPI document is valid and describes every endpoint with examples and errors. */
class OpenApiDocumentTest extends RealNodeTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    OpenAPI document;

    @BeforeEach
    void fetch() {
        String json = http.get("/v3/api-docs").body();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIParser().readContents(json, null, options);
        assertThat(parsed.getMessages()).as("OpenAPI validation messages").isEmpty();
        document = parsed.getOpenAPI();
    }

    @Test
    void theDocumentIsValidOpenApi3() {
        assertThat(document.getOpenapi()).startsWith("3.");
        assertThat(document.getInfo().getTitle()).isEqualTo("Roster");
        assertThat(document.getComponents().getSchemas()).containsKey("Problem");
    }

    @Test
    void everyApiEndpointIsDocumentedWithASummaryAnExampleAndItsErrors() {
        List<String> checked = new ArrayList<>();
        mappings.getHandlerMethods().forEach((info, handler) -> {
            for (String pattern : info.getPatternsCondition().getPatterns().stream().map(org.springframework.web.util.pattern.PathPattern::getPatternString).toList()) {
                if (!pattern.startsWith("/v1/")) {
                    continue;
                }
                String path = pattern.replace("{*key}", "{key}");
                PathItem item = document.getPaths().get(path);
                assertThat(item).as("path %s in the document", path).isNotNull();
                for (RequestMethod method : info.getMethodsCondition().getMethods()) {
                    Operation operation = item.readOperationsMap().get(PathItem.HttpMethod.valueOf(method.name()));
                    String name = method + " " + path;
                    assertThat(operation).as(name).isNotNull();
                    assertThat(operation.getSummary()).as("summary of %s", name).isNotBlank();
                    assertThat(operation.getTags()).as("tag of %s", name).isNotEmpty();
                    assertThat(operation.getResponses()).as("responses of %s", name)
                            .anySatisfy((code, response) -> assertThat(code).startsWith("2"))
                            .anySatisfy((code, response) -> {
                                assertThat(code).startsWith("4");
                                assertThat(response.getContent()).containsKey("application/problem+json");
                            })
                            .containsKey("503");
                    if (operation.getRequestBody() != null) {
                        assertThat(hasExample(operation.getRequestBody().getContent()))
                                .as("request example of %s", name).isTrue();
                    }
                    boolean answerExample = operation.getResponses().entrySet().stream()
                            .filter(entry -> entry.getKey().startsWith("2") && !entry.getKey().equals("204"))
                            .map(Map.Entry::getValue).map(ApiResponse::getContent)
                            .anyMatch(OpenApiDocumentTest::hasExample);
                    assertThat(answerExample || operation.getResponses().containsKey("204"))
                            .as("answer example of %s", name).isTrue();
                    checked.add(name);
                }
            }
        });
        assertThat(checked).as("documented operations").hasSizeGreaterThanOrEqualTo(16);

        // The heartbeat is answered ahead of the dispatcher, so it is described by hand: as fully as the rest.
        Operation heartbeat = document.getPaths().get("/v1/services/{service}/instances/{instanceId}/heartbeat").getPut();
        assertThat(heartbeat.getSummary()).isNotBlank();
        assertThat(heartbeat.getTags()).containsExactly("Service registry");
        assertThat(heartbeat.getParameters()).extracting(parameter -> parameter.getName()).containsExactly("service", "instanceId");
        assertThat(hasExample(heartbeat.getResponses().get("200").getContent())).isTrue();
        assertThat(heartbeat.getResponses().get("404").getContent()).containsKey("application/problem+json");
        assertThat(heartbeat.getResponses()).containsKeys("401", "403", "503");
    }

    @Test
    void swaggerUiIsServed() throws Exception {
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(http.uri("/swagger-ui.html")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("swagger-ui");
    }

    private static boolean hasExample(io.swagger.v3.oas.models.media.Content content) {
        if (content == null) {
            return false;
        }
        for (MediaType media : content.values()) {
            if (media.getExample() != null || (media.getExamples() != null && !media.getExamples().isEmpty())) {
                return true;
            }
        }
        return false;
    }
}
