package dev.netkit.reactor.cli;

import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code server --jfr} and {@code --stats-interval} in process, and {@link JfrRecording} written once (their
 * usage errors: {@link CliErrorsTest}).
 */
@Timeout(120) // a hang guard, not a timing assertion
class ServerCommandTest {

    private static long count(String text, String what) {
        return text.lines().filter(l -> l.contains(what)).count();
    }

    @Test
    void durationPathWritesTheRecordingOnceAndTheHookDoesNotAgain(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("server.jfr");
        Main.ServerCommand cmd = new Main.ServerCommand();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<Thread> hooks = new ArrayList<>();
        int status;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            cmd.out = out;
            cmd.shutdownHooks = hooks::add;
            status = new CommandLine(cmd).execute("--port", "0", "--reactors", "2", "--jfr", file.toString(),
                    "--duration-s", "1", "--stats-interval", "1");
            String afterCall = bytes.toString(StandardCharsets.UTF_8);
            assertEquals(0, status, afterCall);
            // the --duration-s path wrote it before returning (before System.exit would run the hooks)
            assertEquals(1, count(afterCall, "netkit: JFR recording written to " + file.toAbsolutePath()), afterCall);
            assertEquals(1, hooks.size());
            Thread hook = hooks.get(0);      // what System.exit runs next
            hook.start();
            hook.join();
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        int started = indexOf(lines, "netkit: JFR recording (the JDK's \"profile\" settings) to " + file.toAbsolutePath());
        int listening = indexOf(lines, Main.LISTENING);
        assertTrue(started >= 0 && listening > started, text);      // recording before the first accept
        assertEquals(1, count(text, "netkit: JFR recording written to "), text);   // once, not again by the hook
        assertEquals(1, count(text, "ServerStats["), text);
        assertTrue(Files.size(file) > 0);
        assertFalse(RecordingFile.readAllEvents(file).isEmpty());
        assertEquals(0, Profile.run(file, 5, 1, new PrintStream(PrintStream.nullOutputStream()), System.err));
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void concurrentFinishesWriteTheFileOnce(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("once.jfr");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
             ExecutorService ex = Executors.newFixedThreadPool(2)) {
            JfrRecording rec = JfrRecording.start(file, out);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> fs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                fs.add(ex.submit(() -> {
                    go.await();
                    return rec.finish();
                }));
            }
            go.countDown();
            int wrote = 0;
            for (Future<Boolean> f : fs) {
                wrote += f.get() ? 1 : 0;
            }
            assertEquals(1, wrote);
            assertFalse(rec.finish());
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, count(text, "netkit: JFR recording written to " + file.toAbsolutePath()), text);
        assertFalse(RecordingFile.readAllEvents(file).isEmpty());
    }
}
