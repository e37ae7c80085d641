package io.roster.common;

/**
 * A façade's answer and the store revision it reflects, for the {@code X-Roster-Revision} every
 * response carries: the API never reads the store to learn it.
 */
public record Revised<T>(T value, long revision) {
}
