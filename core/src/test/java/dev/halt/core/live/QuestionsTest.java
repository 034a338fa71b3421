package dev.halt.core.live;

import dev.halt.core.LiveNetwork.Answer;
import dev.halt.core.LiveNetwork.Question;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The questions of --ask: one per name however many requests wait, answered or refused at the deadline. */
class QuestionsTest {

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final List<String> grants = new CopyOnWriteArrayList<>();

    private Questions questions(Duration timeout) {
        return new Questions(timeout, new PrintStream(console, true, StandardCharsets.UTF_8), "halt watch --ask 1",
            (host, port, answer) -> grants.add(host + ":" + port + ":" + answer));
    }

    @Test
    void unwatchedTheQuestionIsAnnouncedOnceAndRefusedAtItsDeadline() throws Exception {
        var q = questions(Duration.ofMillis(300));
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var first = pool.submit(() -> q.approve("asked.test", 443));
            var second = pool.submit(() -> q.approve("asked.test", -1));
            assertFalse(first.get(5, TimeUnit.SECONDS).allowed());
            assertTrue(second.get(5, TimeUnit.SECONDS).reason().startsWith("no answer within"), second.get().reason());
        }
        var lines = console.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), "one question for both requests: " + lines);
        assertTrue(lines.getFirst().contains("holding asked.test:443") && lines.getFirst().contains("'halt watch --ask 1'"),
            lines.getFirst());
        assertEquals(List.of(), grants);
    }

    @Test
    void aWatcherGetsTheWaitingQuestionAndItsAnswerIsGrantedBeforeTheRequestsGoOn() throws Exception {
        var q = questions(Duration.ofSeconds(10));
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var held = pool.submit(() -> q.approve("asked.test", 443));
            while (console.size() == 0) Thread.sleep(10);
            var seen = new ArrayList<Question>();
            try (var watching = q.subscribe(seen::add)) {
                assertEquals(1, seen.size(), "the waiting question reaches a watcher that comes later");
                assertTrue(q.answer(seen.getFirst().id(), Answer.RUN));
                assertFalse(q.answer(seen.getFirst().id(), Answer.DENY), "answered once");
                var decision = held.get(5, TimeUnit.SECONDS);
                assertTrue(decision.allowed(), decision.reason());
                assertEquals(List.of("asked.test:443:RUN"), grants);

                var refused = pool.submit(() -> q.approve("other.test", 80));
                while (seen.size() < 2) Thread.sleep(10);
                assertTrue(q.answer(seen.get(1).id(), Answer.DENY));
                assertEquals("refused at the prompt", refused.get(5, TimeUnit.SECONDS).reason());
            }
        }
        assertEquals(1, console.toString(StandardCharsets.UTF_8).lines().count(), "announced on stderr only while nobody watched");
    }
}
