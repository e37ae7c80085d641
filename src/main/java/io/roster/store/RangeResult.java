package io.roster.store;

import java.util.List;

/** Keys read under one prefix: up to the limit asked for, the total that matched, and the revision read at. */
public record RangeResult(List<KeyValue> kvs, int count, long revision) {

    public boolean more() {
        return kvs.size() < count;
    }
}
