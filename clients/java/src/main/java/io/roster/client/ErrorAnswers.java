package io.roster.client;

import tools.jackson.databind.JsonNode;

/** Turns a member's error answer into the typed exception a caller can act on. */
final class ErrorAnswers {

    private ErrorAnswers() {
    }

    static RosterServerException toException(Answer answer, boolean tokenSent) {
        JsonNode json = answer.json();
        Problem problem = Wire.problem(answer.status(), json);
        if (problem.detail() == null && problem.title() == null) {
            problem = new Problem(answer.status(), null, fallbackDetail(answer), null, null);
        }
        String endpoint = answer.endpoint();
        switch (answer.status()) {
            case 400, 413:
                return new InvalidRequestException(endpoint, problem);
            case 401:
                return new UnauthorizedException(endpoint, problem, tokenSent);
            case 404:
                if (problem.describe().startsWith("No static resource")) {
                    // Spring's answer for a path no controller serves: the member predates this API
                    String path = problem.describe().substring("No static resource".length()).trim().replaceAll("\\.$", "");
                    return new RosterServerException(endpoint, problem, endpoint + " does not serve " + path
                            + " (a server version without this API?)");
                }
                return new NotFoundException(endpoint, problem, revision(answer, json, "revision"));
            case 409:
                if ("Compare failed".equals(problem.title())) {
                    JsonNode current = json.path("current");
                    return new CompareFailedException(endpoint, problem, current.isObject() ? Wire.keyValue(current) : null,
                            revision(answer, json, "revision"));
                }
                return new RosterServerException(endpoint, problem);
            case 410:
                return new RevisionCompactedException(endpoint, problem, revision(answer, json, "currentRevision"),
                        json.path("compactedRevision").asLong());
            default:
                return new RosterServerException(endpoint, problem);
        }
    }

    /** A member removed from the cluster answers every request 410 "Member removed": another must be asked. */
    static boolean isRemovedMember(Answer answer) {
        return answer.status() == 410 && "Member removed".equals(Wire.text(answer.json(), "title"));
    }

    private static long revision(Answer answer, JsonNode json, String field) {
        JsonNode value = json.path(field);
        return value.isNumber() ? value.asLong() : answer.revision().orElse(0);
    }

    private static String fallbackDetail(Answer answer) {
        String line = answer.text().lines().findFirst().orElse("");
        String firstLine = line.length() > 200 ? line.substring(0, 200) + "…" : line;
        return "HTTP " + answer.status() + (firstLine.isEmpty() ? "" : ": " + firstLine);
    }
}
