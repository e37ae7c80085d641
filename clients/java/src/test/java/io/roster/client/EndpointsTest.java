package io.roster.client;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EndpointsTest {

    @Test
    void aBareHostAndPortIsHttpAndTrailingSlashesGo() {
        assertThat(Endpoints.normalize(" 10.0.0.1:2379/ ")).isEqualTo("http://10.0.0.1:2379");
        assertThat(Endpoints.normalize("https://roster.example:2379")).isEqualTo("https://roster.example:2379");
    }

    @Test
    void refusesWhatIsNotAnHttpUrlOfAMember() {
        assertThatThrownBy(() -> Endpoints.normalize("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> Endpoints.normalize("ftp://host:21")).hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> Endpoints.normalize("http://host:2379/v1")).hasMessageContaining("must not have a path");
        assertThatThrownBy(() -> Endpoints.normalize("http://:2379")).hasMessageContaining("no host");
    }

    @Test
    void noEndpointsIsAnErrorThatSaysWhatToGive() {
        assertThatThrownBy(() -> new Endpoints(List.of())).hasMessageContaining("http://10.0.0.1:2379");
    }

    @Test
    void duplicatesCollapseAndTheOrderIsKept() {
        Endpoints endpoints = new Endpoints(List.of("a:1", "http://a:1", "b:2"));

        assertThat(endpoints.all()).containsExactly("http://a:1", "http://b:2");
    }

    @Test
    void theEndpointThatAnsweredLastIsTriedFirstThenTheOthersInTurn() {
        Endpoints endpoints = new Endpoints(List.of("a:1", "b:2", "c:3"));

        endpoints.answered("http://b:2");

        assertThat(endpoints.inTurn()).containsExactly("http://b:2", "http://c:3", "http://a:1");
    }
}
