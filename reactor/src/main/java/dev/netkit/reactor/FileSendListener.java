package dev.netkit.reactor;

import java.nio.channels.FileChannel;

/**
 * Told when a {@link Conn#sendFile(FileChannel, long, long, FileSendListener)} ends: the place to close the
 * file channel (its lifetime is the caller's) or to start the next file. Called once per accepted
 * {@code sendFile}, on the connection's loop, in the order the files were queued.
 */
@FunctionalInterface
public interface FileSendListener {
    /**
     * Called once per accepted {@code sendFile}, in queue order, on the connection's loop.
     *
     * @param conn     the connection
     * @param file     the channel passed to {@code sendFile}, not closed by the server
     * @param sent     how many of its bytes were written to the socket
     * @param complete true if all of them were; false if the connection closed first (an abort, a peer
     *                 reset, a shutdown whose deadline passed) or the file failed (closed, shorter than
     *                 asked, an I/O error: the connection is then closed with {@link CloseReason#IO_ERROR},
     *                 since its peer can no longer tell where the file ends)
     */
    void onFileSent(Conn conn, FileChannel file, long sent, boolean complete);
}
