package dev.halt.core.macos;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decision table ({@code sbpl/decisions.csv}) decided by {@link SbplModel} over the generated
 * profiles: ordering and specificity mistakes of the generator show here, on any OS.
 * {@code SeatbeltDecisionTableTest} runs the same rows under Seatbelt on a Mac, which keeps the
 * model honest.
 */
class SbplDecisionTableTest {

    @TestFactory
    Stream<DynamicTest> everyRowOnTheModel() {
        var fixture = SbplCases.modelFixture();
        var models = new LinkedHashMap<String, SbplModel>();
        for (var name : SbplCases.NAMES) {
            models.put(name, SbplModel.of(SbplProfile.generate(SbplCases.policy(name, fixture), SbplCases.environment(name, fixture))));
        }
        return SbplCases.decisions().stream().map(d -> DynamicTest.dynamicTest(d.toString(), () -> {
            var target = fixture.expand(d.target());
            var model = models.get(d.caseName());
            var allowed = SbplCases.requests(d.probe(), target).stream().allMatch(model::allows);
            assertEquals(d.allowed(), allowed, d.toString());
        }));
    }

    @Test
    void theTableCoversEveryCaseAndEveryProbeBothWays() {
        var rows = SbplCases.decisions();
        Map<String, int[]> byProbe = new LinkedHashMap<>();
        for (var d : rows) byProbe.computeIfAbsent(d.probe(), p -> new int[2])[d.allowed() ? 0 : 1]++;
        for (var name : SbplCases.NAMES) assertTrue(rows.stream().anyMatch(d -> d.caseName().equals(name)), name);
        for (var probe : List.of("read", "list", "create", "exec", "link", "clone", "connect", "connect-unix", "bind", "mach")) {
            var counts = byProbe.get(probe);
            assertTrue(counts != null && counts[0] > 0 && counts[1] > 0, probe + " needs an allowed and a denied row");
        }
        assertTrue(rows.stream().filter(SbplCases.Decision::real).count() >= rows.size() * 3 / 4,
            "most rows run for real on the macOS runner");
    }
}
