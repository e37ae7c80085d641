package io.roster.api.kv;

import java.util.List;

/** Keys under a prefix; {@code more} says the limit cut the list short of {@code count}. */
public record RangeResponse(List<KeyValueView> kvs, int count, boolean more, long revision) {
}
