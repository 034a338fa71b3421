package dev.halt.core.linux.landlock;

import dev.halt.core.policy.NetworkMode;
import dev.halt.core.policy.PathAccess;
import dev.halt.core.policy.PathGrant;
import dev.halt.core.policy.SandboxPolicy;
import dev.halt.core.policy.ValueSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Grants through a symbolic link the sandboxed side could have planted. The user's own grant
 * through one stops the run; a default (git's configuration in the home directory, say) is left
 * out with a warning naming the flag that grants the target, so that a dotfiles link neither
 * stops every run nor opens what a planted link points at.
 */
@Tag("linux")
class LandlockPlanTest {

    @TempDir
    Path temp;

    private static final int ABI = 3;

    @Test
    void aDefaultThroughALinkTheChildsUserOwnsIsLeftOutNotFollowed() throws Exception {
        var secret = Files.writeString(temp.resolve("id_rsa"), "key");
        var home = Files.createDirectories(temp.resolve("home"));
        // An earlier run planted ~/.gitconfig -> ../id_rsa; it belongs to the user the child runs as.
        var link = Files.createSymbolicLink(home.resolve(".gitconfig"), Path.of("../id_rsa"));
        int euid = dev.halt.ffm.linux.unistd_h.geteuid();
        int childUid = euid == 0 ? 54321 : euid;
        if (euid == 0) Files.setAttribute(link, "unix:uid", childUid, LinkOption.NOFOLLOW_LINKS);
        var work = Files.createDirectories(temp.resolve("work"));
        var byDefault = new PathGrant(link, PathAccess.READ, new ValueSource.Default("git configuration"));

        var plan = Landlock.plan(policy(work, byDefault), List.of(), ABI, childUid, Landlock.TcpRules.NONE);
        assertTrue(plan.rules().stream().noneMatch(r -> r.path().startsWith(temp)), plan.rules().toString());
        var warning = String.join("\n", plan.warnings());
        assertTrue(warning.contains(link.toString()) && warning.contains("--read " + secret.toRealPath()), warning);

        var asked = new PathGrant(link, PathAccess.READ, new ValueSource.CommandLine("--read"));
        assertThrows(Landlock.PlannedLinkException.class,
            () -> Landlock.plan(policy(work, asked), List.of(), ABI, childUid, Landlock.TcpRules.NONE),
            "the user's own grant through it stops the run, as before");

        var target = new PathGrant(secret, PathAccess.READ, new ValueSource.CommandLine("--read"));
        var trusted = Landlock.plan(policy(work, byDefault, target), List.of(), ABI, childUid, Landlock.TcpRules.NONE);
        assertEquals(List.of(), trusted.warnings(), "once its target is granted the warning goes");
    }

    private static SandboxPolicy policy(Path work, PathGrant... grants) {
        return SandboxPolicy.builder(work).networkMode(NetworkMode.UNRESTRICTED).grants(List.of(grants)).build();
    }
}
