package io.roster.cli;

import io.roster.client.internal.Json;
import picocli.CommandLine.Command;

/** {@code rosterctl version}: this client's version (it asks no server). */
@Command(name = "version", description = "Prints rosterctl's version.")
final class VersionCommand extends RosterctlCommand {

    @Override
    public Integer call() {
        Printer out = printer();
        if (out.json()) {
            out.json(Json.object().put("rosterctlVersion", Rosterctl.version()).put("apiVersion", "v1"));
        } else if (out.table()) {
            out.table(new Table("ROSTERCTL VERSION", "API VERSION").row(Rosterctl.version(), "v1"));
        } else {
            out.line("rosterctl version: " + Rosterctl.version());
            out.line("API version: v1");
        }
        return ExitCodes.OK;
    }
}
