package dev.halt.core.macos;

import dev.halt.core.launch.TetherProcess;

import java.io.IOException;
import java.util.List;
import java.util.Map;

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
public final class MacTether extends TetherProcess {

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

    private MacTether(Process process) {
        super(process);
    }

    /** Starts the tether; its {@code PATH} holds only the system's directories ({@code ps}). */
    public static MacTether start() throws IOException {
        return new MacTether(startShell(SCRIPT, List.of(), Map.of("PATH", "/usr/bin:/bin:/usr/sbin:/sbin")));
    }
}
