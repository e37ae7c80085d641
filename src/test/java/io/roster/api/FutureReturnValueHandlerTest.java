package io.roster.api;

import jakarta.servlet.AsyncEvent;
import org.junit.jupiter.api.Test;
import org.springframework.core.MethodParameter;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockAsyncContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.ModelAndView;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FutureReturnValueHandlerTest {

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

    private final Recording entities = new Recording(ResponseEntity.class);
    private final List<Exception> resolved = new ArrayList<>();
    /** Stands in for the dispatcher's exception resolvers: records what it was given, and answers it. */
    private final FutureReturnValueHandler handler = new FutureReturnValueHandler(List.of(entities),
            () -> (request, response, handlerMethod, e) -> {
                resolved.add(e);
                return new ModelAndView();
            }, 60_000);
    private final MockHttpServletRequest request = asyncCapable(new MockHttpServletRequest("PUT", "/v1/kv/a"));
    private final MockHttpServletResponse response = new MockHttpServletResponse();
    private final ServletWebRequest webRequest = new ServletWebRequest(request, response);

    @SuppressWarnings("unused")
    CompletableFuture<ResponseEntity<String>> future() {
        return null;
    }

    @SuppressWarnings("unused")
    CompletableFuture<? extends ResponseEntity<?>> wildcard() {
        return null;
    }

    private static MockHttpServletRequest asyncCapable(MockHttpServletRequest request) {
        request.setAsyncSupported(true);
        return request;
    }

    private static MethodParameter returnType(String method) {
        try {
            return new MethodParameter(FutureReturnValueHandlerTest.class.getDeclaredMethod(method), -1);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aCompletedFutureIsAnsweredAtOnceWithTheValueItHolds() throws Exception {
        ResponseEntity<String> entity = ResponseEntity.ok("done");
        handler.handleReturnValue(CompletableFuture.completedFuture(entity), returnType("future"), new ModelAndViewContainer(), webRequest);

        assertThat(request.isAsyncStarted()).isFalse();
        assertThat(entities.values).containsExactly(entity);
        assertThat(entities.types.get(0).getParameterType()).isEqualTo(ResponseEntity.class);
        assertThat(entities.types.get(0).getGenericParameterType().getTypeName())
                .isEqualTo("org.springframework.http.ResponseEntity<java.lang.String>");
    }

    @Test
    void aWildcardFutureTypeCompletesWithItsBound() throws Exception {
        handler.handleReturnValue(CompletableFuture.completedFuture(ResponseEntity.ok("x")), returnType("wildcard"), new ModelAndViewContainer(), webRequest);

        assertThat(entities.types.get(0).getGenericParameterType().getTypeName())
                .isEqualTo("org.springframework.http.ResponseEntity<?>");
    }

    @Test
    void aFailedFutureThrowsItsCauseForTheExceptionHandlers() {
        IllegalArgumentException failure = new IllegalArgumentException("bad key");

        assertThatThrownBy(() -> handler.handleReturnValue(CompletableFuture.failedFuture(failure), returnType("future"),
                new ModelAndViewContainer(), webRequest)).isSameAs(failure);
        assertThat(request.isAsyncStarted()).isFalse();
    }

    @Test
    void aFutureStillRunningIsAnsweredWithItsValueOnceItCompletes() throws Exception {
        CompletableFuture<ResponseEntity<String>> running = new CompletableFuture<>();
        ModelAndViewContainer mav = new ModelAndViewContainer();
        handler.handleReturnValue(running, returnType("future"), mav, webRequest);

        assertThat(mav.isRequestHandled()).as("nothing left for the dispatcher to render").isTrue();
        assertThat(request.isAsyncStarted()).isTrue();
        MockAsyncContext async = (MockAsyncContext) request.getAsyncContext();
        assertThat(async.getTimeout()).isEqualTo(60_000);

        ResponseEntity<String> entity = ResponseEntity.ok("later");
        running.complete(entity);

        assertThat(entities.values).containsExactly(entity);
        assertThat(entities.types.get(0).getGenericParameterType().getTypeName())
                .isEqualTo("org.springframework.http.ResponseEntity<java.lang.String>");
        assertThat(async.getDispatchedPath()).as("no second pass through Spring MVC").isNull();
        assertThat(request.isAsyncStarted()).as("the request was completed").isFalse();
    }

    @Test
    void aFutureThatFailsLaterGoesToTheExceptionHandlersWithItsCause() throws Exception {
        CompletableFuture<ResponseEntity<String>> running = new CompletableFuture<>();
        handler.handleReturnValue(running, returnType("future"), new ModelAndViewContainer(), webRequest);

        IllegalArgumentException failure = new IllegalArgumentException("bad key");
        running.completeExceptionally(new CompletionException(failure));

        assertThat(resolved).containsExactly(failure);
        assertThat(entities.values).isEmpty();
        assertThat(request.getAttribute(DispatcherServlet.EXCEPTION_ATTRIBUTE)).isSameAs(failure);
        assertThat(request.isAsyncStarted()).isFalse();
    }

    @Test
    void aFutureThatOutlivesTheTimeoutIsAnswered503AndItsLateValueIsDropped() throws Exception {
        CompletableFuture<ResponseEntity<String>> running = new CompletableFuture<>();
        handler.handleReturnValue(running, returnType("future"), new ModelAndViewContainer(), webRequest);

        MockAsyncContext async = (MockAsyncContext) request.getAsyncContext();
        for (var listener : async.getListeners()) {
            listener.onTimeout(new AsyncEvent(async));
        }
        running.complete(ResponseEntity.ok("too late"));

        assertThat(resolved).singleElement().isInstanceOf(AsyncRequestTimeoutException.class);
        assertThat(entities.values).isEmpty();
        assertThat(request.isAsyncStarted()).as("the timeout's answer completed the request").isFalse();
    }
}
