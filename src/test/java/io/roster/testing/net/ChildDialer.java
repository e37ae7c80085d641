package io.roster.testing.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** A separate process that dials a loopback port, sends one line and holds the connection open. */
final class ChildDialer implements AutoCloseable {

    private final Process process;

    private ChildDialer(Process process) {
        this.process = process;
    }

    /** The shell execs into sleep, so the pid that holds the socket is the one started here. */
    static ChildDialer dial(InetSocketAddress address, String line) throws IOException {
        String script = "exec 3<>/dev/tcp/" + address.getAddress().getHostAddress() + "/" + address.getPort()
                + " && printf '%s\\n' \"$1\" >&3 && exec sleep 60";
        Process process = new ProcessBuilder("bash", "-c", script, "dialer", line)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return new ChildDialer(process);
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
