package dev.halt.core.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** A test class whose every test gets a fresh {@link Fixture}: a fake user under {@code tmp}. */
abstract class WithFixture {
    @TempDir
    Path tmp;
    Fixture f;

    @BeforeEach
    final void makeFixture() {
        f = new Fixture(tmp);
    }
}
