package dev.halt.core.linux.seccomp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static dev.halt.ffm.linux.filter_h.*;

/**
 * A small classic-BPF assembler with labels, for seccomp programs.
 *
 * <p>A conditional jump names its targets by {@link Label}; {@link #assemble()} turns them into the
 * 8-bit forward offsets of {@code struct sock_filter}. Hand-counted offsets break silently when an
 * instruction is added in between; here a target that is behind the jump, unbound, or more than
 * 255 instructions ahead fails the build of the program instead of producing a filter that jumps
 * somewhere else.
 *
 * <p>Not thread-safe; build one program per instance.
 */
public final class BpfAssembler {

    /** A position in the program, bound once with {@link #bind(Label)}. */
    public static final class Label {
        private final String name;
        private int position = -1;

        private Label(String name) {
            this.name = name;
        }

        /** The name given at creation, for error messages. */
        public String name() {
            return name;
        }

        @Override
        public String toString() {
            return name + (position < 0 ? " (unbound)" : " @" + position);
        }
    }

    /** An instruction whose jump targets may still be labels; {@code null} means "the next one". */
    private record Pending(int code, int k, Label ifTrue, Label ifFalse) {}

    private final List<Pending> code = new ArrayList<>();
    private final List<Label> labels = new ArrayList<>();

    /** A new, unbound label. */
    public Label label(String name) {
        var label = new Label(Objects.requireNonNull(name, "name"));
        labels.add(label);
        return label;
    }

    /** Binds {@code label} to the next instruction emitted. */
    public BpfAssembler bind(Label label) {
        if (!labels.contains(label)) throw new IllegalArgumentException("label " + label.name + " belongs to another assembler");
        if (label.position >= 0) throw new IllegalStateException("label " + label.name + " is already bound at " + label.position);
        label.position = code.size();
        return this;
    }

    /** The number of instructions emitted so far. */
    public int size() {
        return code.size();
    }

    /** A statement (load, ALU, return): anything but a jump. */
    public BpfAssembler stmt(int opcode, int k) {
        // Every jump goes through jump(...), so that each offset is a checked label.
        if ((opcode & 0x07) == BPF_JMP()) throw new IllegalArgumentException("use jump(...) for jumps");
        code.add(new Pending(opcode, k, null, null));
        return this;
    }

    /** {@code A = *(u32 *) (seccomp_data + offset)}. */
    public BpfAssembler loadData(int offset) {
        return stmt(BPF_LD() | BPF_W() | BPF_ABS(), offset);
    }

    /** {@code A &= mask}. */
    public BpfAssembler and(int mask) {
        return stmt(BPF_ALU() | BPF_AND() | BPF_K(), mask);
    }

    /** Returns {@code action} (a {@code SECCOMP_RET_*} value with its data). */
    public BpfAssembler ret(int action) {
        return stmt(BPF_RET() | BPF_K(), action);
    }

    /**
     * A conditional jump comparing the accumulator with {@code k} ({@code BPF_JEQ}, {@code BPF_JGT},
     * {@code BPF_JGE} or {@code BPF_JSET}, with {@code BPF_K}). A {@code null} target falls through to
     * the next instruction.
     */
    public BpfAssembler jump(int op, int k, Label ifTrue, Label ifFalse) {
        int opcode = BPF_JMP() | op | BPF_K();
        if (!isConditionalJump(opcode)) throw new IllegalArgumentException("not a conditional jump: 0x" + Integer.toHexString(op));
        code.add(new Pending(opcode, k, ifTrue, ifFalse));
        return this;
    }

    /** Jump if {@code A == k}. */
    public BpfAssembler jumpIfEqual(int k, Label ifTrue, Label ifFalse) {
        return jump(BPF_JEQ(), k, ifTrue, ifFalse);
    }

    /** Jump if {@code A >= k}, unsigned. */
    public BpfAssembler jumpIfAtLeast(int k, Label ifTrue, Label ifFalse) {
        return jump(BPF_JGE(), k, ifTrue, ifFalse);
    }

    /**
     * Resolves every label and returns the program. Fails when a label is unbound or bound past
     * the last instruction, when a jump goes backwards or further than 255 instructions (what
     * {@code jt}/{@code jf} can hold), when the program is empty or longer than
     * {@code BPF_MAXINSNS}, or when it does not end with a return (the kernel's checker would
     * refuse it; here the mistake names its label).
     */
    public List<BpfInstruction> assemble() {
        if (code.isEmpty() || code.size() > BPF_MAXINSNS()) {
            throw new IllegalStateException("a BPF program has 1.." + BPF_MAXINSNS() + " instructions, this one " + code.size());
        }
        var last = code.getLast();
        if ((last.code & 0x07) != BPF_RET()) throw new IllegalStateException("a BPF program must end with a return");
        var program = new ArrayList<BpfInstruction>(code.size());
        for (int pc = 0; pc < code.size(); pc++) {
            var p = code.get(pc);
            if (!isConditionalJump(p.code)) {
                program.add(BpfInstruction.stmt(p.code, p.k));
            } else {
                program.add(BpfInstruction.jump(p.code, p.k, offset(pc, p.ifTrue), offset(pc, p.ifFalse)));
            }
        }
        return List.copyOf(program);
    }

    private int offset(int pc, Label target) {
        if (target == null) return 0;
        if (target.position < 0) throw new IllegalStateException("jump at " + pc + " to unbound label " + target.name);
        if (target.position >= code.size()) {
            throw new IllegalStateException("label " + target.name + " is bound past the last instruction");
        }
        int offset = target.position - (pc + 1);
        if (offset < 0) throw new IllegalStateException("jump at " + pc + " to " + target.name + " goes backwards; classic BPF jumps forward only");
        if (offset > 255) {
            throw new IllegalStateException("jump at " + pc + " to " + target.name + " skips " + offset
                + " instructions; jt/jf hold at most 255");
        }
        return offset;
    }

    private static boolean isConditionalJump(int opcode) {
        // BPF_JA (op 0) takes its offset from k, not jt/jf; the others are conditional.
        return (opcode & 0x07) == BPF_JMP() && (opcode & 0xf0) != BPF_JA();
    }
}
