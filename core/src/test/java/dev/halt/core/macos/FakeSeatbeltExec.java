package dev.halt.core.macos;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A stand-in for stage 2 on Linux: {@link SeatbeltExec#run} with steps in plain Java, and no
 * sandbox at all. The FIFO is written as the macOS steps write it; the "exec" closes the FIFO (as
 * the exec's close-on-exec does) and runs the command unconfined, exiting with its status. A
 * command named {@code fake} instead writes the environment it would get to {@code argv[1]} and
 * exits with {@code argv[2]}. A profile {@code (refuse)} is refused as Seatbelt would.
 */
public final class FakeSeatbeltExec {
    private FakeSeatbeltExec() {}

    public static void main(String[] args) {
        System.exit(SeatbeltExec.run(args, System.getenv(), ProcessHandle.current().pid(), new JavaSteps()));
    }

    /** The steps, FIFO included, in plain Java. */
    static class JavaSteps implements SeatbeltExec.Steps {
        private FileOutputStream status;
        private String executable;
        private List<String> argv;
        private String[] envp;

        @Override
        public SeatbeltExec.Report openStatus(String fifo) throws SeatbeltExec.Failure {
            try {
                status = new FileOutputStream(fifo);
                status.write(StatusFifo.READY);
                status.flush();
            } catch (IOException e) {
                throw new SeatbeltExec.Failure(125, "stage 2 cannot open its status FIFO " + fifo + ": " + e.getMessage());
            }
            return (code, message) -> {
                try (var out = status) {
                    out.write(StatusFifo.failure(code, message));
                    return true;
                } catch (IOException e) {
                    return false;
                }
            };
        }

        @Override
        public void prepareExec(String executable, List<String> argv, String[] envp) {
            this.executable = executable;
            this.argv = argv;
            this.envp = envp;
        }

        @Override
        public void switchUser(SeatbeltExecArguments.User user) {}

        @Override
        public String applyProfile(String profile, List<String> parameters) {
            return profile.equals("(refuse)") ? "unbound variable: refuse at <input string>, line 1, column 2" : null;
        }

        @Override
        public boolean sandboxed() {
            return false;
        }

        @Override
        public int exec() {
            if (!argv.getFirst().equals("fake")) return runUnconfined();
            if (argv.size() < 3) return dev.halt.ffm.macos.errno_h.ENOENT();
            try {
                Files.writeString(Path.of(argv.get(1)), String.join("\0", envp), StandardCharsets.UTF_8);
                status.close();
            } catch (IOException e) {
                return dev.halt.ffm.macos.errno_h.EACCES();
            }
            Runtime.getRuntime().halt(Integer.parseInt(argv.get(2)));
            return 0;
        }

        private int runUnconfined() {
            var command = new java.util.ArrayList<String>();
            command.add(executable);
            command.addAll(argv.subList(1, argv.size()));
            var builder = new ProcessBuilder(command).inheritIO();
            builder.environment().clear();
            for (var entry : envp) {
                int eq = entry.indexOf('=');
                builder.environment().put(entry.substring(0, eq), entry.substring(eq + 1));
            }
            try {
                status.close();
                Runtime.getRuntime().halt(builder.start().waitFor());
            } catch (IOException e) {
                return dev.halt.ffm.macos.errno_h.ENOENT();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return dev.halt.ffm.macos.errno_h.EACCES();
        }
    }
}
