package dev.halt.core.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** halt allow --save: the project file edited as text, against what the user trusted, and trusted again. */
class ProjectFileEditTest extends WithFixture {
    @Test
    void theEntryGoesFirstInTheListKeepingTheCommentsAndTheResultIsTrusted() throws Exception {
        f.project("""
                # my project
                [proxy]
                upstream_dns = ["1.1.1.1"]
                domain_allowlist = [
                  "a.test", # needed for x
                ]
                """);
        var plan = assertInstanceOf(ProjectFileEdit.Plan.Edit.class,
            ProjectFileEdit.plan(f.locations(), false, List.of("New.Test.", "a.test")));
        var edit = plan.edit();
        assertEquals(List.of("new.test"), edit.added(), "a.test is there already; the new one in the proxy's spelling");
        var text = new String(edit.after());
        assertTrue(text.contains("domain_allowlist = [\"new.test\", \n  \"a.test\", # needed for x"), text);
        assertTrue(edit.diff().contains("- domain_allowlist = [") && edit.diff().contains("+ domain_allowlist = [\"new.test\", "),
            edit.diff());
        edit.write(f.locations());
        assertEquals(TrustStore.Status.TRUSTED, TrustStore.of(f.locations()).check(f.locations().projectFile(),
            Files.readAllBytes(f.locations().projectFile())));
        var policy = f.loaded(CommandLineOptions.NONE).policy();
        assertEquals(List.of("new.test", "a.test"), policy.proxy().allowlist().stream().map(Object::toString).toList());
        assertInstanceOf(ProjectFileEdit.Plan.Unchanged.class, ProjectFileEdit.plan(f.locations(), false, List.of("new.test")));
    }

    @Test
    void aMissingListGoesUnderProxyAndAMissingTableAtTheEnd() {
        f.project("[proxy]\nmax_connections = 10\n");
        var edit = ((ProjectFileEdit.Plan.Edit) ProjectFileEdit.plan(f.locations(), true, List.of("evil.test"))).edit();
        assertEquals("[proxy]\ndomain_denylist = [\"evil.test\"]\nmax_connections = 10\n", new String(edit.after()));
        f.project("[sandbox]\nallow_unix_sockets = false");
        edit = ((ProjectFileEdit.Plan.Edit) ProjectFileEdit.plan(f.locations(), false, List.of("a.test"))).edit();
        assertEquals("[sandbox]\nallow_unix_sockets = false\n\n[proxy]\ndomain_allowlist = [\"a.test\"]\n", new String(edit.after()));
    }

    @Test
    void aFileChangedSinceItWasTrustedOrWrittenOtherwiseIsRefused() {
        f.project("[proxy]\n");
        f.untrustedProject("[proxy]\ndomain_allowlist = [\"planted.test\"]\n");
        var refused = assertInstanceOf(ProjectFileEdit.Plan.Refused.class, ProjectFileEdit.plan(f.locations(), false, List.of("a.test")));
        assertTrue(refused.why().contains("changed since you last trusted it"), refused.why());
        f.project("proxy = { domain_allowlist = [\"a.test\"] }\n");
        refused = assertInstanceOf(ProjectFileEdit.Plan.Refused.class, ProjectFileEdit.plan(f.locations(), false, List.of("b.test")));
        assertTrue(refused.why().contains("yourself"), refused.why());
    }
}
