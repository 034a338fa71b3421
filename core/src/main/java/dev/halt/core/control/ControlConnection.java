package dev.halt.core.control;

import java.io.IOException;

/**
 * One accepted connection of a control socket, and who is on its other end. One thread reads it
 * and, when done, closes it; other threads may write, and {@link #shutdown} it to wake the reader.
 */
public interface ControlConnection extends AutoCloseable {

    /** Who connected, as the kernel told it when the connection was made. */
    Peer peer();

    /** Reads into {@code buffer}: how many bytes, or -1 at the end of the stream. */
    int read(byte[] buffer) throws IOException;

    /** Writes all of {@code bytes}. */
    void write(byte[] bytes) throws IOException;

    /** Ends the connection both ways; a thread blocked reading it returns -1. */
    void shutdown();

    /** Releases the descriptor; call it from the reading thread, once no other thread uses the connection. */
    @Override
    void close();

    /**
     * The process at the other end.
     *
     * @param uid   its effective user id ({@code SO_PEERCRED})
     * @param pid   its process id, taken from a pidfd of it ({@code SO_PEERPIDFD}) where the kernel gives one
     * @param ofRun why it is a process of the run the socket controls (halt itself, a descendant, in the
     *              run's network namespace), or null when it is not one
     */
    record Peer(int uid, long pid, String ofRun) {}
}
