package dev.halt.core.linux.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * A classic-BPF interpreter for seccomp programs over a synthetic {@code struct seccomp_data}, to
 * run every branch of a filter without making the calls. It implements the instructions the
 * kernel's seccomp checker accepts that halt's programs use, and throws on any other, and on what
 * the kernel would refuse (a misaligned or out-of-range load, a jump out of the program), so a
 * program that passes here has no path the kernel would treat differently.
 */
final class ClassicBpf {
    private ClassicBpf() {}

    /** {@code struct seccomp_data}: 64 bytes. */
    static final int DATA_SIZE = 64;

    /** A synthetic call: number, audit arch, six arguments. */
    record Call(int nr, int arch, long... args) {
        Call {
            if (args.length > 6) throw new IllegalArgumentException("six arguments at most");
            args = java.util.Arrays.copyOf(args, 6);
        }

        /** The bytes the kernel would hand the filter, in {@code order}. */
        ByteBuffer data(ByteOrder order) {
            var b = ByteBuffer.allocate(DATA_SIZE).order(order);
            b.putInt(0, nr).putInt(4, arch).putLong(8, 0x7f00_dead_beefL);
            for (int i = 0; i < 6; i++) b.putLong(16 + 8 * i, args[i]);
            return b;
        }
    }

    /** Runs {@code program} over {@code call} and returns the action it returns. */
    static int run(List<BpfInstruction> program, Call call, ByteOrder order) {
        var data = call.data(order);
        int a = 0;
        int x = 0;
        int pc = 0;
        // Classic BPF only jumps forward, so a run takes at most program.size() steps; bound it anyway.
        for (int steps = 0; steps <= program.size(); steps++) {
            if (pc < 0 || pc >= program.size()) throw new IllegalStateException("pc " + pc + " outside the program");
            var insn = program.get(pc);
            int code = Short.toUnsignedInt(insn.code());
            int k = insn.k();
            int jt = Byte.toUnsignedInt(insn.jt());
            int jf = Byte.toUnsignedInt(insn.jf());
            switch (code) {
                case 0x20 -> { // BPF_LD | BPF_W | BPF_ABS
                    if (k < 0 || k % 4 != 0 || k + 4 > DATA_SIZE) {
                        throw new IllegalStateException("load at " + pc + " of offset " + k + ": the kernel refuses it");
                    }
                    a = data.getInt(k);
                    pc++;
                }
                case 0x00 -> { a = k; pc++; }                 // BPF_LD | BPF_IMM
                case 0x01 -> { x = k; pc++; }                 // BPF_LDX | BPF_IMM
                case 0x54 -> { a &= k; pc++; }                // BPF_ALU | BPF_AND | BPF_K
                case 0x44 -> { a |= k; pc++; }                // BPF_ALU | BPF_OR | BPF_K
                case 0x74 -> { a >>>= k; pc++; }              // BPF_ALU | BPF_RSH | BPF_K
                case 0x07 -> { x = a; pc++; }                 // BPF_MISC | BPF_TAX
                case 0x87 -> { a = x; pc++; }                 // BPF_MISC | BPF_TXA
                case 0x05 -> pc += 1 + k;                     // BPF_JMP | BPF_JA
                case 0x15 -> pc += 1 + (a == k ? jt : jf);    // BPF_JMP | BPF_JEQ | BPF_K
                case 0x25 -> pc += 1 + (Integer.compareUnsigned(a, k) > 0 ? jt : jf);  // JGT
                case 0x35 -> pc += 1 + (Integer.compareUnsigned(a, k) >= 0 ? jt : jf); // JGE
                case 0x45 -> pc += 1 + ((a & k) != 0 ? jt : jf);                     // JSET
                case 0x06 -> { return k; }                    // BPF_RET | BPF_K
                default -> throw new IllegalStateException("instruction " + pc + ": opcode 0x" + Integer.toHexString(code)
                    + " is not interpreted here");
            }
        }
        throw new IllegalStateException("the program ran more steps than it has instructions");
    }
}
