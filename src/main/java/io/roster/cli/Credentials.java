package io.roster.cli;

/** A {@code NAME[:PASSWORD]} argument, the password taken from the environment when the argument has none. */
record Credentials(String name, String password) {

    static Credentials parse(String argument, String passwordFromEnvironment) {
        int colon = argument.indexOf(':');
        return colon < 0 ? new Credentials(argument, passwordFromEnvironment)
                : new Credentials(argument.substring(0, colon), argument.substring(colon + 1));
    }

    boolean hasPassword() {
        return password != null && !password.isEmpty();
    }
}
