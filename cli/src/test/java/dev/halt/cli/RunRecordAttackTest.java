package dev.halt.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A rootless run whose write grants hold halt's run records ({@code XDG_STATE_HOME} inside the
 * workspace): halt says it keeps no record of that run, and runs it. The child writes a record of
 * a made-up killed run, whose "snapshot" holds a file of its choosing outside every grant with its
 * own content; the next halt command, unsandboxed, "repairs" that file. The victim stands for the
 * user's {@code ~/.bashrc}. Either the first run is refused or the next halt ignores the record: the
 * victim keeps its content.
 */
@Tag("linux")
class RunRecordAttackTest {

    @TempDir
    static Path temp;
    static String classPath;
    static boolean asNobody;

    /** Writes run record format 1 (RunRecord.write with SnapshotFormat.write): argv target, content, state dir. */
    private static final String PLANT = """
        import os, struct, sys
        target, content, state = sys.argv[1], sys.argv[2].encode(), sys.argv[3]
        def utf(s):
            b = s.encode()
            return struct.pack('>H', len(b)) + b
        def paths(ps):
            return struct.pack('>i', len(ps)) + b''.join(utf(p) for p in ps)
        snapshot = struct.pack('>i', 1) + paths(['/']) + paths([target]) + struct.pack('>i', 1)
        snapshot += utf(target) + b'f' + struct.pack('>iqqqi', 0o644, len(content), 1, 1, len(content)) + content
        snapshot += struct.pack('>i', 0) + paths([])
        record = struct.pack('>ii', 0x68616c74, 1) + utf('') + b'\\x01' + snapshot
        runs = os.path.join(state, 'halt', 'runs')
        os.makedirs(runs, exist_ok=True)
        open(os.path.join(runs, '999999-1.run'), 'wb').write(record)
        print('planted')
        """;

    @BeforeAll
    static void setUp() throws Exception {
        int abi = HaltProcess.landlockAbi();
        assumeTrue(abi >= 1, "[landlock-abi-1] needs Landlock, this kernel has ABI " + abi);
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "[tool-python3] needs /usr/bin/python3");
        asNobody = HaltProcess.asNobody();
        classPath = HaltProcess.prepareForHaltsUser(temp);
    }

    @Test
    void aRecordPlantedByTheChildWritesNothingAtTheNextHalt() throws Exception {
        var ws = Files.createDirectories(temp.resolve("ws"));
        Files.writeString(ws.resolve("plant.py"), PLANT);
        var victim = Files.writeString(Files.createDirectories(temp.resolve("home-of-the-user")).resolve(".bashrc"), "# the user's\n");
        for (var p : new Path[] {ws, ws.resolve("plant.py"), victim.getParent(), victim}) {
            if (asNobody) Files.setAttribute(p, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);
        }
        var state = ws.resolve("state");
        var env = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", temp.resolve("home").toString(),
            "XDG_CONFIG_HOME", temp.resolve("config").toString(), "XDG_STATE_HOME", state.toString());

        var first = HaltProcess.run(HaltProcess.command(classPath, asNobody, "run", "--network", "unrestricted", "--",
            "/usr/bin/python3", "plant.py", victim.toString(), "echo planted-by-the-sandbox\n", state.toString()), ws, env);
        var next = HaltProcess.run(HaltProcess.command(classPath, asNobody, "run", "--network", "unrestricted", "--", "true"),
            Files.createDirectories(temp.resolve("elsewhere")), env);

        assertEquals("# the user's\n", Files.readString(victim), first.out() + first.err() + next.err());
    }
}
