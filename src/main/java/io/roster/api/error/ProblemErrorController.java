package io.roster.api.error;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.util.DisconnectedClientHelper;

import java.io.IOException;
import java.util.Map;

/**
 * What the servlet container's error page ({@code /error}) answers: an RFC 9457 problem, whatever the
 * {@code Accept} header says, in place of Spring Boot's JSON or HTML page. Errors reach it when they
 * escape Spring MVC's exception handling, for example from a filter; a request for {@code /error} itself
 * is not an error dispatch and gets a 404 like any path without an endpoint.
 */
@Controller
class ProblemErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

    @RequestMapping("/error")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (!(code instanceof Integer status)) {
            RefusingFilters.writeProblem(response, HttpStatus.NOT_FOUND, "Not Found",
                    "no endpoint has this path; the API is under /v1 (see /v3/api-docs)", Map.of());
            return;
        }
        Throwable failure = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        HttpStatus known = HttpStatus.resolve(status);
        if (status >= 500 && failure != null && !DisconnectedClientHelper.isClientDisconnectedException(failure)) {
            log.error("Unhandled error on {} {}; this is a bug", request.getMethod(), request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI), failure);
        }
        String detail = status >= 500 ? "internal error; please report it with the time of the request and the server log"
                : "the request was refused (" + (known == null ? status : known.getReasonPhrase()) + ")";
        RefusingFilters.writeProblem(response, known == null ? HttpStatus.BAD_REQUEST : known,
                known == null ? "Error" : known.getReasonPhrase(), detail, Map.of());
    }
}
