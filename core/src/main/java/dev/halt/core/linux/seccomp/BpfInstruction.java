package dev.halt.core.linux.seccomp;

import static dev.halt.ffm.linux.filter_h.*;

/**
 * One classic BPF instruction, as the kernel's {@code struct sock_filter}.
 *
 * @param code operation (class | size | mode, or class | op | source)
 * @param jt   instructions to skip when a conditional jump is taken
 * @param jf   instructions to skip when it is not
 * @param k    the constant operand
 */
public record BpfInstruction(short code, byte jt, byte jf, int k) {

    /** A non-jump statement. */
    public static BpfInstruction stmt(int code, int k) {
        return new BpfInstruction((short) code, (byte) 0, (byte) 0, k);
    }

    /** A conditional jump; offsets count instructions after this one. */
    public static BpfInstruction jump(int code, int k, int jt, int jf) {
        if (jt < 0 || jt > 255 || jf < 0 || jf > 255) {
            throw new IllegalArgumentException("BPF jump offsets must be 0..255, got " + jt + "/" + jf);
        }
        return new BpfInstruction((short) code, (byte) jt, (byte) jf, k);
    }

    /** Load the 32-bit word at {@code offset} of {@code struct seccomp_data}. */
    public static BpfInstruction loadData(int offset) {
        return stmt(BPF_LD() | BPF_W() | BPF_ABS(), offset);
    }

    /** Return {@code action} (a {@code SECCOMP_RET_*} value, with data). */
    public static BpfInstruction ret(int action) {
        return stmt(BPF_RET() | BPF_K(), action);
    }

    /** Jump if the accumulator equals {@code k}. */
    public static BpfInstruction jumpIfEqual(int k, int jt, int jf) {
        return jump(BPF_JMP() | BPF_JEQ() | BPF_K(), k, jt, jf);
    }
}
