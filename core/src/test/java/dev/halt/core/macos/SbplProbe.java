package dev.halt.core.macos;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One probe of the decision table, run inside the sandbox on a Mac by
 * {@code SeatbeltDecisionTableTest}: {@code SbplProbe PROBE TARGET} tries one operation, one
 * system call where it can, and exits {@value #ALLOWED} when it was allowed, {@value #DENIED}
 * when the sandbox refused it (EPERM, EACCES, a refused Mach lookup), {@value #BROKEN} for any
 * other outcome, which means the fixture is wrong, not the profile. It names what it did on
 * stderr. The probes match {@link SbplCases#requests}. It uses JDK classes alone: on a Mac it runs
 * with nothing but its own class directory, which the profile grants.
 */
final class SbplProbe {
    static final int ALLOWED = 0;
    static final int DENIED = 77;
    static final int BROKEN = 3;

    private static final int EPERM = 1;
    private static final int EACCES = 13;
    /** {@code BOOTSTRAP_NOT_PRIVILEGED}: the answer of a Mach lookup the sandbox refuses. */
    private static final int BOOTSTRAP_NOT_PRIVILEGED = 1100;
    private static final int CTL_KERN = 1;
    private static final int KERN_PROCARGS2 = 49;

    private SbplProbe() {
    }

    /** Whether to name the outcome on stderr: in the sandboxed process, where it explains a mismatch. */
    private static boolean verbose;

    public static void main(String[] args) {
        verbose = true;
        System.exit(probe(args[0], args.length > 1 ? args[1] : ""));
    }

    /** Tries {@code probe} on {@code target} in this process: {@link #ALLOWED}, {@link #DENIED} or {@link #BROKEN}. */
    static int probe(String probe, String target) {
        int status;
        try {
            status = run(probe, target);
        } catch (AccessDeniedException e) {
            status = report(DENIED, "EACCES: " + e.getMessage());
        } catch (FileSystemException e) {
            status = report(denial(e.getReason()) ? DENIED : BROKEN, e.toString());
        } catch (SocketException e) {
            status = report(denial(e.getMessage()) ? DENIED : BROKEN, e.toString());
        } catch (IOException e) {
            status = report(denial(e.getMessage()) ? DENIED : BROKEN, e.toString());
        } catch (Throwable e) {
            status = report(BROKEN, e.toString());
        }
        return status;
    }

    private static boolean denial(String message) {
        return message != null && (message.contains("Operation not permitted") || message.contains("Permission denied"));
    }

    private static int report(int status, String what) {
        if (verbose) System.err.println("probe: " + (status == ALLOWED ? "allowed" : status == DENIED ? "denied" : "broken") + ": " + what);
        return status;
    }

    private static int run(String probe, String target) throws Throwable {
        switch (probe) {
            case "read" -> Files.readAllBytes(Path.of(target));
            case "list" -> {
                try (var entries = Files.newDirectoryStream(Path.of(target))) {
                    entries.forEach(e -> { });
                }
            }
            case "write" -> Files.writeString(Path.of(target), "x", StandardOpenOption.APPEND);
            case "create" -> Files.createFile(Path.of(target));
            case "unlink" -> Files.delete(Path.of(target));
            case "rename" -> Files.move(Path.of(source(target)), Path.of(destination(target)));
            case "link" -> Files.createLink(Path.of(destination(target)), Path.of(source(target)));
            case "clone" -> {
                return errno("clonefile", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                    (handle, arena, state) -> (int) handle.invokeExact(state, arena.allocateFrom(source(target)),
                        arena.allocateFrom(destination(target)), 0));
            }
            case "exec" -> {
                var child = new ProcessBuilder(target).inheritIO().start();
                if (!child.waitFor(30, TimeUnit.SECONDS)) return report(BROKEN, target + " did not end");
                if (child.exitValue() != 0) return report(BROKEN, target + " started and exited " + child.exitValue());
            }
            case "connect" -> {
                try (var socket = new Socket()) {
                    socket.connect(address(target), 5000);
                }
            }
            case "connect-unix" -> {
                try (var channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    channel.connect(UnixDomainSocketAddress.of(target));
                }
            }
            case "bind" -> {
                try (var server = new ServerSocket()) {
                    server.bind(address(target));
                }
            }
            case "mach" -> {
                return machLookup(target);
            }
            case "procargs" -> {
                var parent = ProcessHandle.current().parent().orElseThrow().pid();
                return errno("sysctl", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
                    (handle, arena, state) -> {
                        var mib = arena.allocateFrom(ValueLayout.JAVA_INT, CTL_KERN, KERN_PROCARGS2, (int) parent);
                        long size = 4 << 20;
                        var buffer = arena.allocate(size);
                        var length = arena.allocateFrom(ValueLayout.JAVA_LONG, size);
                        return (int) handle.invokeExact(state, mib, 3, buffer, length, MemorySegment.NULL, 0L);
                    });
            }
            case "signal-parent", "signal-self" -> {
                var pid = probe.equals("signal-self") ? ProcessHandle.current().pid() : ProcessHandle.current().parent().orElseThrow().pid();
                return errno("kill", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                    (handle, arena, state) -> (int) handle.invokeExact(state, (int) pid, 0));
            }
            case "lsopen" -> {
                return tool(List.of("/usr/bin/open", "-g", "-j", "-a", target));
            }
            case "appleevent" -> {
                return tool(List.of("/usr/bin/osascript", "-e", "tell application \"" + target + "\" to get name"));
            }
            default -> {
                return report(BROKEN, "no probe " + probe);
            }
        }
        return report(ALLOWED, probe + " " + target);
    }

    /** {@code 127.0.0.1:80}, {@code [::1]:80}, as literals: no name is ever looked up. */
    private static InetSocketAddress address(String target) {
        return new InetSocketAddress(java.net.InetAddress.ofLiteral(host(target)), port(target));
    }

    // The target's parts; here, not in SbplCases: on a Mac the probe runs with its own classes alone.

    /** {@code SOURCE} of {@code SOURCE>DESTINATION}. */
    static String source(String target) {
        return target.substring(0, target.indexOf('>'));
    }

    /** {@code DESTINATION} of {@code SOURCE>DESTINATION}. */
    static String destination(String target) {
        return target.substring(target.indexOf('>') + 1);
    }

    /** The host of {@code 127.0.0.1:80} or {@code [::1]:80}, without brackets. */
    static String host(String target) {
        var host = target.substring(0, target.lastIndexOf(':'));
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    static int port(String target) {
        return Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
    }

    /** A system tool: exit 0 is allowed, anything else denied (the tool's own message on stderr says why). */
    private static int tool(List<String> command) throws IOException, InterruptedException {
        var child = new ProcessBuilder(command).inheritIO().start();
        if (!child.waitFor(30, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            return report(BROKEN, command + " did not end");
        }
        return report(child.exitValue() == 0 ? ALLOWED : DENIED, command + " exited " + child.exitValue());
    }

    @FunctionalInterface
    private interface Call {
        int invoke(MethodHandle handle, Arena arena, MemorySegment state) throws Throwable;
    }

    /** Calls {@code symbol}: 0 is allowed, -1 with EPERM or EACCES denied. */
    private static int errno(String symbol, FunctionDescriptor descriptor, Call call) throws Throwable {
        var linker = Linker.nativeLinker();
        StructLayout stateLayout = Linker.Option.captureStateLayout();
        VarHandle errnoHandle = stateLayout.varHandle(StructLayout.PathElement.groupElement("errno"));
        var handle = linker.downcallHandle(linker.defaultLookup().find(symbol).orElseThrow(), descriptor,
            Linker.Option.captureCallState("errno"));
        try (var arena = Arena.ofConfined()) {
            var state = arena.allocate(stateLayout);
            int result = call.invoke(handle, arena, state);
            int errno = (int) errnoHandle.get(state, 0L);
            if (result == 0) return report(ALLOWED, symbol);
            return report(errno == EPERM || errno == EACCES ? DENIED : BROKEN, symbol + ": errno " + errno);
        }
    }

    /** {@code bootstrap_look_up(bootstrap_port, name, &port)}: 0 allowed, {@code BOOTSTRAP_NOT_PRIVILEGED} denied. */
    private static int machLookup(String name) throws Throwable {
        var linker = Linker.nativeLinker();
        var lookup = linker.defaultLookup();
        var handle = linker.downcallHandle(lookup.find("bootstrap_look_up").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        int bootstrapPort = lookup.find("bootstrap_port").orElseThrow().reinterpret(4).get(ValueLayout.JAVA_INT, 0);
        try (var arena = Arena.ofConfined()) {
            int result = (int) handle.invokeExact(bootstrapPort, arena.allocateFrom(name), arena.allocate(ValueLayout.JAVA_INT));
            if (result == 0) return report(ALLOWED, "bootstrap_look_up " + name);
            return report(result == BOOTSTRAP_NOT_PRIVILEGED ? DENIED : BROKEN, "bootstrap_look_up " + name + ": " + result);
        }
    }
}
