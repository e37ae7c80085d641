package io.roster.cli;

import io.roster.client.RosterClient;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** What every rosterctl command has: the global options, a client of the endpoints, and a printer. */
abstract class RosterctlCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    Rosterctl root() {
        return (Rosterctl) spec.root().userObject();
    }

    RosterClient client() {
        return root().client(spec.commandLine());
    }

    Printer printer() {
        return new Printer(spec.commandLine().getOut(), root().format);
    }

    java.io.PrintWriter err() {
        return spec.commandLine().getErr();
    }

    CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
