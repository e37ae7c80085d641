package io.roster.api.kv;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.roster.lease.LeaseIds;
import io.roster.store.KeyValue;

/** One key and the store revision the answer reflects. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KeyValueResponse(String key, String value, long createRevision, long modRevision, long version,
                               String lease, long revision) {

    static KeyValueResponse of(KeyValue kv, long revision) {
        return new KeyValueResponse(kv.key(), kv.valueAsString(), kv.createRevision(), kv.modRevision(), kv.version(),
                kv.lease() == 0 ? null : LeaseIds.format(kv.lease()), revision);
    }
}
