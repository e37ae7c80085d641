package io.roster.api;

import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.HandlerMethodReturnValueHandlerComposite;
import org.springframework.web.method.support.ModelAndViewContainer;

import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Answers a controller's {@link CompletableFuture} on the spot when it is already complete (a heartbeat
 * on the leader, a serializable lookup): Spring MVC would otherwise start async processing and send the
 * request through the filters and the dispatcher a second time just to write a value it already has.
 * Futures still running are left to Spring's own asynchronous handling.
 */
final class CompletedFutureReturnValueHandler implements HandlerMethodReturnValueHandler {

    private final HandlerMethodReturnValueHandler asynchronous;
    private final HandlerMethodReturnValueHandlerComposite synchronous = new HandlerMethodReturnValueHandlerComposite();

    /** @param handlers Spring's handlers, in order; the first that takes a CompletableFuture answers running ones */
    CompletedFutureReturnValueHandler(List<HandlerMethodReturnValueHandler> handlers, MethodParameter futureType) {
        this.asynchronous = handlers.stream().filter(handler -> handler.supportsReturnType(futureType)).findFirst()
                .orElseThrow(() -> new IllegalStateException("Spring MVC has no handler for CompletableFuture"));
        this.synchronous.addHandlers(handlers);
    }

    @Override
    public boolean supportsReturnType(MethodParameter returnType) {
        return CompletableFuture.class.isAssignableFrom(returnType.getParameterType());
    }

    @Override
    public void handleReturnValue(Object returnValue, MethodParameter returnType, ModelAndViewContainer mavContainer,
                                  NativeWebRequest webRequest) throws Exception {
        if (!(returnValue instanceof CompletableFuture<?> future) || !future.isDone()) {
            asynchronous.handleReturnValue(returnValue, returnType, mavContainer, webRequest);
            return;
        }
        Object value;
        try {
            value = future.join();
        } catch (CompletionException e) {
            // As the asynchronous path does: the cause goes to the @ExceptionHandlers.
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            throw e;
        }
        synchronous.handleReturnValue(value, new CompletedValueType(returnType, value), mavContainer, webRequest);
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
