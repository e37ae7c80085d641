package io.roster.cli;

/** {@code -w, --write-out}. */
public enum OutputFormat {
    /** Lines for people and for shell scripts (etcdctl's default). */
    simple,
    /** The server's JSON, one document per line. */
    json,
    /** An ASCII table with a header row. */
    table
}
