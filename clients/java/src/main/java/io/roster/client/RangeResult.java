package io.roster.client;

import java.util.List;

/** The keys under a prefix, in key order; {@code more} says the limit cut the list short of {@code count}. */
public record RangeResult(List<KeyValue> kvs, int count, boolean more, long revision) {

    public RangeResult {
        kvs = List.copyOf(kvs);
    }
}
