package dev.halt.cli;

import picocli.CommandLine.Command;

/** {@code halt deny}: narrows a running sandbox's network. */
@Command(name = "deny", mixinStandardHelpOptions = true,
    description = {"Add hosts to a running sandbox's proxy denylist, at once: its open connections to them are cut, and"
        + " the addresses they resolved to are forgotten (an IP literal or a transparent connection to one is refused).",
        "Entries are checked as domain_denylist entries are. An entry also in the allowlist is taken out of it."})
final class DenyCommand extends ListChangeCommand {
    DenyCommand() {
        super("deny");
    }
}
