package io.roster.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 as bytes over a plain socket, so a test can send what no HTTP client would: any method, any
 * header, any byte, broken framing. One request per connection; the response is read until the server
 * closes, except a 200 event stream, which is read up to its headers only.
 */
public final class RawHttp {

    /** What came back. {@code status} is -1 when no status line arrived; {@code outcome} then says why. */
    public record Response(int status, Map<String, List<String>> headers, byte[] body, Outcome outcome) {

        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        public List<String> headers(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public boolean isProblem() {
            String contentType = header("content-type");
            return contentType != null && contentType.startsWith("application/problem+json");
        }

        @Override
        public String toString() {
            return status + " " + header("content-type") + " " + bodyText();
        }
    }

    public enum Outcome {
        /** A status line and headers arrived. */
        RESPONSE,
        /** The server closed (or reset) the connection without a status line. */
        CLOSED_WITHOUT_RESPONSE,
        /** Bytes arrived that are not an HTTP/1.x status line. */
        NOT_HTTP,
        /** Nothing (more) arrived before the read timeout. */
        TIMEOUT
    }

    private static final int MAX_BODY = 16 * 1024 * 1024;

    private final int port;
    private final Duration readTimeout;

    public RawHttp(int port, Duration readTimeout) {
        this.port = port;
        this.readTimeout = readTimeout;
    }

    /**
     * A well-formed request but for what the test puts in {@code method}, {@code path} and {@code headers}:
     * {@code Host}, {@code Connection: close} and, with a body, JSON's content headers are added.
     */
    public Response send(String method, String path, List<String> headers, String jsonBody) {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        headers.forEach(header -> head.append(header).append("\r\n"));
        byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
        if (jsonBody != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        request.writeBytes(body);
        return exchange(request.toByteArray());
    }

    /** Writes the bytes as they are and reads the answer. */
    public Response exchange(byte[] request) {
        try {
            return exchange(request, false);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code request}; with {@code halfClose} the socket's output is shut afterwards, so a server
     * waiting for more of an incomplete request sees the end of it instead of waiting for its timeout.
     */
    public Response exchange(byte[] request, boolean halfClose) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout((int) readTimeout.toMillis());
            socket.setSoLinger(true, 0); // no TIME_WAIT pile-up over thousands of connections
            try {
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
                if (halfClose) {
                    socket.shutdownOutput();
                }
            } catch (IOException refusedMidWrite) {
                // A server may answer (413, 400) and close before reading all of a large or broken
                // request; what it answered may still be readable.
            }
            return read(socket.getInputStream());
        }
    }

    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    return incomplete(head);
                }
                head.write(b);
                matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
                if (head.size() > 64 * 1024) {
                    return new Response(-1, Map.of(), head.toByteArray(), Outcome.NOT_HTTP);
                }
            }
        } catch (SocketTimeoutException e) {
            return new Response(-1, Map.of(), head.toByteArray(), Outcome.TIMEOUT);
        } catch (IOException reset) {
            return incomplete(head);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.") || !statusLine[1].matches("\\d{3}")) {
            return new Response(-1, Map.of(), head.toByteArray(), Outcome.NOT_HTTP);
        }
        int status = Integer.parseInt(statusLine[1]);
        if (status >= 100 && status < 200 && status != 101) {
            return read(in); // 100 Continue: the final answer follows
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
        }
        Response headersOnly = new Response(status, headers, new byte[0], Outcome.RESPONSE);
        String contentType = headersOnly.header("content-type");
        if (status == 200 && contentType != null && contentType.startsWith("text/event-stream")) {
            return headersOnly; // a watch: it would stream until the test gave up
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; body.size() < MAX_BODY && (n = in.read(buffer)) >= 0; ) {
                body.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            return new Response(status, headers, body.toByteArray(), Outcome.TIMEOUT);
        } catch (IOException reset) {
            // keep what arrived
        }
        byte[] bytes = body.toByteArray();
        if ("chunked".equalsIgnoreCase(headersOnly.header("transfer-encoding"))) {
            bytes = dechunk(bytes);
        }
        return new Response(status, headers, bytes, Outcome.RESPONSE);
    }

    private static Response incomplete(ByteArrayOutputStream head) {
        return head.size() == 0 ? new Response(-1, Map.of(), new byte[0], Outcome.CLOSED_WITHOUT_RESPONSE)
                : new Response(-1, Map.of(), head.toByteArray(), Outcome.NOT_HTTP);
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < chunked.length) {
            int lineEnd = indexOfCrlf(chunked, i);
            if (lineEnd < 0) {
                break;
            }
            String sizeText = new String(chunked, i, lineEnd - i, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int size;
            try {
                size = Integer.parseInt(sizeText, 16);
            } catch (NumberFormatException e) {
                break;
            }
            if (size == 0) {
                break;
            }
            int start = lineEnd + 2;
            out.write(chunked, start, Math.min(size, chunked.length - start));
            i = start + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOfCrlf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The request as a readable line: printable ASCII kept, everything else escaped. */
    public static String escape(byte[] bytes, int max) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < bytes.length && out.length() < max; i++) {
            int b = bytes[i] & 0xff;
            switch (b) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (b >= 0x20 && b < 0x7f) {
                        out.append((char) b);
                    } else {
                        out.append(String.format("\\x%02x", b));
                    }
                }
            }
        }
        if (out.length() >= max) {
            out.append("... (").append(bytes.length).append(" bytes)");
        }
        return out.toString();
    }
}
