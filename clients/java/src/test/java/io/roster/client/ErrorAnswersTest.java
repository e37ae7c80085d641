package io.roster.client;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorAnswersTest {

    private static Answer problem(int status, String json) {
        return new Answer("http://a:1", status, json.getBytes(StandardCharsets.UTF_8), "application/problem+json",
                OptionalLong.of(9));
    }

    @Test
    void aFailedCompareCarriesTheCurrentEntry() {
        RosterServerException error = ErrorAnswers.toException(problem(409, """
                {"title":"Compare failed","status":409,"detail":"mod revision is 5, not 3","revision":9,
                 "current":{"key":"k","value":"v","createRevision":2,"modRevision":5,"version":2}}"""), false);

        assertThat(error).isInstanceOfSatisfying(CompareFailedException.class, failed -> {
            assertThat(failed.current()).contains(new KeyValue("k", "v", 2, 5, 2, null));
            assertThat(failed.revision()).isEqualTo(9);
        });
    }

    @Test
    void anInvalidRequestNamesTheField() {
        RosterServerException error = ErrorAnswers.toException(problem(413, """
                {"title":"Too large","status":413,"detail":"value is too large","field":"value","limit":"1572864"}"""), false);

        assertThat(error).isInstanceOfSatisfying(InvalidRequestException.class, invalid -> {
            assertThat(invalid.field()).contains("value");
            assertThat(invalid.limit()).contains("1572864");
        });
    }

    @Test
    void a410CarriesTheRevisionToListAgainAt() {
        RosterServerException error = ErrorAnswers.toException(problem(410, """
                {"title":"Revision compacted","status":410,"detail":"gone","currentRevision":120,"compactedRevision":20}"""), false);

        assertThat(error).isInstanceOfSatisfying(RevisionCompactedException.class, gone -> {
            assertThat(gone.currentRevision()).isEqualTo(120);
            assertThat(gone.compactedRevision()).isEqualTo(20);
        });
    }

    @Test
    void a401SaysWhetherToGiveATokenOrToFixTheOneGiven() {
        Answer refused = problem(401, "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"the bearer token is not one this member accepts\"}");

        assertThat(ErrorAnswers.toException(refused, true)).isInstanceOf(UnauthorizedException.class)
                .hasMessageContaining("the token given to RosterClient.builder().token");
        assertThat(ErrorAnswers.toException(refused, false)).hasMessageContaining("give one with RosterClient.builder().token");
    }

    @Test
    void anAnswerWithoutAProblemStillSaysWhatCameBack() {
        Answer html = new Answer("http://a:1", 502, "<html>Bad gateway</html>".getBytes(StandardCharsets.UTF_8), "text/html",
                OptionalLong.empty());

        assertThat(ErrorAnswers.toException(html, false)).hasMessage("HTTP 502: <html>Bad gateway</html>");
    }

    @Test
    void onlyAMemberRemovedFromTheClusterIsAskedToStepAside() {
        assertThat(ErrorAnswers.isRemovedMember(problem(410, "{\"title\":\"Member removed\",\"status\":410}"))).isTrue();
        assertThat(ErrorAnswers.isRemovedMember(problem(410, "{\"title\":\"Revision compacted\",\"status\":410}"))).isFalse();
    }
}
