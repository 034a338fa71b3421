package dev.halt.core.launch;

import dev.halt.core.ExitStatus;
import dev.halt.core.LaunchException;
import dev.halt.core.LaunchOptions;

import java.io.Closeable;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * The child's file redirects as pipes that halt copies: the files are opened by halt, outside the
 * sandbox, before anything starts (a child started under the sandbox might not be granted them),
 * and a virtual thread per stream copies between the file and the child's pipe.
 */
public final class RedirectPumps {

    private static final System.Logger LOG = System.getLogger("halt");

    private final InputStream in;
    private final OutputStream out;
    private final OutputStream err;

    private RedirectPumps(InputStream in, OutputStream out, OutputStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    /** What the child's process gets for {@code redirect}: a pipe in place of a file. */
    public static ProcessBuilder.Redirect pipeIfFile(ProcessBuilder.Redirect redirect) {
        return redirect.file() != null ? ProcessBuilder.Redirect.PIPE : redirect;
    }

    /** Opens the files of {@code options}' redirects. */
    public static RedirectPumps open(LaunchOptions options) throws LaunchException {
        try {
            var in = options.stdin().file() == null ? null : new FileInputStream(options.stdin().file());
            var out = openOutput(options.stdout());
            var err = openOutput(options.stderr());
            return new RedirectPumps(in, out, err);
        } catch (IOException e) {
            throw new LaunchException(ExitStatus.HALT_FAILED, "cannot open a redirect file: " + e.getMessage(), e);
        }
    }

    private static OutputStream openOutput(ProcessBuilder.Redirect redirect) throws IOException {
        if (redirect.file() == null) return null;
        return new FileOutputStream(redirect.file(), redirect.type() == ProcessBuilder.Redirect.Type.APPEND);
    }

    /** Starts copying between the files and {@code process}'s pipes; the threads end with the streams. */
    public List<Thread> pump(Process process) {
        var threads = new ArrayList<Thread>();
        if (in != null) threads.add(copy(in, process.getOutputStream()));
        if (out != null) threads.add(copy(process.getInputStream(), out));
        if (err != null) threads.add(copy(process.getErrorStream(), err));
        return List.copyOf(threads);
    }

    private static Thread copy(InputStream from, OutputStream to) {
        return Thread.ofVirtual().name("halt-redirect").start(() -> {
            try (from; to) {
                from.transferTo(to);
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "redirect copy ended: " + e.getMessage());
            }
        });
    }

    /** Closes the files when nothing was started. */
    public void close() {
        for (var c : new Closeable[] {in, out, err}) {
            try {
                if (c != null) c.close();
            } catch (IOException ignored) {
                // Nothing was started; nothing to save.
            }
        }
    }
}
