package io.roster.client;

/** Why one endpoint did not serve a request: {@code connection refused}, {@code timed out after 5s}, {@code 503 …}. */
public record EndpointFailure(String endpoint, String reason) {

    @Override
    public String toString() {
        return endpoint + " (" + reason + ")";
    }
}
