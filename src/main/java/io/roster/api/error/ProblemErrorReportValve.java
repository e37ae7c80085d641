package io.roster.api.error;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tomcat's answer to a request it refuses before the application sees it (a malformed request line,
 * header or path, an encoded slash): an RFC 9457 problem like every other error, instead of Tomcat's HTML
 * page. The detail never repeats what the client sent, which may be a header holding a secret.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        String detail = detail(status);
        if (status == 501 || status == 505) {
            // Tomcat's answers to a transfer coding or an HTTP version it does not speak. Both are the
            // client's doing, and a 5xx would say the member is at fault.
            status = 400;
            response.setStatus(status);
        }
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String body = "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}";
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException clientGoneOrCommitted) {
            // Nothing more can be said on this connection.
        }
    }

    private static String detail(int status) {
        return switch (status) {
            case 400 -> "the request could not be parsed: its request line, a header or its path is malformed (for example"
                    + " a character that must be percent-encoded, an encoded slash, or a path above the root)";
            case 404 -> "no endpoint has this path; the API is under /v1 (see /v3/api-docs)";
            case 408 -> "the request was not received in time";
            case 413 -> "the request is too large";
            case 414 -> "the request's path or query is too long";
            case 431 -> "the request's headers are too large";
            case 501 -> "the request's Transfer-Encoding is not one this member reads; send 'chunked' or a Content-Length";
            case 505 -> "the request's HTTP version is not served here; use HTTP/1.1";
            default -> "the request was refused before it reached Roster";
        };
    }
}
