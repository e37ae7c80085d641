package io.roster.client;

/** A key and the store revision the answer reflects. */
public record KeyValueResult(KeyValue kv, long revision) {
}
