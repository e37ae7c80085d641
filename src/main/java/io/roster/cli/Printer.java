package io.roster.cli;

import io.roster.client.internal.Json;
import tools.jackson.databind.JsonNode;

import java.io.PrintWriter;

/** Where a command's results go (stdout), in the chosen {@link OutputFormat}. */
public final class Printer {

    private final PrintWriter out;
    private final OutputFormat format;

    public Printer(PrintWriter out, OutputFormat format) {
        this.out = out;
        this.format = format;
    }

    public OutputFormat format() {
        return format;
    }

    public boolean json() {
        return format == OutputFormat.json;
    }

    public boolean table() {
        return format == OutputFormat.table;
    }

    public void line(String line) {
        out.println(line);
        out.flush();
    }

    /** One JSON document on one line. */
    public void json(JsonNode node) {
        line(Json.write(node));
    }

    public void table(Table table) {
        out.print(table.render());
        out.flush();
    }
}
