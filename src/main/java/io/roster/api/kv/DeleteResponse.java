package io.roster.api.kv;

public record DeleteResponse(int deleted, long revision) {
}
