package dev.halt.core.macos;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The macOS tether: a small process outside the sandbox that outlives halt's JVM, so that
 * {@code kill -9} of halt does not leave the run behind. It waits on a pipe only this JVM writes
 * to; when the pipe closes without a {@code done} (the JVM died), it kills what the run left.
 *
 * <p>macOS has neither {@code /proc} nor a child subreaper, so it works from what {@code ps} shows:
 * the processes halt named (the command, and each descendant halt saw while it ran), their
 * descendants still in the tree, and the process groups these belong to. A process that left the
 * tree before halt named it (a daemon that double-forked) and is in no group of the run survives:
 * {@code halt check} and the README say so. The tether's own process group is killed only when
 * halt leads it (a shell's job for {@code halt run}): otherwise it holds whatever started halt, a
 * script for instance.
 *
 * <p>Each named pid is pinned by its start time, as {@code ps} prints it when the name arrives, so
 * a pid reused by an unrelated process after the run's ended is never taken for the run's.
 */
public final class MacTether {
    private static final System.Logger LOG = System.getLogger("halt");
    private static final Path SHELL = Path.of("/bin/sh");

    /*
     * Lines on stdin: "child PID", then "done". At EOF without "done": stop the named processes
     * still alive with their pinned start time, then their descendants (a stopped process cannot
     * fork), scanning until a scan finds no new one; then kill them, the process groups they are
     * in (but the tether's own), and the tether's own group when halt led it.
     */
    static final String SCRIPT = """
        trap '' HUP INT QUIT PIPE TERM TSTP TTIN TTOU
        LC_ALL=C
        export LC_ALL
        halt=$PPID roots=' ' run=' ' groups=' '
        pin_of() {
          set -- $(ps -o lstart= -p "$1" 2>/dev/null)
          [ $# -gt 0 ] || return 1
          IFS=_
          pin="$*"
          unset IFS
        }
        while read -r word pid; do
          case $word in
            child)
              case $pid in ''|*[!0-9]*) continue ;; esac
              pin_of "$pid" && roots="$roots$pid:$pin " ;;
            done) exit 0 ;;
          esac
        done
        for entry in $roots; do
          pid=${entry%%:*}
          pin_of "$pid" || continue
          [ "$pin" = "${entry#*:}" ] || continue
          kill -s STOP "$pid" 2>/dev/null && run="$run$pid "
        done
        round=0
        while [ "$round" -lt 200 ]; do
          round=$((round + 1)) found=
          table=$(ps -A -o pid= -o ppid= 2>/dev/null)
          while read -r pid ppid; do
            [ "$pid" = "$$" ] && continue
            case $run in *" $pid "*) continue ;; esac
            case $run in *" $ppid "*) kill -s STOP "$pid" 2>/dev/null; run="$run$pid " found=1 ;; esac
          done <<EOF
        $table
        EOF
          [ -z "$found" ] && break
        done
        own=$(ps -o pgid= -p $$ 2>/dev/null)
        own=${own##* }
        table=$(ps -A -o pid= -o pgid= 2>/dev/null)
        while read -r pid pgid; do
          case $run in *" $pid "*) ;; *) continue ;; esac
          [ "$pgid" = "$own" ] && continue
          case $groups in *" $pgid "*) ;; *) groups="$groups$pgid " ;; esac
        done <<EOF
        $table
        EOF
        for pid in $run; do kill -s KILL "$pid" 2>/dev/null; done
        for group in $groups; do kill -s KILL -- "-$group" 2>/dev/null; done
        [ -n "$own" ] && [ "$own" = "$halt" ] && kill -s KILL -- "-$own" 2>/dev/null
        exit 0
        """;

    private final Process process;
    private final OutputStream commands;
    /** Guarded by {@code this}. */
    private boolean released;

    private MacTether(Process process) {
        this.process = process;
        this.commands = process.getOutputStream();
    }

    /** Starts the tether. */
    public static MacTether start() throws IOException {
        var builder = new ProcessBuilder(SHELL.toString(), "-c", SCRIPT, "halt-tether")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
            .directory(Path.of("/").toFile());
        var environment = builder.environment();
        var path = "/usr/bin:/bin:/usr/sbin:/sbin";
        environment.clear();
        environment.put("PATH", path);
        return new MacTether(builder.start());
    }

    /**
     * For {@code halt check}: starts a tether, releases it and waits for it to exit cleanly.
     * Returns what it verified; throws when it could not.
     */
    public static String probe() throws IOException, InterruptedException {
        var tether = start();
        tether.release();
        if (!tether.process.waitFor(5, TimeUnit.SECONDS)) {
            tether.process.destroyForcibly();
            throw new IOException("the tether (/bin/sh) did not exit within 5 s of being released");
        }
        int status = tether.process.exitValue();
        if (status != 0) throw new IOException("the tether (/bin/sh) exited with status " + status);
        return "/bin/sh started, took its orders and exited: if halt is killed, the command's process tree and its"
            + " process groups die with it (no subreaper on macOS: a daemon that left them before halt saw it survives)";
    }

    public long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    /**
     * Names a process of the run (the command, or a descendant halt saw), which the tether kills
     * with its descendants and groups if halt dies. Call it the moment the process is known.
     */
    public synchronized void watch(long pid) {
        if (!released) send("child " + pid + "\n");
    }

    public synchronized boolean released() {
        return released;
    }

    /** The run is over and cleaned up: the tether exits without touching anything. */
    public synchronized void release() {
        if (released) return;
        released = true;
        send("done\n");
        try {
            commands.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "tether: " + e.getMessage());
        }
    }

    private void send(String line) {
        try {
            commands.write(line.getBytes(StandardCharsets.US_ASCII));
            commands.flush();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "the tether process " + process.pid() + " is gone (" + e.getMessage()
                + "): if halt is killed with SIGKILL now, the run's processes survive it");
        }
    }
}
