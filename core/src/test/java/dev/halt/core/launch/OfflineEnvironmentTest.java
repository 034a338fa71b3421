package dev.halt.core.launch;

import dev.halt.core.policy.NetworkMode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** npm is told not to retry where no name outside the machine resolves; a user's own setting stays. */
class OfflineEnvironmentTest {

    @Test
    void npmRetriesAreOffWhereNoRemoteNameResolves() {
        var base = Map.of("PATH", "/usr/bin");
        for (var mode : new NetworkMode[] {NetworkMode.BLOCKED, NetworkMode.LOCALHOST_ONLY}) {
            assertEquals(Map.of("PATH", "/usr/bin", "npm_config_fetch_retries", "0"), OfflineEnvironment.of(base, mode), mode.configName());
        }
        for (var mode : new NetworkMode[] {NetworkMode.PROXY_ONLY, NetworkMode.UNRESTRICTED}) {
            assertSame(base, OfflineEnvironment.of(base, mode), mode.configName());
            assertTrue(OfflineEnvironment.added(base, mode).isEmpty());
        }
    }

    @Test
    void theUsersOwnSettingIsKeptInEitherCase() {
        for (var name : new String[] {"npm_config_fetch_retries", "NPM_CONFIG_FETCH_RETRIES"}) {
            var base = Map.of(name, "5");
            assertSame(base, OfflineEnvironment.of(base, NetworkMode.BLOCKED), name);
        }
    }
}
