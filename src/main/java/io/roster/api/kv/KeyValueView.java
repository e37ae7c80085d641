package io.roster.api.kv;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.roster.lease.LeaseIds;
import io.roster.store.KeyValue;

/** One key on the wire. {@code lease} is omitted when the key is not bound to one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KeyValueView(String key, String value, long createRevision, long modRevision, long version, String lease) {

    static KeyValueView of(KeyValue kv) {
        return new KeyValueView(kv.key(), kv.valueAsString(), kv.createRevision(), kv.modRevision(), kv.version(),
                kv.lease() == 0 ? null : LeaseIds.format(kv.lease()));
    }
}
