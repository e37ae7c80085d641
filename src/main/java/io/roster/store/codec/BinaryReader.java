package io.roster.store.codec;

import io.roster.store.CorruptEntryException;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Reads what {@link BinaryWriter} wrote; any truncation or malformed field is a {@link CorruptEntryException}. */
final class BinaryReader {

    private final byte[] data;
    private int position;
    private final int end;

    BinaryReader(byte[] data) {
        this(data, 0, data.length);
    }

    BinaryReader(byte[] data, int offset, int length) {
        this.data = data;
        this.position = offset;
        this.end = offset + length;
    }

    int readByte() {
        require(1);
        return data[position++] & 0xFF;
    }

    boolean readBoolean() {
        int value = readByte();
        if (value > 1) {
            throw new CorruptEntryException("boolean field holds " + value);
        }
        return value == 1;
    }

    long readVarLong() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new CorruptEntryException("varint longer than 10 bytes");
    }

    long readSignedVarLong() {
        long raw = readVarLong();
        return (raw >>> 1) ^ -(raw & 1);
    }

    long readFixedLong() {
        require(8);
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (data[position++] & 0xFF);
        }
        return value;
    }

    int readLength() {
        long length = readVarLong();
        if (length < 0 || length > end - position) {
            throw new CorruptEntryException("length " + length + " exceeds the " + (end - position) + " bytes left");
        }
        return (int) length;
    }

    /** A count of items, each taking at least one byte, so a corrupt count cannot make us allocate wildly. */
    int readCount() {
        return readLength();
    }

    byte[] readBytes() {
        int length = readLength();
        byte[] bytes = Arrays.copyOfRange(data, position, position + length);
        position += length;
        return bytes;
    }

    String readString() {
        int length = readLength();
        try {
            String value = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data, position, length))
                    .toString();
            position += length;
            return value;
        } catch (CharacterCodingException e) {
            throw new CorruptEntryException("string field is not valid UTF-8", e);
        }
    }

    int position() {
        return position;
    }

    void expectEnd(String what) {
        if (position != end) {
            throw new CorruptEntryException(what + " has " + (end - position) + " unexpected trailing bytes");
        }
    }

    private void require(int bytes) {
        if (end - position < bytes) {
            throw new CorruptEntryException("truncated: needed " + bytes + " more bytes");
        }
    }
}
