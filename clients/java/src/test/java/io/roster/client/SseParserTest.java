package io.roster.client;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SseParserTest {

    private final List<SseParser.Event> events = new ArrayList<>();
    private final List<String> comments = new ArrayList<>();
    private final SseParser parser = new SseParser(new SseParser.Handler() {
        @Override
        public void onEvent(SseParser.Event event) {
            events.add(event);
        }

        @Override
        public void onComment(String comment) {
            comments.add(comment);
        }
    });

    private void feed(String... lines) {
        for (String line : lines) {
            parser.line(line);
        }
    }

    @Test
    void aBlankLineCompletesAnEventWithItsIdAndData() {
        feed("id:12", "data:{\"revision\":12}", "", "id: 13", "data: {\"revision\":13}", "");

        assertThat(events).containsExactly(new SseParser.Event("12", null, "{\"revision\":12}"),
                new SseParser.Event("13", null, "{\"revision\":13}"));
    }

    @Test
    void dataOnSeveralLinesIsJoinedWithNewlines() {
        feed("data:a", "data:b", "");

        assertThat(events).extracting(SseParser.Event::data).containsExactly("a\nb");
    }

    @Test
    void commentsAreReportedAndAreNotEvents() {
        feed(":watching changes after revision 7", ":keep-alive", "");

        assertThat(comments).containsExactly("watching changes after revision 7", "keep-alive");
        assertThat(events).isEmpty();
    }

    @Test
    void aNamedEventKeepsItsName() {
        feed("event:end", "data:list again: the state was replaced at revision 40", "");

        assertThat(events).containsExactly(new SseParser.Event(null, "end", "list again: the state was replaced at revision 40"));
    }

    @Test
    void anEventCutOffBeforeItsBlankLineIsNotDelivered() {
        feed("id:14", "data:{\"revision\":14}");

        assertThat(events).isEmpty();
    }

    @Test
    void fieldsOfOneEventDoNotLeakIntoTheNext() {
        feed("id:5", "event:end", "data:x", "", "data:y", "");

        assertThat(events.get(1)).isEqualTo(new SseParser.Event(null, null, "y"));
    }
}
