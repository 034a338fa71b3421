package dev.halt.ffm.linux;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.UnionLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Compiles a C probe against the system headers and compares every struct size, field offset,
 * constant and system call number with the Java bindings. Names the installed headers predate
 * are compared with the numbers written here, each with its source.
 */
@Tag("linux")
class HeaderProbeTest {

    private static final List<Class<?>> CONSTANT_HOLDERS = List.of(landlock_h.class, seccomp_h.class, filter_h.class,
        sched_h.class, prctl_h.class, capability_h.class, socket_h.class, rtnetlink_h.class, ioctls_h.class,
        resource_h.class, ioprio_h.class, stat_h.class, mount_h.class,
        inotify_h.class, pidfd_h.class, poll_h.class, fcntl_h.class, limits_h.class, audit_h.class, timerfd_h.class);

    private static final List<Class<?>> STRUCTS = List.of(landlock_ruleset_attr.class, landlock_path_beneath_attr.class,
        landlock_net_port_attr.class, seccomp_data.class, sock_filter.class, sock_fprog.class,
        __user_cap_header_struct.class, __user_cap_data_struct.class, sockaddr_nl.class, sockaddr_in.class,
        sockaddr_in6.class, nlmsghdr.class, nlmsgerr.class, rtattr.class, ifinfomsg.class, ifaddrmsg.class, rtmsg.class,
        timeval.class, mount_attr.class, inotify_event.class, pollfd.class, seccomp_notif.class, seccomp_notif_resp.class,
        seccomp_notif_sizes.class, iovec.class, statx.class, open_how.class, xattr_args.class, file_attr.class,
        audit_status.class, ucred.class, sockaddr_un.class, timespec.class, itimerspec.class);

    /** Values newer than some installed headers: expected value and where it comes from. */
    private static final Map<String, Long> NEWER_THAN_HEADERS = Map.ofEntries(
        // include/uapi/linux/landlock.h, Linux 6.2 (ABI 3) .. 6.15 (ABI 7)
        Map.entry("LANDLOCK_ACCESS_FS_TRUNCATE", 1L << 14),
        Map.entry("LANDLOCK_ACCESS_FS_IOCTL_DEV", 1L << 15),
        Map.entry("LANDLOCK_RULE_NET_PORT", 2L),
        Map.entry("LANDLOCK_ACCESS_NET_BIND_TCP", 1L),
        Map.entry("LANDLOCK_ACCESS_NET_CONNECT_TCP", 2L),
        Map.entry("LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET", 1L),
        Map.entry("LANDLOCK_SCOPE_SIGNAL", 2L),
        Map.entry("LANDLOCK_CREATE_RULESET_ERRATA", 2L),
        Map.entry("LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF", 1L),
        Map.entry("LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON", 2L),
        Map.entry("LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF", 4L),
        // struct landlock_ruleset_attr, Linux 6.7 (handled_access_net) and 6.12 (scoped)
        Map.entry("offsetof:landlock_ruleset_attr.handled_access_net", 8L),
        Map.entry("offsetof:landlock_ruleset_attr.scoped", 16L),
        Map.entry("sizeof:landlock_ruleset_attr", 24L),
        // struct landlock_net_port_attr, Linux 6.7
        Map.entry("sizeof:landlock_net_port_attr", 16L),
        Map.entry("offsetof:landlock_net_port_attr.allowed_access", 0L),
        Map.entry("offsetof:landlock_net_port_attr.port", 8L),
        // include/uapi/linux/capability.h, Linux 5.9
        Map.entry("CAP_CHECKPOINT_RESTORE", 40L),
        // include/uapi/asm-generic/unistd.h and arch/x86/entry/syscalls/syscall_64.tbl, Linux 6.6
        Map.entry("SYS_fchmodat2", 452L),
        // include/uapi/linux/pidfd.h, Linux 6.9
        Map.entry("PIDFD_THREAD", 0x80L),
        // include/uapi/asm-generic/unistd.h and syscall_64.tbl, Linux 6.13 and 6.17 (unified numbers)
        Map.entry("SYS_setxattrat", 463L),
        Map.entry("SYS_removexattrat", 466L),
        Map.entry("SYS_file_setattr", 469L),
        // include/uapi/linux/xattr.h, Linux 6.13
        Map.entry("sizeof:xattr_args", 16L),
        Map.entry("offsetof:xattr_args.value", 0L),
        Map.entry("offsetof:xattr_args.size", 8L),
        Map.entry("offsetof:xattr_args.flags", 12L),
        // include/uapi/linux/fs.h, Linux 6.17
        Map.entry("sizeof:file_attr", 24L),
        Map.entry("offsetof:file_attr.fa_xflags", 0L),
        Map.entry("offsetof:file_attr.fa_extsize", 8L),
        Map.entry("offsetof:file_attr.fa_nextents", 12L),
        Map.entry("offsetof:file_attr.fa_projid", 16L),
        Map.entry("offsetof:file_attr.fa_cowextsize", 20L),
        // include/uapi/asm-generic/socket.h, Linux 6.5
        Map.entry("SO_PEERPIDFD", 77L),
        // include/uapi/linux/seccomp.h, Linux 6.6
        Map.entry("SECCOMP_IOCTL_NOTIF_SET_FLAGS", 0x40082104L),
        Map.entry("SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP", 1L),
        // include/uapi/linux/audit.h, Linux 6.15 (Landlock's records, ABI 7)
        Map.entry("AUDIT_LANDLOCK_ACCESS", 1423L),
        Map.entry("AUDIT_LANDLOCK_DOMAIN", 1424L));

