package dev.halt.proxy;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A file of JSON objects, one a line ({@code --log FILE}), appended to by any thread without
 * waiting on the disk: lines go through a bounded queue that one writer thread drains. Several
 * sources may share one file (the proxy's decisions, halt's filesystem denials); each
 * {@link #append} is one whole line, so they never interleave.
 */
public final class JsonLinesFile implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(JsonLinesFile.class.getName());

    private final Path path;
    private final BufferedWriter file;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>(65_536);
    private final Thread writer;
    private final LongAdder dropped = new LongAdder();
    private volatile boolean closing;
    /** Queued by {@link #close()}: the writer ends once it reaches it, at once rather than at its next poll. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private final String end = new String("end");

    private JsonLinesFile(Path path, BufferedWriter file) {
        this.path = path;
        this.file = file;
        this.writer = Thread.ofPlatform().daemon(true).name("halt-log-writer").start(this::drain);
    }

    /**
     * Opens {@code path} for appending, creating it if needed.
     *
     * @throws IOException when it cannot be opened (the message names the path)
     */
    public static JsonLinesFile open(Path path) throws IOException {
        return new JsonLinesFile(path, Files.newBufferedWriter(path, StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE));
    }

    /** The file. */
    public Path path() {
        return path;
    }

    /**
     * Queues one JSON object (no line break inside) for the file. When the disk cannot keep up the
     * line is dropped rather than the caller stalled, and counted ({@link #dropped()}).
     */
    public void append(String jsonObject) {
        if (closing || !lines.offer(jsonObject)) dropped.increment();
    }

    /** Lines dropped because the queue was full, or appended after {@link #close()}. */
    public long dropped() {
        return dropped.sum();
    }

    private void drain() {
        var batch = new java.util.ArrayList<String>(256);
        while (true) {
            String first;
            try {
                first = lines.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                first = null;
                closing = true;
            }
            if (first == null) {
                if (closing && lines.isEmpty()) return;
                continue;
            }
            batch.clear();
            batch.add(first);
            lines.drainTo(batch, 4096);
            boolean last = false;
            try {
                for (String l : batch) {
                    if (l == end) {
                        last = true;
                        continue;
                    }
                    file.write(l);
                    file.write('\n');
                }
                file.flush(); // once per batch: an idle log is always complete on disk
            } catch (IOException ex) {
                LOG.log(System.Logger.Level.WARNING, "cannot write " + path + ": " + ex.getMessage());
            }
            if (last) return;
        }
    }

    /** Writes what is queued, then closes the file. */
    @Override
    public void close() {
        if (closing) return;
        closing = true;
        try {
            lines.put(end);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            file.close();
        } catch (IOException ex) {
            LOG.log(System.Logger.Level.WARNING, "cannot close " + path + ": " + ex.getMessage());
        }
        if (dropped.sum() > 0) {
            LOG.log(System.Logger.Level.WARNING, dropped.sum() + " events were not written to " + path + " (disk too slow)");
        }
    }
}
