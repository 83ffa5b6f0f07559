package dev.netkit.reactor.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netkit.reactor.CloseReason;
import dev.netkit.reactor.Server;
import dev.netkit.reactor.ServerConfig;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The "Write your own protocol" example of the reactor's EVIDENCE.md: its code is this package's
 * {@code Shout.java}, verbatim (checked here, so the text cannot drift from code that compiles), and it works.
 */
class ShoutTest {
    @Test
    void theEvidenceShowsExactlyTheCodeThatCompiles() throws Exception {
        Path root = Path.of(System.getProperty("user.dir"));     // the reactor module
        String evidence = Files.readString(root.resolve("EVIDENCE.md"));
        String source = Files.readString(root.resolve("src/test/java/dev/netkit/reactor/readme/Shout.java"));
        String shown = source.substring(source.indexOf("import "));
        assertTrue(evidence.contains("```text\n" + shown + "```\n"),
                "reactor/EVIDENCE.md must show Shout.java from its first import to its end, verbatim");
        assertTrue(evidence.contains("Server server = Server.start(ServerConfig.builder().build(), Shout::new);"));
    }

    @Test
    void eachLineComesBackInUpperCaseAndByeCloses() throws Exception {
        Server server = Server.start(ServerConfig.builder().build(), Shout::new);
        try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            out.write("hello\nwor".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("HELLO", in.readLine());
            out.write("ld\n".getBytes(StandardCharsets.US_ASCII));      // a line split across reads
            assertEquals("WORLD", in.readLine());
            out.write("bye\nignored\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("BYE", in.readLine());
            assertEquals(null, in.readLine());                          // closed after BYE was written
        } finally {
            server.shutdown(Duration.ofSeconds(1));
        }
        assertEquals(1, server.stats().closed(CloseReason.APPLICATION));
    }

    @Test
    void aLineWithoutNewlineIsMalformed() throws Exception {
        Server server = Server.start(ServerConfig.builder().build(), Shout::new);
        try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
            s.getOutputStream().write(new byte[Shout.MAX_LINE]);
            assertEquals(-1, s.getInputStream().read());
        } finally {
            server.shutdown(Duration.ofSeconds(1));
        }
        assertEquals(1, server.stats().closed(CloseReason.MALFORMED_FRAME));
    }
}