    private static Map<String, Long> probed;
    private static Set<String> missing;

    @BeforeAll
    static void runProbe(@TempDir Path dir) throws Exception {
        var cc = findCc();
        assumeTrue(cc != null, "[tool-cc] needs a C compiler (cc) to read the system headers: install gcc");
        var expressions = new LinkedHashMap<String, String>();
        for (var name : javaConstants().keySet()) expressions.put(name, name);
        for (var entry : structFields().entrySet()) {
            var key = entry.getKey();
            expressions.put(key, key.startsWith("sizeof:")
                ? "sizeof(struct " + key.substring(7) + ")"
                : "offsetof(struct " + key.substring(9, key.indexOf('.')) + ", " + key.substring(key.indexOf('.') + 1) + ")");
        }
        for (var entry : syscallNames().entrySet()) expressions.put(entry.getKey(), entry.getValue());

        missing = new TreeSet<>();
        // Compile; drop what the headers lack and compile again (bounded: a name is dropped once).
        for (int round = 0; round < 4; round++) {
            var result = compileAndRun(cc, dir, expressions);
            if (result.output != null) {
                probed = result.output;
                return;
            }
            var lacking = lackingNames(result.errors, expressions);
            assertFalse(lacking.isEmpty(), "the C probe did not compile, and not for a missing name:\n" + result.errors);
            for (var name : lacking) {
                expressions.remove(name);
                missing.add(name);
            }
        }
        fail("the C probe still does not compile after dropping " + missing);
    }

    @Test
    void constantsMatchTheHeaders() {
        var mismatches = new ArrayList<String>();
        javaConstants().forEach((name, value) -> compare(name, value, mismatches));
        assertEquals(List.of(), mismatches);
        assertTrue(probed.containsKey("LANDLOCK_ACCESS_FS_EXECUTE"), "the probe read landlock.h");
    }

    @Test
    void structLayoutsMatchTheHeaders() {
        var mismatches = new ArrayList<String>();
        structFields().forEach((name, value) -> compare(name, value, mismatches));
        assertEquals(List.of(), mismatches);
        assertEquals(12L, probed.get("sizeof:landlock_path_beneath_attr"), "path_beneath_attr is packed");
    }

