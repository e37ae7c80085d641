package io.roster.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

/** Runs rosterctl in this JVM, as {@code bin/rosterctl} would in its own, capturing stdout, stderr and the exit code. */
final class Cli {

    private Cli() {
    }

    record Result(int exitCode, String out, String err) {

        List<String> lines() {
            return out.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + System.lineSeparator() + "--- stdout ---" + System.lineSeparator() + out
                    + "--- stderr ---" + System.lineSeparator() + err;
        }
    }

    static Result run(String... args) {
        return run(Map.of(), args);
    }

    static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Rosterctl.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
        return new Result(exitCode, out.toString(), err.toString());
    }

    /** Output of a command that is still running on another thread (a watch, a keep-alive). */
    static final class Running {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final Thread thread;
        volatile int exitCode = -1;

        Running(String... args) {
            thread = new Thread(() -> exitCode = Rosterctl.run(args, new PrintWriter(out, true), new PrintWriter(err, true),
                    Map.of()), "rosterctl " + String.join(" ", args));
            thread.setDaemon(true);
            thread.start();
        }

        String out() {
            return out.toString();
        }

        String err() {
            return err.toString();
        }

        boolean finished() {
            return !thread.isAlive();
        }
    }
}
