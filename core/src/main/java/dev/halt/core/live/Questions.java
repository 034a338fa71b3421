package dev.halt.core.live;

import dev.halt.core.LiveNetwork.Answer;
import dev.halt.core.LiveNetwork.Question;
import dev.halt.proxy.Approver;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The questions of {@code halt run --ask}: the proxy's {@link Approver}. A name no allowlist entry
 * matches is one question, however many requests wait for it (a DNS lookup and the connection
 * after it, a client's retries); each request is held on its own thread until the question is
 * answered or its deadline passes. The answers come from {@code halt watch --ask} in another
 * terminal, never from halt's own, which the child shares. An answer widens the policy before the
 * held requests look again, so what they see is the policy in force.
 */
final class Questions implements Approver {
    private static final System.Logger LOG = System.getLogger("halt");

    private record Pending(Question question, CompletableFuture<Answer> answer) {}

    private final Duration timeout;
    private final PrintStream console;
    private final String askCommand;
    private final Grant grant;

    /** Applies an answer to the policy, before the requests held for the question look again. */
    @FunctionalInterface
    interface Grant {
        /** @param port the port of the request that asked, or -1 for a DNS lookup */
        void apply(String host, int port, Answer answer);
    }
    /** Guarded by {@code this}. */
    private final Map<String, Pending> byHost = new HashMap<>();
    /** Guarded by {@code this}: the questions not yet answered, by id. */
    private final Map<Long, Pending> byId = new HashMap<>();
    private final CopyOnWriteArrayList<Consumer<Question>> listeners = new CopyOnWriteArrayList<>();
    private long nextId = 1;

    /**
     * @param grant applies an answer to the policy ({@link RunNetwork}) before the held requests go on
     */
    Questions(Duration timeout, PrintStream console, String askCommand, Grant grant) {
        this.timeout = timeout;
        this.console = console;
        this.askCommand = askCommand;
        this.grant = grant;
    }

    @Override
    public Approver.Decision approve(String host, int port) {
        Pending pending;
        boolean asked = false;
        synchronized (this) {
            pending = byHost.get(host);
            if (pending == null) {
                var now = Instant.now();
                pending = new Pending(new Question(nextId++, host, port, now, now.plus(timeout)), new CompletableFuture<>());
                byHost.put(host, pending);
                byId.put(pending.question().id(), pending);
                asked = true;
            }
        }
        if (asked) announce(pending.question());
        long left = Duration.between(Instant.now(), pending.question().deadline()).toNanos();
        try {
            var answer = pending.answer().get(Math.max(0, left), TimeUnit.NANOSECONDS);
            return answer == Answer.DENY ? new Approver.Decision(false, "refused at the prompt")
                : new Approver.Decision(true, answer == Answer.ONCE ? "allowed once at the prompt" : "allowed for the run at the prompt");
        } catch (TimeoutException e) {
            expire(pending);
            return new Approver.Decision(false, "no answer within " + timeout.toSeconds() + " s (halt run --ask)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Approver.Decision(false, "interrupted while waiting for an answer");
        } catch (ExecutionException e) {
            return new Approver.Decision(false, "the answer failed: " + e.getCause());
        }
    }

    private void announce(Question question) {
        for (var l : listeners) {
            try {
                l.accept(question);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "question listener failed", e);
            }
        }
        if (listeners.isEmpty()) {
            var what = question.port() < 0 ? "the DNS lookup of " + question.host() : question.host() + ":" + question.port();
            console.println("halt: holding " + what + " for " + timeout.toSeconds() + " s: answer with '" + askCommand
                + "' in another terminal, or it is refused then");
        }
    }

    private synchronized void expire(Pending pending) {
        byId.remove(pending.question().id(), pending);
        byHost.remove(pending.question().host(), pending);
    }

    /** See {@link dev.halt.core.LiveNetwork#answer}. */
    boolean answer(long id, Answer answer) {
        Pending pending;
        synchronized (this) {
            pending = byId.remove(id);
            if (pending == null) return false;
        }
        // Widen the policy first: a request arriving meanwhile joins this question and sees it.
        try {
            grant.apply(pending.question().host(), pending.question().port(), answer);
        } finally {
            synchronized (this) {
                byHost.remove(pending.question().host(), pending);
            }
            pending.answer().complete(answer);
        }
        return true;
    }

    /** See {@link dev.halt.core.LiveNetwork#onQuestion}: the waiting questions go to {@code listener} at once. */
    AutoCloseable subscribe(Consumer<Question> listener) {
        Consumer<Question> entry = listener::accept;
        List<Question> waiting;
        synchronized (this) {
            listeners.add(entry);
            waiting = byId.values().stream().map(Pending::question).sorted(java.util.Comparator.comparingLong(Question::id)).toList();
        }
        waiting.forEach(listener);
        return () -> listeners.remove(entry);
    }
}
