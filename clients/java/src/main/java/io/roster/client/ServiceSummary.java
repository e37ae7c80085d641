package io.roster.client;

/** A service with how many instances it has, and how many of them are UP. */
public record ServiceSummary(String name, int instances, int up) {
}
