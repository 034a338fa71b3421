package dev.halt.core.launch;

import dev.halt.core.ExitStatus;
import dev.halt.core.LaunchException;
import dev.halt.proxy.JsonLinesFile;
import dev.halt.proxy.ProxyConfig;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The run's JSON-lines file ({@code --log}): the proxy's decisions and the filesystem denials, one
 * JSON object a line, in one file.
 */
public final class RunLog {
    private RunLog() {}

    /**
     * Opens (creating it if needed) {@code file} for appending and closes it again, so that a file
     * halt cannot write stops the launch at once, saying why, before anything runs or a proxy
     * starts (which would find out only then, or never in a mode without a proxy).
     */
    public static void checkWritable(Path file) throws LaunchException {
        String why;
        try (var channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE)) {
            return;
        } catch (AccessDeniedException e) {
            why = "permission denied";
        } catch (NoSuchFileException e) {
            why = "its directory " + file.getParent() + " does not exist";
        } catch (FileSystemException e) {
            why = e.getReason() != null ? e.getReason().toLowerCase(Locale.ROOT) : e.toString();
        } catch (IOException e) {
            why = e.getMessage();
        }
        throw new LaunchException(ExitStatus.HALT_FAILED, "--log " + file + ": cannot write it: " + why + ". Nothing was run.");
    }

    /** The run's file, open for appending; null without one. */
    public static JsonLinesFile open(Path file) throws LaunchException {
        if (file == null) return null;
        try {
            return JsonLinesFile.open(file);
        } catch (IOException e) {
            var why = e instanceof AccessDeniedException ? "permission denied"
                : e instanceof NoSuchFileException ? "its directory does not exist" : String.valueOf(e.getMessage());
            throw new LaunchException(ExitStatus.HALT_FAILED, "--log " + file + ": cannot open it for appending (" + why + ")."
                + " Nothing was run.", e);
        }
    }

    /**
     * The proxy's sinks in a run: its console lines on stderr; no summary of its own (the run
     * prints one); no file of its own: its decisions join {@code file}, which halt's other events
     * share (none when null).
     */
    public static ProxyConfig.LogOptions proxyLog(JsonLinesFile file) {
        var log = ProxyConfig.LogOptions.defaults();
        return new ProxyConfig.LogOptions(null, log.console(), log.consoleLinesPerMinute(), false,
            file == null ? log.listener() : event -> file.append(event.toJson()));
    }
}
