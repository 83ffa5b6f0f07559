package dev.netkit.reactor.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a process's resident memory and CPU time from {@code /proc} (Linux). Any thread. */
public final class ProcStats {
    private static final long CLOCK_TICKS_PER_SECOND = 100;     // USER_HZ on Linux

    private ProcStats() {
    }

    /**
     * A process's resident set size, from {@code /proc/<pid>/statm}.
     *
     * @param pid a process id
     * @return its resident set size in bytes, or -1 if unreadable
     */
    public static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] f = line.trim().split("\\s+");
                    return Long.parseLong(f[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * A process's CPU time, from {@code /proc/<pid>/stat}.
     *
     * @param pid a process id
     * @return its user + system CPU time in nanoseconds, or -1 if unreadable
     */
    public static long cpuNanos(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);       // utime, stime (fields 14, 15)
            return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
