package dev.halt.core.control;

import java.io.IOException;

/** A listening control socket: the platform's unix socket, which says who each peer is. */
public interface ControlListener extends AutoCloseable {

    /**
     * Names the run's command, whose processes (and halt itself) are told apart from others from
     * now on; until then every peer is refused.
     */
    void run(long childPid);

    /**
     * Waits for the next connection.
     *
     * @throws java.nio.channels.AsynchronousCloseException once {@link #shutdown} was called
     */
    ControlConnection accept() throws IOException;

    /** Stops accepting; a thread blocked in {@link #accept} returns with an exception. */
    void shutdown();

    /** Releases the socket; call it from the accepting thread, or once that has ended. */
    @Override
    void close();
}
