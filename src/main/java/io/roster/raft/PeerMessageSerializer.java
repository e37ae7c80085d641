package io.roster.raft;

import com.alipay.remoting.CustomSerializer;
import com.alipay.remoting.CustomSerializerManager;
import com.alipay.remoting.DefaultCustomSerializer;
import com.alipay.remoting.InvokeContext;
import com.alipay.remoting.exception.DeserializationException;
import com.alipay.remoting.exception.SerializationException;
import com.alipay.remoting.rpc.RequestCommand;
import com.alipay.remoting.rpc.ResponseCommand;
import com.alipay.remoting.rpc.protocol.RpcRequestCommand;
import com.alipay.remoting.rpc.protocol.RpcResponseCommand;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Frames {@link PeerRequest} and {@link PeerResponse} on the peer port in Roster's own versioned layout, in
 * place of bolt's default Hessian serialization: a peer's bytes are never handed to a general-purpose
 * object deserializer. A frame of a format this member does not know is refused, not guessed at.
 * <pre>
 * request, format 1: u8 1 · u16 operation length · operation (UTF-8) · i32 body length · body
 * request, format 2: u8 2 · u16 operation length · operation (UTF-8) · u16 operation version · i32 body length · body
 * response:          u8 1 · u8 status · i32 body length (-1: none) · body · i32 message length (-1: none) · message (UTF-8)
 * </pre>
 * A request for version 1 of its operation goes in format 1, which carries no version: the bytes every
 * release has sent and read since the envelope existed, so that a rolling upgrade from a release without
 * operation versions works. Later versions need format 2.
 */
final class PeerMessageSerializer extends DefaultCustomSerializer {

    static final int FORMAT = 1;
    /** Requests for version 2 or later of their operation. */
    static final int VERSIONED_FORMAT = 2;
    private static final int NONE = -1;
    private static final CustomSerializer INSTANCE = new PeerMessageSerializer();

    private PeerMessageSerializer() {
    }

    /** Makes bolt use this framing for Roster's peer messages; idempotent. */
    static void register() {
        CustomSerializerManager.registerCustomSerializer(PeerRequest.class.getName(), INSTANCE);
        CustomSerializerManager.registerCustomSerializer(PeerResponse.class.getName(), INSTANCE);
    }

    @Override
    public <T extends RequestCommand> boolean serializeContent(T request, InvokeContext invokeContext) throws SerializationException {
        RpcRequestCommand command = (RpcRequestCommand) request;
        command.setContent(encode((PeerRequest) command.getRequestObject()));
        return true;
    }

    @Override
    public <T extends ResponseCommand> boolean serializeContent(T response) throws SerializationException {
        RpcResponseCommand command = (RpcResponseCommand) response;
        command.setContent(encode((PeerResponse) command.getResponseObject()));
        return true;
    }

    @Override
    public <T extends RequestCommand> boolean deserializeContent(T request) throws DeserializationException {
        ((RpcRequestCommand) request).setRequestObject(decodeRequest(request.getContent()));
        return true;
    }

    @Override
    public <T extends ResponseCommand> boolean deserializeContent(T response, InvokeContext invokeContext) throws DeserializationException {
        ((RpcResponseCommand) response).setResponseObject(decodeResponse(response.getContent()));
        return true;
    }

    static byte[] encode(PeerRequest request) throws SerializationException {
        byte[] operation = request.operation().getBytes(StandardCharsets.UTF_8);
        if (operation.length > 0xFFFF) {
            throw new SerializationException("peer operation name of " + operation.length + " bytes is too long");
        }
        if (request.version() < 1 || request.version() > 0xFFFF) {
            throw new SerializationException("peer operation version " + request.version() + " is out of range");
        }
        byte[] body = request.body() == null ? new byte[0] : request.body();
        boolean versioned = request.version() > 1;
        ByteBuffer buffer = ByteBuffer.allocate(1 + 2 + operation.length + (versioned ? 2 : 0) + 4 + body.length)
                .put((byte) (versioned ? VERSIONED_FORMAT : FORMAT)).putShort((short) operation.length).put(operation);
        if (versioned) {
            buffer.putShort((short) request.version());
        }
        return buffer.putInt(body.length).put(body).array();
    }

    static byte[] encode(PeerResponse response) {
        byte[] message = response.message() == null ? null : response.message().getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(1 + 1 + 4 + length(response.body()) + 4 + length(message))
                .put((byte) FORMAT).put((byte) response.status());
        putOptional(buffer, response.body());
        putOptional(buffer, message);
        return buffer.array();
    }

    static PeerRequest decodeRequest(byte[] content) throws DeserializationException {
        boolean versioned = content != null && content.length > 0 && content[0] == VERSIONED_FORMAT;
        ByteBuffer buffer = versioned ? ByteBuffer.wrap(content, 1, content.length - 1) : open(content, "request");
        try {
            String operation = utf8(take(buffer, Short.toUnsignedInt(buffer.getShort())));
            int version = versioned ? Short.toUnsignedInt(buffer.getShort()) : 1;
            byte[] body = take(buffer, buffer.getInt());
            expectEnd(buffer, "request");
            return new PeerRequest(operation, version, body);
        } catch (BufferUnderflowException | IllegalArgumentException | CharacterCodingException e) {
            throw new DeserializationException("malformed peer request: " + e);
        }
    }

    static PeerResponse decodeResponse(byte[] content) throws DeserializationException {
        ByteBuffer buffer = open(content, "response");
        try {
            int status = Byte.toUnsignedInt(buffer.get());
            byte[] body = takeOptional(buffer);
            byte[] message = takeOptional(buffer);
            expectEnd(buffer, "response");
            return new PeerResponse(status, body, message == null ? null : utf8(message));
        } catch (BufferUnderflowException | IllegalArgumentException | CharacterCodingException e) {
            throw new DeserializationException("malformed peer response: " + e);
        }
    }

    private static ByteBuffer open(byte[] content, String what) throws DeserializationException {
        if (content == null || content.length == 0) {
            throw new DeserializationException("empty peer " + what);
        }
        int format = Byte.toUnsignedInt(content[0]);
        if (format != FORMAT) {
            throw new DeserializationException("peer " + what + " in format " + format + "; this member reads format "
                    + (what.equals("request") ? FORMAT + " and " + VERSIONED_FORMAT : FORMAT)
                    + " only (is the other member a newer release?)");
        }
        return ByteBuffer.wrap(content, 1, content.length - 1);
    }

    private static byte[] take(ByteBuffer buffer, int length) {
        if (length < 0 || length > buffer.remaining()) {
            throw new IllegalArgumentException("a length of " + length + " with " + buffer.remaining() + " bytes left");
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return bytes;
    }

    private static byte[] takeOptional(ByteBuffer buffer) {
        int length = buffer.getInt();
        return length == NONE ? null : take(buffer, length);
    }

    private static void putOptional(ByteBuffer buffer, byte[] bytes) {
        if (bytes == null) {
            buffer.putInt(NONE);
        } else {
            buffer.putInt(bytes.length).put(bytes);
        }
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static void expectEnd(ByteBuffer buffer, String what) {
        if (buffer.hasRemaining()) {
            throw new IllegalArgumentException(buffer.remaining() + " bytes after the end of the " + what);
        }
    }

    private static String utf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    }
}
