package io.roster.api.error;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the servlet filters that refuse a request before Spring MVC share: their place in the filter chain,
 * and the RFC 9457 problem they answer with (the same shape {@link ApiExceptionHandler} gives).
 */
public final class RefusingFilters {

    /**
     * Right after the observation filter (so refusals are still counted), and before any filter that
     * answers a request itself, such as the heartbeat fast path.
     */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RefusingFilters() {
    }

    /** Writes the problem as the whole answer; {@code extra} members follow the standard ones. */
    public static void writeProblem(HttpServletResponse response, HttpStatus status, String title, String detail,
            Map<String, Object> extra) throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.putAll(extra);
        byte[] body = JSON.writeValueAsBytes(problem);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