    @Test
    void syscallTableMatchesThisArchitecture() {
        var mismatches = new ArrayList<String>();
        var table = SyscallNumbers.current();
        for (var component : numbers()) {
            try {
                var value = (int) component.getAccessor().invoke(table);
                compare(cName(component.getName()), value, mismatches);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        assertEquals(List.of(), mismatches);
        assertEquals(table == SyscallNumbers.X86_64 ? seccomp_h.AUDIT_ARCH_X86_64() : seccomp_h.AUDIT_ARCH_AARCH64(),
            table.auditArch());
    }

    @Test
    void onlyNamesKnownToBeNewerAreMissingFromTheHeaders() {
        var unexplained = new TreeSet<>(missing);
        unexplained.removeAll(NEWER_THAN_HEADERS.keySet());
        assertEquals(Set.of(), unexplained, "names the headers lack and this test has no source for");
    }

    private static void compare(String name, long javaValue, List<String> mismatches) {
        Long expected = probed.get(name);
        String source = "headers";
        if (expected == null) {
            expected = NEWER_THAN_HEADERS.get(name);
            source = "hand-written source value";
        }
        if (expected == null) {
            mismatches.add(name + ": absent from the headers and from NEWER_THAN_HEADERS");
        } else if (expected != javaValue && expected != (javaValue & 0xffff_ffffL)) {
            mismatches.add(name + ": java " + javaValue + ", " + source + " " + expected);
        }
    }

    /**
     * Every public static no-argument constant method of the header classes (the generated ones
     * they extend included), and Errno's fields.
     */
    private static Map<String, Long> javaConstants() {
        var constants = new LinkedHashMap<String, Long>();
        var constantName = Pattern.compile("_*[A-Z][A-Z0-9_]*");
        for (var holder : CONSTANT_HOLDERS) {
            for (Method m : holder.getMethods()) {
                if (!Modifier.isStatic(m.getModifiers()) || !Modifier.isPublic(m.getModifiers())
                    || m.getParameterCount() != 0 || !constantName.matcher(m.getName()).matches()) continue;
                try {
                    constants.put(m.getName(), ((Number) m.invoke(null)).longValue());
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
        for (Field f : Errno.class.getFields()) {
            if (f.getType() != int.class) continue;
            try {
                constants.put(f.getName(), (long) f.getInt(null));
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        constants.put("O_CLOEXEC", (long) SyscallNumbers.O_CLOEXEC);
        constants.put("O_PATH", (long) SyscallNumbers.O_PATH);
        constants.put("O_RDONLY", (long) SyscallNumbers.O_RDONLY);
        constants.put("AT_FDCWD", (long) SyscallNumbers.AT_FDCWD);
        constants.put("O_WRONLY", (long) SyscallNumbers.O_WRONLY);
        constants.put("WNOHANG", (long) SyscallNumbers.WNOHANG);
        constants.put("O_CREAT", (long) SyscallNumbers.O_CREAT);
        constants.put("O_EXCL", (long) SyscallNumbers.O_EXCL);
        constants.put("O_NONBLOCK", (long) SyscallNumbers.O_NONBLOCK);
        return constants;
    }

    /** {@code sizeof:S} and {@code offsetof:S.field} for every named member of every struct layout. */
    private static Map<String, Long> structFields() {
        var fields = new LinkedHashMap<String, Long>();
        for (var struct : STRUCTS) {
            GroupLayout layout;
            try {
                layout = (GroupLayout) struct.getMethod("layout").invoke(null);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
            var name = struct.getSimpleName();
            fields.put("sizeof:" + name, layout.byteSize());
            memberOffsets(name, layout, 0, fields);
        }
        return fields;
    }

    /** The named members of {@code group} at {@code base}; an anonymous struct or union's members are the struct's own, as in C. */
    private static void memberOffsets(String struct, GroupLayout group, long base, Map<String, Long> fields) {
        long offset = 0;
        for (MemoryLayout member : group.memberLayouts()) {
            long at = base + (group instanceof UnionLayout ? 0 : offset);
            var name = member.name().orElse(null);
            if (member instanceof GroupLayout inner && name != null && name.startsWith("$anon$")) {
                memberOffsets(struct, inner, at, fields);
            } else if (!(member instanceof PaddingLayout) && name != null) {
                fields.put("offsetof:" + struct + "." + name, at);
            }
            offset += member.byteSize();
        }
    }

    private static Map<String, String> syscallNames() {
        var names = new LinkedHashMap<String, String>();
        for (var component : numbers()) {
            var c = cName(component.getName());
            names.put(c, c);
        }
        return names;
    }

    /**
     * The table's system call numbers and flags: not its audit token, not its highest known
     * number (no header names it), and not the calls this architecture lacks ({@code NONE}).
     */
    private static List<java.lang.reflect.RecordComponent> numbers() {
        var table = SyscallNumbers.current();
        var numbers = new ArrayList<java.lang.reflect.RecordComponent>();
        for (var component : SyscallNumbers.class.getRecordComponents()) {
            if (component.getType() != int.class || Set.of("auditArch", "highestKnown").contains(component.getName())) continue;
            try {
                if ((int) component.getAccessor().invoke(table) == SyscallNumbers.NONE) continue;
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
            numbers.add(component);
        }
        return numbers;
    }

    /** {@code pidfdOpen} to {@code SYS_pidfd_open}; {@code oNofollow} to {@code O_NOFOLLOW}. */
    private static String cName(String component) {
        if (component.startsWith("o") && Character.isUpperCase(component.charAt(1))) {
            return "O_" + component.substring(1).toUpperCase();
        }
        return "SYS_" + component.replaceAll("([A-Z])", "_$1").toLowerCase();
    }

    private record ProbeResult(Map<String, Long> output, String errors) {}

    private static ProbeResult compileAndRun(String cc, Path dir, Map<String, String> expressions)
            throws IOException, InterruptedException {
        var source = new StringBuilder("""
            #define _GNU_SOURCE
            #include <stdio.h>
            #include <stddef.h>
            #include <errno.h>
            #include <fcntl.h>
            #include <sys/syscall.h>
            #include <sys/wait.h>
            #include <sys/socket.h>
            #include <sys/un.h>
            #include <sys/time.h>
            #include <sys/resource.h>
            #include <sys/stat.h>
            #include <sys/mount.h>
            #include <sys/inotify.h>
            #include <sys/ioctl.h>
            #include <sys/uio.h>
            #include <sys/eventfd.h>
            #include <sys/timerfd.h>
            #include <time.h>
            #include <poll.h>
            #include <sys/pidfd.h>
            #include <netinet/in.h>
            #include <linux/ioprio.h>
            #include <asm/ioctls.h>
            #include <linux/types.h>
            #include <linux/landlock.h>
            #include <linux/seccomp.h>
            #include <linux/filter.h>
            #include <linux/audit.h>
            #include <linux/sched.h>
            #include <linux/prctl.h>
            #include <linux/capability.h>
            #include <linux/netlink.h>
            #include <linux/rtnetlink.h>
            #include <linux/if_link.h>
            #include <linux/if_addr.h>
            #include <linux/if.h>
            #include <linux/veth.h>
            #include <linux/mount.h>
            #include <linux/openat2.h>
            #include <linux/limits.h>
            #include <linux/xattr.h>
            #include <linux/fs.h>
            #define P(name, expr) printf("%s %lld\\n", name, (long long) (expr));
            int main(void) {
            """);
        expressions.forEach((name, expr) -> source.append("    P(\"").append(name).append("\", ").append(expr).append(")\n"));
        source.append("    return 0;\n}\n");
        var c = dir.resolve("probe.c");
        var exe = dir.resolve("probe");
        Files.writeString(c, source);
        var compile = new ProcessBuilder(cc, "-w", "-o", exe.toString(), c.toString()).redirectErrorStream(true).start();
        var errors = new String(compile.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(compile.waitFor(120, TimeUnit.SECONDS), "cc did not finish in 120 s");
        if (compile.exitValue() != 0) return new ProbeResult(null, errors);

        var run = new ProcessBuilder(exe.toString()).redirectErrorStream(true).start();
        var out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(run.waitFor(30, TimeUnit.SECONDS), "the probe did not finish");
        assertEquals(0, run.exitValue(), out);
        var values = new LinkedHashMap<String, Long>();
        out.lines().forEach(line -> {
            int space = line.lastIndexOf(' ');
            values.put(line.substring(0, space), Long.parseLong(line.substring(space + 1)));
        });
        assertEquals(expressions.size(), values.size(), "one probe line per name");
        return new ProbeResult(values, null);
    }

    /** Names cc reports as undeclared, or struct members it reports as absent. */
    private static Set<String> lackingNames(String errors, Map<String, String> expressions) {
        var lacking = new TreeSet<String>();
        var undeclared = Pattern.compile("[‘'`]([A-Za-z_][A-Za-z0-9_]*)[’'`] undeclared");
        var noMember = Pattern.compile("has no member named [‘'`]([A-Za-z_][A-Za-z0-9_]*)[’'`]");
        var m = undeclared.matcher(errors);
        while (m.find()) {
            var ident = m.group(1);
            if (expressions.containsKey(ident)) lacking.add(ident);
        }
        m = noMember.matcher(errors);
        while (m.find()) {
            var member = m.group(1);
            expressions.keySet().stream().filter(k -> k.startsWith("offsetof:") && k.endsWith("." + member)).forEach(lacking::add);
        }
        // A struct whose members are absent has a size that differs from the current kernel's.
        for (var name : List.copyOf(lacking)) {
            if (name.startsWith("offsetof:")) lacking.add("sizeof:" + name.substring(9, name.indexOf('.')));
        }
        var unknownStruct = Pattern.compile("invalid application of [‘'`]sizeof[’'`] to incomplete type [‘'`]struct ([A-Za-z_0-9]+)[’'`]");
        m = unknownStruct.matcher(errors);
        while (m.find()) {
            var struct = m.group(1);
            expressions.keySet().stream().filter(k -> k.equals("sizeof:" + struct) || k.startsWith("offsetof:" + struct + ".")).forEach(lacking::add);
        }
        return lacking;
    }

    private static String findCc() {
        for (var name : List.of("cc", "gcc", "clang")) {
            for (var dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
                var candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) return candidate.toString();
            }
        }
        return null;
    }
}
