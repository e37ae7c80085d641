package io.roster.api;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.HandlerMethodReturnValueHandlerComposite;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.HandlerMapping;

import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Answers a controller's {@link CompletableFuture} with Spring MVC's own handlers (the same body, headers
 * and status, the same exception handlers for a failure), without the second pass through Spring MVC
 * that its asynchronous handling makes. Spring dispatches a request whose future completed back through
 * the container's valves, the filters, the dispatcher's handler lookup and the handler adapter just to
 * write a value it already has: in a 3-member put run that second pass took a fifth of each member's CPU
 * (docs/benchmarks.md, "3. The per-request HTTP stack"). Here a future already complete (a heartbeat on
 * the leader, a serializable lookup) is answered on the spot, and one still running by a task on the web
 * server's threads once it completes: written on the thread that completed the future, a client slow to
 * read would hold up Raft's completions. The task may run while the first pass is still unwinding, which
 * only reads the request and adds listeners; the container ends the request only after both.
 */
final class FutureReturnValueHandler implements HandlerMethodReturnValueHandler {

    private static final Logger log = LoggerFactory.getLogger(FutureReturnValueHandler.class);

    private final HandlerMethodReturnValueHandlerComposite values = new HandlerMethodReturnValueHandlerComposite();
    private final Supplier<HandlerExceptionResolver> exceptionHandlers;
    private final long timeoutMillis;

    /**
     * @param handlers          Spring's handlers, in order, which write a completed future's value
     * @param exceptionHandlers the dispatcher's exception resolvers, which turn a failure into its problem
     * @param timeoutMillis     how long a request may wait for its future before it is answered 503
     */
    FutureReturnValueHandler(List<HandlerMethodReturnValueHandler> handlers, Supplier<HandlerExceptionResolver> exceptionHandlers,
                             long timeoutMillis) {
        this.values.addHandlers(handlers);
        this.exceptionHandlers = exceptionHandlers;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public boolean supportsReturnType(MethodParameter returnType) {
        return CompletableFuture.class.isAssignableFrom(returnType.getParameterType());
    }

    @Override
    public void handleReturnValue(Object returnValue, MethodParameter returnType, ModelAndViewContainer mavContainer,
                                  NativeWebRequest webRequest) throws Exception {
        if (!(returnValue instanceof CompletableFuture<?> future)) {
            mavContainer.setRequestHandled(true);
            return;
        }
        if (future.isDone()) {
            Object value;
            try {
                value = future.join();
            } catch (CompletionException | CancellationException e) {
                throw failure(e); // the dispatcher gives it to the @ExceptionHandlers
            }
            values.handleReturnValue(value, new CompletedValueType(returnType, value), mavContainer, webRequest);
            return;
        }
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        HttpServletResponse response = webRequest.getNativeResponse(HttpServletResponse.class);
        mavContainer.setRequestHandled(true);
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(timeoutMillis);
        Answer answer = new Answer(async, request, response, returnType, request.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE));
        async.addListener(answer);
        future.whenComplete(answer);
    }

    /** What the @ExceptionHandlers are given for a failed future: its cause, as Spring's asynchronous path gives it. */
    private static Exception failure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof Exception exception ? exception : new IllegalStateException("asynchronous processing failed", cause);
    }

    /** Answers one request once, with its future's outcome or, if the container's timeout comes first, a 503. */
    private final class Answer implements AsyncListener, BiConsumer<Object, Throwable> {

        private final AsyncContext async;
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final MethodParameter returnType;
        private final Object handler;
        private final AtomicBoolean answered = new AtomicBoolean();

        Answer(AsyncContext async, HttpServletRequest request, HttpServletResponse response, MethodParameter returnType,
               Object handler) {
            this.async = async;
            this.request = request;
            this.response = response;
            this.returnType = returnType;
            this.handler = handler;
        }

        @Override
        public void accept(Object value, Throwable error) {
            if (answered.compareAndSet(false, true)) {
                try {
                    async.start(() -> {
                        try {
                            write(value, error);
                        } finally {
                            async.complete();
                        }
                    });
                } catch (IllegalStateException | RejectedExecutionException requestOrServerGone) {
                    // The connection failed or the server is stopping: there is no one left to answer.
                }
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            if (answered.compareAndSet(false, true)) {
                try {
                    write(null, new AsyncRequestTimeoutException());
                } finally {
                    async.complete();
                }
            }
        }

        @Override
        public void onError(AsyncEvent event) {
            // The client left or the connection failed: no one to answer.
            if (answered.compareAndSet(false, true)) {
                async.complete();
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }

        private void write(Object value, Throwable error) {
            try {
                if (error == null) {
                    values.handleReturnValue(value, new CompletedValueType(returnType, value), new ModelAndViewContainer(),
                            new ServletWebRequest(request, response));
                } else {
                    handle(failure(error));
                }
            } catch (Exception writeFailed) {
                handle(writeFailed);
            }
        }

        /** As the dispatcher handles a handler's exception, including the attribute the request's observation reads. */
        private void handle(Exception failure) {
            request.removeAttribute(HandlerMapping.PRODUCIBLE_MEDIA_TYPES_ATTRIBUTE);
            try {
                if (exceptionHandlers.get().resolveException(request, response, handler, failure) != null) {
                    request.setAttribute(DispatcherServlet.EXCEPTION_ATTRIBUTE, failure);
                    return;
                }
            } catch (RuntimeException handlerFailed) {
                failure.addSuppressed(handlerFailed);
            }
            log.error("An asynchronous request failed and no exception handler answered it; this is a bug", failure);
            if (!response.isCommitted()) {
                response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            }
        }
    }

    /** The controller method's return type with the future taken off: {@code ResponseEntity<X>} for {@code CompletableFuture<ResponseEntity<X>>}. */
    private static final class CompletedValueType extends MethodParameter {

        private final Class<?> type;
        private final Type genericType;

        CompletedValueType(MethodParameter futureType, Object value) {
            super(futureType);
            ResolvableType completed = ResolvableType.forMethodParameter(futureType).as(CompletableFuture.class).getGeneric();
            // CompletableFuture<? extends ResponseEntity<?>> completes with the wildcard's bound.
            this.genericType = completed.getType() instanceof WildcardType wildcard ? wildcard.getUpperBounds()[0] : completed.getType();
            this.type = value != null ? value.getClass() : completed.toClass();
        }

        private CompletedValueType(CompletedValueType original) {
            super(original);
            this.type = original.type;
            this.genericType = original.genericType;
        }

        @Override
        public Class<?> getParameterType() {
            return type;
        }

        @Override
        public Type getGenericParameterType() {
            return genericType;
        }

        @Override
        public CompletedValueType clone() {
            return new CompletedValueType(this);
        }
    }
}
