package io.roster.api.error;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

/**
 * Reactor Netty's answer to a request it cannot parse (a malformed request line or header, one too long)
 * or whose target is not a URI: an RFC 9457 problem like every other error, instead of an empty 400, and
 * the connection closed, since what follows on it cannot be framed. The detail never repeats what the
 * client sent, which may be a header holding a secret.
 */
@Component
class MalformedRequestProblems implements NettyServerCustomizer {

    private static final String NAME = "roster.malformedRequestProblems";

    @Override
    public HttpServer apply(HttpServer server) {
        return server.doOnChannelInit((observer, channel, address) -> {
            if (channel.pipeline().get(NettyPipeline.HttpTrafficHandler) != null && channel.pipeline().get(NAME) == null) {
                channel.pipeline().addBefore(NettyPipeline.HttpTrafficHandler, NAME, new Refuser());
            }
        });
    }

    /**
     * One per connection: after a refusal it drops the rest of what the client sends, until the close. It
     * also gives a body to the empty error answers Reactor Netty writes itself, such as the 400 for a
     * chunked body whose framing breaks after the request was handed on.
     */
    private static final class Refuser extends ChannelDuplexHandler {
        private boolean refused;
        /** The request being answered is a HEAD: its answer has no body, whatever its status. */
        private boolean head;

        @Override
        public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) {
            if (!head && message instanceof FullHttpResponse response && response.status().code() >= 400 && !response.content().isReadable()
                    && !response.headers().contains(HttpHeaderNames.CONTENT_TYPE)) {
                HttpStatus status = HttpStatus.resolve(response.status().code());
                if (status != null) {
                    byte[] body = RefusingFilters.problem(status, status.getReasonPhrase(), detail(status), Map.of());
                    FullHttpResponse problem = response.replace(Unpooled.wrappedBuffer(body));
                    problem.headers().set(HttpHeaderNames.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
                            .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
                    response.release();
                    context.write(problem, promise);
                    return;
                }
            }
            context.write(message, promise);
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            if (refused) {
                ReferenceCountUtil.release(message);
                return;
            }
            if (message instanceof HttpRequest request) {
                head = HttpMethod.HEAD.equals(request.method());
                Refusal refusal = refusal(request);
                if (refusal != null) {
                    refused = true;
                    ReferenceCountUtil.release(message);
                    refuse(context, refusal);
                    return;
                }
            }
            context.fireChannelRead(message);
        }

        private static Refusal refusal(HttpRequest request) {
            String transferEncoding = request.headers().get(HttpHeaderNames.TRANSFER_ENCODING);
            if (transferEncoding != null && !transferEncoding.trim().equalsIgnoreCase(HttpHeaderValues.CHUNKED.toString())) {
                return Refusal.badRequest("the request's Transfer-Encoding is not one this member reads; send 'chunked' or a Content-Length");
            }
            if (request.decoderResult().isFailure()) {
                Throwable cause = request.decoderResult().cause();
                HttpStatus status = cause instanceof TooLongHttpLineException ? HttpStatus.URI_TOO_LONG
                        : cause instanceof TooLongHttpHeaderException ? HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                        : cause instanceof TooLongFrameException ? HttpStatus.CONTENT_TOO_LARGE : HttpStatus.BAD_REQUEST;
                return new Refusal(status, status.getReasonPhrase(), detail(status), null);
            }
            HttpVersion version = request.protocolVersion();
            if (version.majorVersion() != 1 || version.minorVersion() > 1) {
                return Refusal.badRequest("the request's HTTP version is not served here; use HTTP/1.1");
            }
            String target = request.uri();
            if (!target.startsWith("/") && !target.regionMatches(true, 0, "http://", 0, 7)
                    && !target.regionMatches(true, 0, "https://", 0, 8)) {
                return Refusal.badRequest("the request's target must be a path that starts with '/'");
            }
            if (target.indexOf('#') >= 0) {
                return new Refusal(HttpStatus.BAD_REQUEST, "Bad Request", "a request's target has no fragment ('#');"
                        + " percent-encode a '#' that is part of a name or key as %23", "path");
            }
            int question = target.indexOf('?');
            String rawPath = question < 0 ? target : target.substring(0, question);
            if (!isUri(target)) {
                String queryProblem = question < 0 ? null : QueryStrings.problem(target.substring(question + 1));
                if (queryProblem != null) {
                    return new Refusal(HttpStatus.BAD_REQUEST, "Malformed query string", queryProblem, "query");
                }
                String pathProblem = RequestPaths.ambiguity(rawPath);
                return new Refusal(HttpStatus.BAD_REQUEST, "Bad Request", pathProblem != null ? pathProblem
                        : "the request's target is not a valid URI: a character in its path or query must be percent-encoded",
                        pathProblem != null ? "path" : null);
            }
            // Refused before the credentials are looked at, as a servlet container would: a slash that a
            // decoder turns into another path, or a path that climbs above the root.
            if (RequestPaths.encodesSlash(rawPath) || RequestPaths.climbsAboveRoot(rawPath)) {
                return new Refusal(HttpStatus.BAD_REQUEST, "Ambiguous path", RequestPaths.ambiguity(rawPath), "path");
            }
            return null;
        }

        private static void refuse(ChannelHandlerContext context, Refusal refusal) {
            HttpStatus status = refusal.status();
            byte[] body = RefusingFilters.problem(status, refusal.title(), refusal.detail(),
                    refusal.field() == null ? Map.of() : Map.of("field", refusal.field()));
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status.value()),
                    Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }

        private static boolean isUri(String target) {
            try {
                new URI(target);
                return true;
            } catch (URISyntaxException e) {
                return false;
            }
        }

        private static String detail(HttpStatus status) {
            return switch (status) {
                case URI_TOO_LONG -> "the request's path or query is too long";
                case REQUEST_HEADER_FIELDS_TOO_LARGE -> "the request's headers are too large";
                case CONTENT_TOO_LARGE -> "the request is too large";
                default -> "the request could not be parsed: its request line or a header is malformed (for example"
                        + " a character that must be percent-encoded, or an HTTP version other than 1.0 or 1.1)";
            };
        }
    }

    private record Refusal(HttpStatus status, String title, String detail, String field) {
        static Refusal badRequest(String detail) {
            return new Refusal(HttpStatus.BAD_REQUEST, "Bad Request", detail, null);
        }
    }
}
