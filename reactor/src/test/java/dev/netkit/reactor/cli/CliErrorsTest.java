package dev.netkit.reactor.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every value error of the CLI is one line on stderr and exit status 2, never a stack trace: run in process
 * through {@link Main#commandLine()}, the command line {@code main} runs.
 */
@Timeout(60) // a hang guard, not a timing assertion
class CliErrorsTest {

    /** What one run printed and returned. */
    record Run(int status, String out, String err, List<Thread> hooks) {
    }

    /** Runs the CLI in process; the server's shutdown hooks are collected, not registered. */
    static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        Main.ServerCommand server = cl.getSubcommands().get("server").getCommand();
        List<Thread> hooks = new ArrayList<>();
        server.shutdownHooks = hooks::add;
        server.out = new PrintStream(PrintStream.nullOutputStream());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new Run(status, out.toString(), err.toString(), hooks);
    }

    /** Asserts exit status 2 and one line on stderr holding each part, without an exception or stack trace. */
    static void assertValueError(Run r, String... parts) {
        assertEquals(2, r.status(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        for (String part : parts) {
            assertTrue(r.err().contains(part), () -> "expected '" + part + "' in: " + r.err());
        }
        assertTrue(r.hooks().isEmpty(), "no server was started");
    }

    /** A loopback port with nothing listening (bound, then closed). */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void portOutOfRange() {
        assertValueError(run("server", "--port", "70000"), "netkit-reactor server: ", "--port must be in [0, 65535]: 70000");
        assertValueError(run("server", "--port", "-1"), "--port must be in [0, 65535]: -1");
        assertValueError(run("load", "--port", "70000"), "netkit-reactor load: ", "--port must be in [1, 65535]: 70000");
        assertValueError(run("idle", "--port", "0"), "--port must be in [1, 65535]: 0");
        assertValueError(run("fetch", "--name", "x", "--port", "65536"), "--port must be in [1, 65535]: 65536");
        assertValueError(run("server", "--port", "seven"), "--port", "'seven' is not an int");
    }

    @Test
    void unknownProtocolListsTheValidOnes() {
        assertValueError(run("server", "--protocol", "smtp"), "unknown protocol 'smtp'", "echo, relay, pubsub, file");
        assertValueError(run("load", "--protocol", "smtp"), "unknown protocol 'smtp'", "echo, relay, pubsub, file");
    }

    @Test
    void ringSizeNotAPowerOfTwo() {
        assertValueError(run("server", "--in-ring", "1000"), "--in-ring 1000: ", "power of two");
        assertValueError(run("server", "--out-ring", "3000"), "--out-ring 3000: ", "power of two");
    }

    @Test
    void negativeCounts() {
        assertValueError(run("load", "-c", "-5"), "connections", "-5");
        assertValueError(run("idle", "--connections", "-5"), "--connections must be in [1, 4194304]: -5");
        assertValueError(run("fetch", "--name", "x", "-c", "-1"), "--connections must be in [1, 2147483647]: -1");
        assertValueError(run("fetch", "--name", "x", "-n", "-1"), "--requests must be in [1, 2147483647]: -1");
        assertValueError(run("load", "-d", "-1"), "--duration-s must be in [1, inf]: -1");
        assertValueError(run("server", "--max-connections", "-1"), "--max-connections -1: ");
        assertValueError(run("server", "--duration-s", "-1"), "--duration-s must be in [0, inf]: -1");
        assertValueError(run("demo", "-c", "-1"), "--connections must be in [1, 4194304]: -1");
        assertValueError(run("profile", "--top", "0", "x.jfr"), "--top must be at least 1: 0");
    }

    @Test
    void negativeReactorsAreRejected() {
        assertValueError(run("server", "--reactors", "-3"), "--reactors must be 0 (one per available processor) or more: -3");
        assertValueError(run("server", "--reactors", "1000"), "--reactors 1000: ");
        assertValueError(run("demo", "--reactors", "-3"), "--reactors must be in [0, 256]: -3");
    }

    @Test
    void portInUseIsNamed() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertValueError(run("server", "--bind", "127.0.0.1", "--port", Integer.toString(port), "--duration-s", "1"),
                    "cannot listen on 127.0.0.1:" + port, "(--port " + port + ")");
        }
    }

    @Test
    void aLoadTargetThatRefusesConnections() throws IOException {
        String port = Integer.toString(closedPort());
        String refused = "cannot connect to 127.0.0.1:" + port + ": ";
        assertValueError(run("load", "--port", port, "-d", "1", "-w", "0", "--quiet"), refused);
        assertValueError(run("idle", "--port", port, "--hold-s", "0"), refused);
        assertValueError(run("fetch", "--port", port, "--name", "x"), refused);
    }

    @Test
    void unknownOptionIsOneLine() {
        assertValueError(run("server", "--no-such-option"), "netkit-reactor server: ", "--no-such-option");
        assertValueError(run("fetch"), "netkit-reactor fetch: ", "--name");     // a required option missing
    }

    @Test
    void unwritableJfrPathAndNegativeStatsInterval(@TempDir Path dir) {
        assertValueError(run("server", "--port", "0", "--jfr", dir.resolve("no/such/dir/x.jfr").toString(),
                "--duration-s", "1"), "netkit-reactor server: --jfr: cannot write ");
        assertValueError(run("server", "--stats-interval", "-1"), "--stats-interval must be 0 (off) or more seconds: -1");
    }

    @Test
    void versionComesFromTheJarManifest() {
        Run r = run("-V");
        assertEquals(0, r.status(), r.err());
        // from target/classes there is no manifest: the fallback; from the jar, Implementation-Version
        String expected = Main.Version.line(Main.class.getPackage().getImplementationVersion());
        assertEquals(expected + System.lineSeparator(), r.out());
        assertEquals("netkit reactor 1.2.3", Main.Version.line("1.2.3"));
        assertTrue(Main.Version.line(null).startsWith("netkit reactor (development build"), Main.Version.line(null));
        assertEquals(0, run("server", "--version").status());
    }
}
