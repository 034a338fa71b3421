package dev.halt.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where {@code halt run} refuses to start: a working directory it would grant that holds a home. */
class WorkingDirectoryTest {

    @TempDir
    Path temp;

    @Test
    void theRootAndEveryHomeAndWhatHoldsOneAreRefused() throws Exception {
        var users = Files.createDirectories(temp.resolve("home"));
        var mine = Files.createDirectories(users.resolve("me"));
        var invoker = Files.createDirectories(users.resolve("sudoer"));
        var project = Files.createDirectories(invoker.resolve("src/project"));
        var homes = List.of(mine, invoker);

        assertTrue(Sandbox.workingDirectoryRefusal(Path.of("/"), homes).isPresent());
        assertTrue(Sandbox.workingDirectoryRefusal(mine, homes).orElseThrow().contains("is your home directory"));
        // Under sudo HOME may be root's while the child runs as the user who ran sudo: that home counts too.
        assertTrue(Sandbox.workingDirectoryRefusal(invoker, homes).isPresent());
        assertTrue(Sandbox.workingDirectoryRefusal(users, homes).orElseThrow().contains("holds your home"));
        assertFalse(Sandbox.workingDirectoryRefusal(project, homes).isPresent());
    }

    @Test
    void homeComesFromTheEnvironment() throws Exception {
        var home = Files.createDirectories(temp.resolve("h"));
        assertTrue(Sandbox.workingDirectoryRefusal(home, Map.of("HOME", home.toString())).isPresent());
        assertFalse(Sandbox.workingDirectoryRefusal(Files.createDirectories(home.resolve("p")), Map.of("HOME", home.toString())).isPresent());
    }
}
