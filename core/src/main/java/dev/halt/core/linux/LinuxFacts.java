package dev.halt.core.linux;

import dev.halt.core.linux.sys.Credentials;
import dev.halt.core.probe.Availability;
import dev.halt.core.probe.Memoized;

import java.util.Map;
import java.util.function.Supplier;

/**
 * What the Linux enforcement plan ({@link LinuxPlan}) is decided from, and what a run reads of the
 * same probes: each fact is a probe of {@link LinuxProbes}, run when first asked and kept for the
 * JVM. A run asks only for what its own mode needs ({@code unrestricted}: nothing of the network;
 * with privileges: the privileges and the kernel's network namespaces; rootless: Landlock's TCP
 * rules and the seccomp filter, each verified on a throwaway thread, and the supervisor's pieces);
 * {@code halt check} asks for all, and verifies the namespace by making one.
 */
public final class LinuxFacts {

    private final Memoized<Credentials> credentials;
    private final Memoized<LinuxProbes.Abi> landlock;
    private final Memoized<Availability> networkNamespace;
    private final Memoized<Availability> landlockTcp;
    private final Memoized<Availability> seccomp;
    private final Memoized<Availability> supervisor;

    /**
     * @param credentials      halt's effective uid and capabilities (not the sudo variables)
     * @param landlock         the Landlock ABI
     * @param networkNamespace whether the kernel has network namespaces (with privileges, a run makes one)
     * @param landlockTcp      whether Landlock's TCP rules are enforced
     * @param seccomp          whether halt's seccomp filter is installed and refuses what it should
     * @param supervisor       whether halt's supervisor can run
     */
    LinuxFacts(Supplier<Credentials> credentials, Supplier<LinuxProbes.Abi> landlock, Supplier<Availability> networkNamespace,
               Supplier<Availability> landlockTcp, Supplier<Availability> seccomp, Supplier<Availability> supervisor) {
        this.credentials = new Memoized<>(credentials);
        this.landlock = new Memoized<>(landlock);
        this.networkNamespace = new Memoized<>(networkNamespace);
        this.landlockTcp = new Memoized<>(landlockTcp);
        this.seccomp = new Memoized<>(seccomp);
        this.supervisor = new Memoized<>(supervisor);
    }

    /** The facts of this machine, each probed for real when first asked. */
    static LinuxFacts probing() {
        var abi = new Memoized<>(LinuxProbes::landlockAbi);
        return new LinuxFacts(() -> Credentials.current(Map.of()), abi, LinuxProbes::networkNamespaces,
            () -> LinuxProbes.landlockTcp(abi.get().version()), LinuxProbes::seccompFilter, LinuxProbes::supervisor);
    }

    /** halt's effective uid and capabilities. */
    public Credentials credentials() { return credentials.get(); }

    /** The Landlock ABI (0 without Landlock) and the {@code landlock} probe's line. */
    public LinuxProbes.Abi landlock() { return landlock.get(); }

    /** Whether the kernel has network namespaces ({@code halt check}'s {@code netns} line makes one). */
    public Availability networkNamespace() { return networkNamespace.get(); }

    /** The {@code landlock.tcp} probe. */
    public Availability landlockTcp() { return landlockTcp.get(); }

    /** The {@code seccomp} probe. */
    public Availability seccomp() { return seccomp.get(); }

    /** Whether halt's supervisor can run: its pieces, as a run checks them. */
    public Availability supervisor() { return supervisor.get(); }
}
