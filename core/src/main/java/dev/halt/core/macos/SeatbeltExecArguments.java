package dev.halt.core.macos;

import java.util.ArrayList;
import java.util.List;

/**
 * What halt's JVM (stage 1) tells {@link SeatbeltExec} (stage 2) on its command line: where to
 * report, whom to become, the profile and its parameters, and the command. None of it is secret:
 * the paths and the command line are visible in {@code ps} once the command runs anyway, and the
 * environment, which can hold secrets, travels as the environment.
 *
 * <pre>
 * --status FIFO [--user UID:GID] --profile SBPL [--param KEY VALUE]... --exec PATH -- ARGV0 ARGS...
 * </pre>
 *
 * @param statusFifo the FIFO in halt's private run directory stage 2 reports through ({@link StatusFifo})
 * @param user       under sudo, the user the command runs as; else null
 * @param profile    the SBPL profile text; every path in it is a {@code (param ...)}
 * @param parameters the profile's parameters, key then value, as {@code sandbox_init_with_parameters} takes them
 * @param executable the command's absolute path, resolved by stage 1 in the child's {@code PATH}
 * @param argv       the command's arguments, {@code argv[0]} first
 */
public record SeatbeltExecArguments(String statusFifo, User user, String profile, List<String> parameters,
                                    String executable, List<String> argv) {

    /**
     * The user stage 2 becomes before it applies the profile.
     *
     * @param uid the user id ({@code SUDO_UID}), unsigned
     * @param gid the group id ({@code SUDO_GID}), unsigned; also the only supplementary group
     */
    public record User(int uid, int gid) {}

    /** Checks what stage 2 relies on; throws {@link IllegalArgumentException} saying what is wrong. */
    public SeatbeltExecArguments {
        if (statusFifo == null || !statusFifo.startsWith("/")) throw new IllegalArgumentException("--status needs an absolute path");
        if (profile == null || profile.isEmpty()) throw new IllegalArgumentException("--profile needs the profile text");
        parameters = List.copyOf(parameters);
        if (parameters.size() % 2 != 0) throw new IllegalArgumentException("profile parameters come as key and value");
        for (int i = 0; i < parameters.size(); i += 2) {
            if (parameters.get(i).isEmpty()) throw new IllegalArgumentException("a profile parameter has an empty key");
        }
        if (executable == null || !executable.startsWith("/")) throw new IllegalArgumentException("--exec needs an absolute path");
        argv = List.copyOf(argv);
        if (argv.isEmpty()) throw new IllegalArgumentException("no command after --");
        for (var s : concat(statusFifo, profile, executable, parameters, argv)) {
            if (s.indexOf('\0') >= 0) throw new IllegalArgumentException("an argument holds a NUL character, which C strings cannot");
        }
    }

    private static List<String> concat(String a, String b, String c, List<String> d, List<String> e) {
        var all = new ArrayList<String>(d.size() + e.size() + 3);
        all.add(a);
        all.add(b);
        all.add(c);
        all.addAll(d);
        all.addAll(e);
        return all;
    }

    /** The command line stage 2 gets after its main class. */
    public List<String> encode() {
        var args = new ArrayList<String>();
        args.add("--status");
        args.add(statusFifo);
        if (user != null) {
            args.add("--user");
            args.add(Integer.toUnsignedString(user.uid()) + ":" + Integer.toUnsignedString(user.gid()));
        }
        args.add("--profile");
        args.add(profile);
        for (int i = 0; i < parameters.size(); i += 2) {
            args.add("--param");
            args.add(parameters.get(i));
            args.add(parameters.get(i + 1));
        }
        args.add("--exec");
        args.add(executable);
        args.add("--");
        args.addAll(argv);
        return args;
    }

    /** Reads what {@link #encode} wrote; throws {@link IllegalArgumentException} saying what is wrong. */
    public static SeatbeltExecArguments decode(String[] args) {
        String status = null;
        String profile = null;
        String executable = null;
        User user = null;
        var parameters = new ArrayList<String>();
        int i = 0;
        while (i < args.length && !args[i].equals("--")) {
            var option = args[i];
            switch (option) {
                case "--status" -> status = value(args, i++, 1);
                case "--profile" -> profile = value(args, i++, 1);
                case "--exec" -> executable = value(args, i++, 1);
                case "--user" -> user = user(value(args, i++, 1));
                case "--param" -> {
                    parameters.add(value(args, i, 1));
                    parameters.add(value(args, i, 2));
                    i += 2;
                }
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
            i++;
        }
        if (i >= args.length) throw new IllegalArgumentException("no -- before the command");
        var argv = new ArrayList<String>(args.length - i - 1);
        for (int j = i + 1; j < args.length; j++) argv.add(args[j]);
        if (status == null) throw new IllegalArgumentException("no --status");
        if (profile == null) throw new IllegalArgumentException("no --profile");
        if (executable == null) throw new IllegalArgumentException("no --exec");
        return new SeatbeltExecArguments(status, user, profile, parameters, executable, argv);
    }

    private static String value(String[] args, int option, int offset) {
        if (option + offset >= args.length) throw new IllegalArgumentException(args[option] + " needs a value");
        return args[option + offset];
    }

    private static User user(String value) {
        int colon = value.indexOf(':');
        if (colon < 0) throw new IllegalArgumentException("--user " + value + ": not UID:GID");
        try {
            return new User(Integer.parseUnsignedInt(value.substring(0, colon)), Integer.parseUnsignedInt(value.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--user " + value + ": not UID:GID");
        }
    }
}
