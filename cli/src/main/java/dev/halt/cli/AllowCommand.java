package dev.halt.cli;

import picocli.CommandLine.Command;

/** {@code halt allow}: widens a running sandbox's allowlist. */
@Command(name = "allow", mixinStandardHelpOptions = true,
    description = {"Add hosts to a running sandbox's proxy allowlist, at once: its next request to them goes through.",
        "Entries are checked as domain_allowlist entries are. An entry also in the denylist is taken out of it."})
final class AllowCommand extends ListChangeCommand {
    AllowCommand() {
        super("allow");
    }
}
