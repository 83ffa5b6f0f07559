package dev.netkit.reactor.cli;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;

/**
 * {@code server --jfr FILE}: a JFR recording with the JDK's "profile" settings, started before the server
 * accepts and written to FILE exactly once when the server stops, by whichever of the shutdown paths gets
 * there first ({@link #finish()}).
 *
 * <p><b>The JVM's own JFR shutdown hook.</b> JFR registers a shutdown hook of its own, which stops every
 * running recording and writes those that have a destination, and shutdown hooks run concurrently in no
 * set order. So on SIGTERM/SIGINT the file is written by whichever hook stops the recording first: usually
 * JFR's, since ours first shuts the server down, and then the events of that shutdown (the connections
 * closed for it) are not in the file. Either way JFR writes it under its recorder lock, and a {@code stop}
 * that finds it already stopped waits for that lock, so the file is complete before the later hook
 * returns, hence before the JVM exits. With {@code --duration-s} the server stops, then the recording, all
 * before {@code System.exit}, and the file has the whole shutdown. One window is left: if our hook's
 * {@code stop} ends the recording and JFR's hook then runs between that stop and its copy to the file (a
 * few microseconds), JFR deletes its repository under the copy and the file comes out short; our hook
 * reaches {@code stop} only after the server's shutdown, long after JFR's hook began, so this needs the
 * JFR hook thread to have been held off the CPU for all that time.
 *
 * <p><b>Thread safety.</b> {@link #finish()} and {@link #discard()} may be called from any thread, any
 * number of times, concurrently too: the first call does the work, a concurrent one waits for it.
 */
final class JfrRecording {
    private final Recording recording;
    private final Path file;
    private final PrintStream out;
    private boolean done;           // guarded by this

    private JfrRecording(Recording recording, Path file, PrintStream out) {
        this.recording = recording;
        this.file = file;
        this.out = out;
    }

    /**
     * Starts recording with the "profile" settings and the reactor's own events
     * ({@link dev.netkit.reactor.Server#jfrEventNames()}) into {@code file} and prints one line saying where
     * the recording goes.
     *
     * @param file where the recording is written when it stops (replaced if it exists)
     * @param out  where the lines go
     * @return the running recording
     * @throws IOException if {@code file} cannot be written
     */
    static JfrRecording start(Path file, PrintStream out) throws IOException {
        Configuration profile;
        try {
            profile = Configuration.getConfiguration("profile");
        } catch (ParseException e) {
            throw new IllegalStateException("the JDK's JFR \"profile\" settings do not parse", e);
        }
        Path abs = file.toAbsolutePath();
        Recording r = new Recording(profile);
        for (String event : dev.netkit.reactor.Server.jfrEventNames()) {
            r.enable(event);                // a .jfc leaves events it does not name off: the reactor's own
        }
        try {
            r.setName("netkit-server");
            r.setToDisk(true);
            r.setDestination(abs);
            r.start();
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
        out.println("netkit: JFR recording (the JDK's \"profile\" settings) to " + abs
                + ", written when the server stops; read it with: profile " + abs);
        out.flush();
        return new JfrRecording(r, abs, out);
    }

    /**
     * Stops the recording and writes the file, once: a later or concurrent call does nothing more (a
     * concurrent one returns once the first has). Prints one line saying the file was written.
     *
     * @return true if this call wrote the file; false if an earlier call did, or the JVM's JFR shutdown hook
     *         stopped and wrote it first (see the class comment), or it was {@link #discard() discarded}
     */
    synchronized boolean finish() {
        if (done) {
            return false;
        }
        done = true;
        boolean ours;
        try {
            recording.stop();       // writes the destination (and closes the recording)
            ours = true;
        } catch (IllegalStateException alreadyStopped) {
            ours = false;           // the JVM's JFR shutdown hook stopped it and wrote the file, under the lock stop took
        } finally {
            closeQuietly();
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            size = -1;
        }
        out.println("netkit: JFR recording written to " + file + " (" + (size < 0 ? "size unknown" : size + " bytes")
                + (ours ? ")" : ", by the JVM's JFR shutdown hook)"));
        out.flush();
        return ours;
    }

    /** Closes the recording without writing it (the server did not start); any thread, idempotent. */
    synchronized void discard() {
        done = true;
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            recording.close();
        } catch (RuntimeException ignored) {
            // JFR already torn down by its shutdown hook
        }
    }

    /** @return where the recording goes (absolute) */
    Path file() {
        return file;
    }
}
