package io.roster.api;

import org.junit.jupiter.api.Test;
import org.springframework.core.MethodParameter;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompletedFutureReturnValueHandlerTest {

    /** Stands in for one of Spring MVC's handlers: records what it was given. */
    private static final class Recording implements HandlerMethodReturnValueHandler {
        final Class<?> handles;
        final List<Object> values = new ArrayList<>();
        final List<MethodParameter> types = new ArrayList<>();

        Recording(Class<?> handles) {
            this.handles = handles;
        }

        @Override
        public boolean supportsReturnType(MethodParameter returnType) {
            return handles.isAssignableFrom(returnType.getParameterType());
        }

        @Override
        public void handleReturnValue(Object value, MethodParameter type, ModelAndViewContainer mav, NativeWebRequest request) {
            values.add(value);
            types.add(type);
        }
    }

    private final Recording asynchronous = new Recording(CompletableFuture.class);
    private final Recording entities = new Recording(ResponseEntity.class);
    private final CompletedFutureReturnValueHandler handler =
            new CompletedFutureReturnValueHandler(List.of(asynchronous, entities), returnType("future"));

    @SuppressWarnings("unused")
    CompletableFuture<ResponseEntity<String>> future() {
        return null;
    }

    @SuppressWarnings("unused")
    CompletableFuture<? extends ResponseEntity<?>> wildcard() {
        return null;
    }

    private static MethodParameter returnType(String method) {
        try {
            return new MethodParameter(CompletedFutureReturnValueHandlerTest.class.getDeclaredMethod(method), -1);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aCompletedFutureIsAnsweredAtOnceWithTheValueItHolds() throws Exception {
        ResponseEntity<String> entity = ResponseEntity.ok("done");
        handler.handleReturnValue(CompletableFuture.completedFuture(entity), returnType("future"), null, null);

        assertThat(asynchronous.values).isEmpty();
        assertThat(entities.values).containsExactly(entity);
        assertThat(entities.types.get(0).getParameterType()).isEqualTo(ResponseEntity.class);
        assertThat(entities.types.get(0).getGenericParameterType().getTypeName())
                .isEqualTo("org.springframework.http.ResponseEntity<java.lang.String>");
    }

    @Test
    void aWildcardFutureTypeCompletesWithItsBound() throws Exception {
        handler.handleReturnValue(CompletableFuture.completedFuture(ResponseEntity.ok("x")), returnType("wildcard"), null, null);

        assertThat(entities.types.get(0).getGenericParameterType().getTypeName())
                .isEqualTo("org.springframework.http.ResponseEntity<?>");
    }

    @Test
    void aFailedFutureThrowsItsCauseForTheExceptionHandlers() {
        IllegalArgumentException failure = new IllegalArgumentException("bad key");

        assertThatThrownBy(() -> handler.handleReturnValue(CompletableFuture.failedFuture(failure), returnType("future"), null, null))
                .isSameAs(failure);
        assertThat(asynchronous.values).isEmpty();
    }

    @Test
    void aFutureStillRunningIsLeftToAsynchronousProcessing() throws Exception {
        CompletableFuture<ResponseEntity<String>> running = new CompletableFuture<>();
        handler.handleReturnValue(running, returnType("future"), null, null);

        assertThat(asynchronous.values).containsExactly(running);
        assertThat(entities.values).isEmpty();
    }
}
