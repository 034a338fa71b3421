package dev.halt.core.linux.launch;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A small process outside the sandbox that outlives halt's JVM, so that {@code kill -9} of halt
 * does not leave the run behind. It waits on a pipe that only this JVM writes to; when the pipe
 * closes without a {@code done} (the JVM died), it kills what the run left: every process in the
 * run's network namespace when it has one, and the command's process tree.
 *
 * <p>Why a separate process running {@code /bin/sh} builtins: the kernel's tether, a parent-death
 * signal ({@code PR_SET_PDEATHSIG}), can only be set by the child itself between fork and exec,
 * where {@link ProcessBuilder} runs no code of ours, and it would cover the direct child only. A
 * process in the run's namespace can find every member of it, daemons and re-parented orphans
 * included. The script forks nothing: {@code read}, {@code test -ef} and {@code kill} are builtins.
 *
 * <p>Start it on the jailer after it entered the run's namespace and before it restricts itself:
 * the tether then shares the namespace (and holds it for the comparison) with full rights.
 */
public final class Tether extends dev.halt.core.launch.TetherProcess {

    /*
     * Lines on stdin: "child PID [START]", one for the command and one for each orphan of the run
     * halt adopts, then "done". START (field 22 of /proc/PID/stat) pins which process PID means,
     * so a reused PID is never taken for one of the run's; without it the tether reads it at once,
     * while the process announced cannot have been replaced yet. At EOF without "done": find the
     * run's processes (the announced ones still alive, their descendants, and with a namespace its
     * members), stop them (a stopped process cannot fork), repeat until a scan finds no new one,
     * then kill them.
     */
    static final String SCRIPT = """
        trap '' HUP INT QUIT PIPE TERM TSTP TTIN TTOU
        namespace=$1 roots=' '
        stat_of() {
          read -r line 2>/dev/null <"/proc/$1/stat" || return 1
          set -- ${line##*) }
          state=$1 ppid=$2
          shift 19
          ticks=$1
        }
        while read -r word pid pinned; do
          case $word in
            child)
              start=$pinned
              if [ -z "$start" ] && stat_of "$pid"; then start=$ticks; fi
              [ -n "$start" ] && roots="$roots$pid:$start " ;;
            done) exit 0 ;;
          esac
        done
        run=' '
        for entry in $roots; do
          pid=${entry%%:*}
          if stat_of "$pid" && [ "$ticks" = "${entry#*:}" ] && [ "$state" != Z ]; then
            kill -STOP "$pid" 2>/dev/null
            run="$run$pid "
          fi
        done
        round=0
        while [ "$round" -lt 200 ]; do
          round=$((round + 1)) found=
          for dir in /proc/[0-9]*; do
            pid=${dir#/proc/}
            [ "$pid" = "$$" ] && continue
            case $run in *" $pid "*) continue ;; esac
            stat_of "$pid" || continue
            [ "$state" = Z ] && continue
            member=
            case $run in *" $ppid "*) member=1 ;; esac
            if [ -z "$member" ] && [ "$namespace" = 1 ] && [ "$dir/ns/net" -ef "/proc/$$/ns/net" ]; then member=1; fi
            if [ -n "$member" ]; then
              kill -STOP "$pid" 2>/dev/null
              run="$run$pid "
              found=1
            fi
          done
          [ -z "$found" ] && break
        done
        for pid in $run; do kill -KILL "$pid" 2>/dev/null; done
        """;

    private Tether(Process process) {
        super(process);
    }

    /**
     * Starts the tether from the calling thread.
     *
     * @param inRunNamespace the calling thread is in the run's own network namespace: the tether
     *                       kills every process it finds there
     */
    public static Tether start(boolean inRunNamespace) throws IOException {
        var tether = new Tether(startShell(SCRIPT, List.of(inRunNamespace ? "1" : "0"), Map.of()));
        // The first write links the pipe's write path here, before the jailer restricts itself.
        tether.send("hello\n");
        return tether;
    }
}
