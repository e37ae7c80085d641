package io.roster.raft;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The byte layout of one side (request or answer) of a {@link PeerOperation}. Decoding refuses bytes that
 * are not exactly a value of the layout with {@link IllegalArgumentException}, which the receiver answers
 * as a failed call: a peer's bytes are checked, never guessed at.
 */
public interface PeerCodec<T> {

    byte[] encode(T value);

    T decode(byte[] bytes);

    /** The bytes as they are: for bodies with a versioned layout of their own (store commands). */
    PeerCodec<byte[]> BYTES = of(bytes -> bytes, bytes -> bytes);

    /** No body at all. */
    PeerCodec<Void> NONE = of(ignored -> new byte[0], bytes -> {
        requireLength(bytes, 0, "an empty body");
        return null;
    });

    /** One signed 64-bit integer, big-endian. */
    PeerCodec<Long> LONG = of(value -> ByteBuffer.allocate(Long.BYTES).putLong(value).array(), bytes -> {
        requireLength(bytes, Long.BYTES, "one 64-bit integer");
        return ByteBuffer.wrap(bytes).getLong();
    });

    /** Any number of signed 64-bit integers, big-endian, back to back. */
    PeerCodec<long[]> LONGS = of(values -> {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Long.BYTES);
        for (long value : values) {
            buffer.putLong(value);
        }
        return buffer.array();
    }, bytes -> {
        if (bytes.length % Long.BYTES != 0) {
            throw new IllegalArgumentException(bytes.length + " bytes are not a whole number of 64-bit integers");
        }
        long[] values = new long[bytes.length / Long.BYTES];
        ByteBuffer.wrap(bytes).asLongBuffer().get(values);
        return values;
    });

    /** One byte, 1 for true and 0 for false. */
    PeerCodec<Boolean> BOOLEAN = of(value -> new byte[] {(byte) (value ? 1 : 0)}, bytes -> {
        requireLength(bytes, 1, "one boolean byte");
        if (bytes[0] != 0 && bytes[0] != 1) {
            throw new IllegalArgumentException("a boolean byte of " + bytes[0]);
        }
        return bytes[0] == 1;
    });

    /** Text in UTF-8; malformed UTF-8 is refused rather than replaced. */
    PeerCodec<String> UTF8 = of(text -> text.getBytes(StandardCharsets.UTF_8), bytes -> {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("malformed UTF-8", e);
        }
    });

    static <T> PeerCodec<T> of(Function<T, byte[]> encoder, Function<byte[], T> decoder) {
        return new PeerCodec<>() {
            @Override
            public byte[] encode(T value) {
                return encoder.apply(value);
            }

            @Override
            public T decode(byte[] bytes) {
                return decoder.apply(bytes);
            }
        };
    }

    private static void requireLength(byte[] bytes, int length, String what) {
        if (bytes.length != length) {
            throw new IllegalArgumentException(bytes.length + " bytes where " + what + " takes " + length);
        }
    }
}
