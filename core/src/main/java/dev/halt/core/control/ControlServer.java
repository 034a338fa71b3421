package dev.halt.core.control;

import dev.halt.core.LiveNetwork;
import dev.halt.core.SandboxBackend;
import dev.halt.core.json.JsonReader;
import dev.halt.core.json.JsonWriter;
import dev.halt.core.linux.sys.ProcessIdentity;
import dev.halt.proxy.DecisionEvent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.AsynchronousCloseException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A run's control socket: the JSON-lines protocol of {@code halt ps}, {@code allow}, {@code deny},
 * {@code watch} and {@code stop} (see the README, "Live control"), served from one platform thread
 * that accepts and one per connection.
 *
 * <p>Who may control the run: a process of the same user ({@code SO_PEERCRED}), that is not one of
 * the run's own ({@link ControlConnection.Peer#ofRun}), and that sends the run's token, a random
 * value in a file of mode 0600 beside the socket, which no sandbox may read (the directory is outside
 * every grant). A peer that fails the first two is refused before halt reads a byte from it.
 */
public final class ControlServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("halt");
    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_SESSIONS = 32;
    private static final int EVENT_QUEUE = 4096;

    private final Path socket;
    private final Path tokenFile;
    private final byte[] token;
    private final ControlListener listener;
    private final int uid;
    private volatile RunDescription run;
    private volatile LiveNetwork network;
    private volatile java.util.function.Function<java.util.function.Consumer<String>, AutoCloseable> fileDenials;
    private volatile Runnable stop;
    private final Semaphore sessions = new Semaphore(MAX_SESSIONS);
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final Set<ControlConnection> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private ControlServer(Path socket, Path tokenFile, byte[] token, ControlListener listener) {
        this.socket = socket;
        this.tokenFile = tokenFile;
        this.token = token;
        this.listener = listener;
        this.uid = ControlDirectory.effectiveUid();
        this.acceptor = Thread.ofPlatform().daemon(true).name("halt-control").unstarted(this::acceptLoop);
    }

    /** Whether this platform has control sockets (Linux; not yet macOS). */
    public static boolean supported() {
        return SandboxBackend.current().controlSockets();
    }

    /**
     * Writes the run's token and binds its socket in {@code directory}, before the run starts: a
     * socket halt cannot make stops the run before anything runs. {@link #serve} starts answering.
     */
    public static ControlServer open(ControlDirectory directory) throws IOException {
        var self = ProcessIdentity.self();
        var socket = directory.socket(self.pid(), self.startTicks());
        var tokenFile = ControlDirectory.tokenOf(socket);
        var token = new byte[32];
        new SecureRandom().nextBytes(token);
        // Left by an earlier halt with this PID and start time: impossible but for a reboot's reuse.
        Files.deleteIfExists(socket);
        Files.deleteIfExists(tokenFile);
        try (var out = Files.newByteChannel(tokenFile, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            out.write(java.nio.ByteBuffer.wrap((HexFormat.of().formatHex(token) + "\n").getBytes(StandardCharsets.US_ASCII)));
        }
        ControlListener listener;
        try {
            listener = SandboxBackend.current().listenForControl(socket);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tokenFile);
            throw e;
        }
        return new ControlServer(socket, tokenFile, token, listener);
    }

    /**
     * Starts answering for the run that started.
     *
     * @param fileDenials subscribes a listener to the run's filesystem denials ({@link dev.halt.core.SandboxedProcess#onFileDenial})
     * @param stop what {@code halt stop} does: end the run as SIGTERM to halt would
     */
    public void serve(RunDescription run, LiveNetwork network,
                      java.util.function.Function<java.util.function.Consumer<String>, AutoCloseable> fileDenials, Runnable stop) {
        this.run = run;
        this.network = network;
        this.fileDenials = fileDenials;
        this.stop = stop;
        listener.run(run.childPid());
        acceptor.start();
        LOG.log(Level.INFO, "control socket " + socket + ": halt ps, allow, deny, watch and stop reach this run as " + run.haltPid());
    }

    /** The socket's path. */
    public Path socket() {
        return socket;
    }

    private void acceptLoop() {
        while (!closed) {
            ControlConnection connection;
            try {
                connection = listener.accept();
            } catch (AsynchronousCloseException e) {
                break;
            } catch (IOException e) {
                if (closed) break;
                LOG.log(Level.WARNING, "control socket: " + e.getMessage());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    break;
                }
                continue;
            }
            var refusal = refusal(connection.peer());
            if (refusal != null) {
                LOG.log(Level.WARNING, "refused a connection to the control socket from process " + connection.peer().pid()
                    + ": " + refusal);
                reply(connection, error("refused: " + refusal));
                connection.close();
                continue;
            }
            if (!sessions.tryAcquire()) {
                reply(connection, error("busy: " + MAX_SESSIONS + " connections are open"));
                connection.close();
                continue;
            }
            open.add(connection);
            Thread.ofPlatform().daemon(true).name("halt-control-session").start(() -> {
                try {
                    serve(connection);
                } finally {
                    open.remove(connection);
                    connection.close();
                    sessions.release();
                }
            });
        }
        listener.close();
    }

    /** Why {@code peer} may not control the run, or null. */
    private String refusal(ControlConnection.Peer peer) {
        if (peer.uid() != uid) return "process " + peer.pid() + " runs as uid " + peer.uid() + ", not as halt's user (uid " + uid + ")";
        if (peer.ofRun() != null) return peer.ofRun() + ": the sandboxed command may not control its own sandbox";
        return null;
    }

    private void serve(ControlConnection connection) {
        var lines = new LineReader(connection);
        Map<String, Object> request;
        try {
            var first = lines.next();
            if (first == null) return;
            request = JsonReader.parseObject(first);
        } catch (IOException | IllegalArgumentException e) {
            reply(connection, error("bad request: " + e.getMessage()));
            return;
        }
        if (!(request.get("token") instanceof String given) || !tokenMatches(given)) {
            LOG.log(Level.WARNING, "refused a request on the control socket from process " + connection.peer().pid()
                + ": wrong token");
            reply(connection, error("refused: wrong token (it is in " + tokenFile + ")"));
            return;
        }
        var op = request.get("op") instanceof String s ? s : "";
        switch (op) {
            case "status" -> reply(connection, ok(Map.of("run", status())));
            case "allow", "deny" -> reply(connection, change(op, request.get("hosts")));
            case "stop" -> {
                reply(connection, ok(Map.of()));
                LOG.log(Level.INFO, "halt stop from process " + connection.peer().pid() + ": ending the run");
                stop.run();
            }
            case "watch" -> watch(connection, lines, Boolean.TRUE.equals(request.get("ask")));
            default -> reply(connection, error("unknown op \"" + op + "\": use status, allow, deny, watch or stop"));
        }
    }

    private boolean tokenMatches(String given) {
        byte[] bytes;
        try {
            bytes = HexFormat.of().parseHex(given);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(bytes, token);
    }

    private Map<String, Object> change(String op, Object hosts) {
        if (!(hosts instanceof List<?> list) || list.isEmpty() || !list.stream().allMatch(String.class::isInstance)) {
            return error("\"hosts\" must be a list of strings");
        }
        var entries = list.stream().map(String.class::cast).toList();
        try {
            var change = op.equals("allow") ? network.allow(entries) : network.deny(entries);
            var fields = new LinkedHashMap<String, Object>();
            fields.put("added", change.added());
            fields.put("unchanged", change.unchanged());
            fields.put("removed", change.removedFromOther());
            fields.put("still_refused", change.stillRefused());
            fields.put("connections_cut", (long) change.connectionsCut());
            fields.put("addresses_forgotten", (long) change.addressesForgot());
            fields.put("allowlist", network.allowlist());
            fields.put("denylist", network.denylist());
            LOG.log(Level.INFO, "halt " + op + ": " + String.join(" ", entries) + " (added " + change.added() + ")");
            return ok(fields);
        } catch (IllegalArgumentException | IllegalStateException e) {
            return error(e.getMessage());
        }
    }

    /** The run's description and counts: the {@code run} object of the protocol. */
    private Map<String, Object> status() {
        var s = new LinkedHashMap<String, Object>();
        s.put("id", Long.toString(run.haltPid()));
        s.put("halt_pid", run.haltPid());
        s.put("pid", run.childPid());
        s.put("command", run.command());
        s.put("working_directory", run.workingDirectory().toString());
        s.put("started", run.started().toString());
        s.put("network", network.mode().configName());
        s.put("proxy", network.hasProxy());
        s.put("ask", network.asks());
        s.put("allowlist", network.allowlist());
        s.put("denylist", network.denylist());
        s.put("host_ports", network.exposedPorts().stream().map(Object::toString).toList());
        var c = network.counts();
        s.put("connections", ordered("allowed", c.allowed(), "refused", c.refused(), "failed", c.failed()));
        s.put("lookups", ordered("answered", c.lookupsAnswered(), "refused", c.lookupsRefused(), "failed", c.lookupsFailed()));
        return s;
    }

    /**
     * Streams the run's decisions (and with {@code ask} its questions) to {@code connection} until
     * the peer hangs up or the run ends; reads the answers the peer sends meanwhile.
     */
    private void watch(ControlConnection connection, LineReader lines, boolean ask) {
        var watch = new Watch(connection);
        reply(connection, ok(Map.of("run", status())));
        watches.add(watch);
        var writer = watch.startWriter();
        try (var decisions = network.onDecision(e -> watch.offer(decisionLine(e)));
             var files = fileDenials.apply(json -> watch.offer(decisionLine(json)));
             var questions = ask ? network.onQuestion(q -> watch.offer(questionLine(q))) : (AutoCloseable) () -> { }) {
            if (ask && !network.asks()) {
                watch.offer(line(ordered("event", "notice", "message", "this run does not ask: start it with halt run --ask")));
            }
            while (!closed) {
                String next;
                try {
                    next = lines.next();
                } catch (IOException e) {
                    break;
                }
                if (next == null) break;
                answer(watch, next);
            }
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "watch ended: " + e);
        } finally {
            watches.remove(watch);
            watch.finish();
            try {
                writer.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void answer(Watch from, String line) {
        Map<String, Object> request;
        try {
            request = JsonReader.parseObject(line);
        } catch (IllegalArgumentException e) {
            from.offer(line(error("bad request: " + e.getMessage())));
            return;
        }
        if (!"answer".equals(request.get("op")) || !(request.get("id") instanceof Long id)
            || !(request.get("answer") instanceof String word)) {
            from.offer(line(error("a watch takes {\"op\":\"answer\",\"id\":N,\"answer\":\"once|run|deny\"}")));
            return;
        }
        LiveNetwork.Answer answer;
        try {
            answer = LiveNetwork.Answer.valueOf(word.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            from.offer(line(error("answer \"" + word + "\": use once, run or deny")));
            return;
        }
        boolean taken = network.answer(id, answer);
        var event = line(ordered("event", "answered", "id", id, "answer", word.toLowerCase(java.util.Locale.ROOT), "ok", taken));
        if (taken) {
            for (var w : watches) w.offer(event);
        } else {
            from.offer(event);
        }
    }

    private static String decisionLine(DecisionEvent e) {
        return decisionLine(e.toJson());
    }

    /** A decision's JSON object (the decision log's line) as a watch event. */
    private static String decisionLine(String json) {
        return "{\"event\":\"decision\"," + json.substring(1);
    }

    private static String questionLine(LiveNetwork.Question q) {
        var fields = new LinkedHashMap<String, Object>();
        fields.put("event", "question");
        fields.put("id", q.id());
        fields.put("host", q.host());
        fields.put("port", (long) q.port());
        fields.put("asked", q.asked().toString());
        fields.put("deadline", q.deadline().toString());
        return line(fields);
    }

    /** A map of {@code name, value} pairs in their order: JSON members in a stable order. */
    static Map<String, Object> ordered(Object... pairs) {
        var m = new LinkedHashMap<String, Object>();
        for (int i = 0; i < pairs.length; i += 2) m.put((String) pairs[i], pairs[i + 1]);
        return m;
    }

    private static Map<String, Object> ok(Map<String, Object> fields) {
        var m = new LinkedHashMap<String, Object>();
        m.put("ok", true);
        m.putAll(fields);
        return m;
    }

    private static Map<String, Object> error(String message) {
        var m = new LinkedHashMap<String, Object>();
        m.put("ok", false);
        m.put("error", message);
        return m;
    }

    static String line(Map<String, Object> fields) {
        return JsonWriter.compact().tree(fields).toString();
    }

    private static void reply(ControlConnection connection, Map<String, Object> fields) {
        try {
            connection.write((line(fields) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "control reply not sent: " + e.getMessage());
        }
    }

    /**
     * Stops serving: watchers get an {@code end} event, every connection is closed, the socket and
     * the token file are removed.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        var end = line(Map.of("event", "end"));
        for (var w : watches) {
            w.offer(end);
            w.finish();
        }
        // The end goes out before the connections are shut: a watcher sees the run end, not a hang-up.
        for (var w : watches) w.awaitWriter(java.time.Duration.ofSeconds(1));
        listener.shutdown();
        if (acceptor.isAlive()) {
            try {
                acceptor.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            listener.close();
        }
        for (var c : open) c.shutdown();
        try {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(tokenFile);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove the control socket " + socket + ": " + e.getMessage());
        }
    }

    /** One {@code watch} connection: its events queue here and a writer thread sends them. */
    private static final class Watch {
        private static final String DONE = "";
        private final ControlConnection connection;
        private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(EVENT_QUEUE);
        private final AtomicLong dropped = new AtomicLong();
        private volatile boolean finished;
        private volatile Thread writer;

        Watch(ControlConnection connection) {
            this.connection = connection;
        }

        /** Queues a line; drops it when the watcher reads too slowly (the proxy never waits for one). */
        void offer(String line) {
            if (finished || !queue.offer(line)) dropped.incrementAndGet();
        }

        void finish() {
            if (finished) return;
            finished = true;
            queue.offer(DONE);
        }

        Thread startWriter() {
            writer = Thread.ofPlatform().daemon(true).name("halt-control-watch").start(this::drain);
            return writer;
        }

        /** Waits up to {@code timeout} for what is queued to be sent. */
        void awaitWriter(java.time.Duration timeout) {
            var w = writer;
            if (w == null) return;
            try {
                w.join(timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** The writer thread: sends what is queued until finished, then ends the connection. */
        void drain() {
            try {
                while (true) {
                    var next = queue.poll(1, TimeUnit.SECONDS);
                    if (next == null) {
                        if (finished) break;
                        continue;
                    }
                    if (next == DONE) {
                        // What was queued before the end goes out too.
                        var rest = new ArrayList<String>();
                        queue.drainTo(rest);
                        for (var r : rest) if (r != DONE) send(r);
                        break;
                    }
                    long lost = dropped.getAndSet(0);
                    if (lost > 0) send(line(ordered("event", "dropped", "count", lost)));
                    send(next);
                }
            } catch (IOException | InterruptedException e) {
                LOG.log(Level.DEBUG, "watch writer ended: " + e);
            } finally {
                connection.shutdown();
            }
        }

        private void send(String line) throws IOException {
            connection.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Lines of at most {@link #MAX_LINE} bytes from a connection. */
    private static final class LineReader {
        private final ControlConnection connection;
        private final byte[] buffer = new byte[4096];
        private int start;
        private int end;

        LineReader(ControlConnection connection) {
            this.connection = connection;
        }

        /** The next line without its end, or null at the end of the stream. */
        String next() throws IOException {
            var line = new ByteArrayOutputStream();
            while (true) {
                for (int i = start; i < end; i++) {
                    if (buffer[i] == '\n') {
                        line.write(buffer, start, i - start);
                        start = i + 1;
                        return line.toString(StandardCharsets.UTF_8);
                    }
                }
                line.write(buffer, start, end - start);
                if (line.size() > MAX_LINE) throw new IOException("a line longer than " + MAX_LINE + " bytes");
                start = 0;
                end = connection.read(buffer);
                if (end < 0) {
                    end = 0;
                    return line.size() > 0 ? line.toString(StandardCharsets.UTF_8) : null;
                }
            }
        }
    }
}
