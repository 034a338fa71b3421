package dev.halt.core.control;

import dev.halt.core.policy.PathAccess;
import dev.halt.core.policy.PathGrant;
import dev.halt.core.policy.SandboxPolicy;
import dev.halt.core.policy.ValueSource;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Which runs get a control socket, and that --ask, answered through it, does not start without one. */
@Tag("linux")
class RunSocketTest {
    @TempDir
    Path tmp;

    @Test
    void aRunWhoseWriteGrantHoldsTheControlDirectoryHasNoSocketAndAskDoesNotStart() throws Exception {
        var runtime = Files.createDirectories(tmp.resolve("runtime"));
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
        var env = Map.of("XDG_RUNTIME_DIR", runtime.toString());
        var exposed = SandboxPolicy.builder(tmp).grant(new PathGrant(runtime, PathAccess.READ_WRITE,
            new ValueSource.Programmatic("a grant over the runtime directory"))).build();

        var none = assertInstanceOf(RunSocket.None.class, RunSocket.forRun(exposed, env, false, false));
        assertTrue(none.warning().contains("lies in the write grant " + runtime), none.warning());
        var refused = assertInstanceOf(RunSocket.Refused.class, RunSocket.forRun(exposed, env, true, true));
        assertTrue(refused.message().startsWith("--ask is answered through the run's control socket"), refused.message());
        assertTrue(refused.message().endsWith("Nothing was run."), refused.message());

        var open = assertInstanceOf(RunSocket.Open.class, RunSocket.forRun(SandboxPolicy.builder(tmp).build(), env, false, true));
        open.server().close();
    }
}
