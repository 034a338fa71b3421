package dev.halt.core.linux.seccomp;

import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@link BpfAssembler}: labels become the right 8-bit offsets, and every way to get one wrong fails. */
class SeccompAssemblerTest {

    private static final int ALLOW = SeccompPolicy.ALLOW;
    private static final int REFUSE = SeccompPolicy.REFUSE;

    @Test
    void labelsResolveToForwardOffsets() {
        var asm = new BpfAssembler();
        var yes = asm.label("yes");
        var no = asm.label("no");
        asm.loadData(0);                   // 0
        asm.jumpIfEqual(7, yes, null);     // 1: jt = 4 - 2 = 2, jf = 0
        asm.jumpIfEqual(8, null, no);      // 2: jt = 0, jf = 5 - 3 = 2
        asm.ret(ALLOW);                    // 3
        asm.bind(yes).ret(REFUSE);         // 4
        asm.bind(no).ret(ALLOW);           // 5
        var program = asm.assemble();
        assertEquals(6, program.size());
        assertEquals(BpfInstruction.jumpIfEqual(7, 2, 0), program.get(1));
        assertEquals(BpfInstruction.jumpIfEqual(8, 0, 2), program.get(2));
        assertEquals(REFUSE, ClassicBpf.run(program, new ClassicBpf.Call(7, 0), ByteOrder.LITTLE_ENDIAN));
        assertEquals(ALLOW, ClassicBpf.run(program, new ClassicBpf.Call(8, 0), ByteOrder.LITTLE_ENDIAN));
        assertEquals(ALLOW, ClassicBpf.run(program, new ClassicBpf.Call(9, 0), ByteOrder.LITTLE_ENDIAN), "falls to 5");
    }

    @Test
    void aJumpOf255IsTheLongestThatAssembles() {
        assertEquals(255, Byte.toUnsignedInt(programWithGap(254).get(0).jt()));
        var tooFar = assertThrows(IllegalStateException.class, () -> programWithGap(255));
        assertTrue(tooFar.getMessage().contains("256"), tooFar.getMessage());
    }

    /** A jump over {@code gap} filler returns plus the fall-through return, to label "far". */
    private static List<BpfInstruction> programWithGap(int gap) {
        var asm = new BpfAssembler();
        var far = asm.label("far");
        asm.jumpIfEqual(1, far, null);
        for (int i = 0; i <= gap; i++) asm.ret(ALLOW);
        asm.bind(far).ret(REFUSE);
        return asm.assemble();
    }

    @Test
    void unboundBackwardsAndDanglingLabelsFail() {
        var unbound = new BpfAssembler();
        unbound.jumpIfEqual(1, unbound.label("nowhere"), null).ret(ALLOW);
        assertTrue(assertThrows(IllegalStateException.class, unbound::assemble).getMessage().contains("nowhere"));

        var backwards = new BpfAssembler();
        var top = backwards.label("top");
        backwards.bind(top).loadData(0).jumpIfEqual(1, top, null).ret(ALLOW);
        assertTrue(assertThrows(IllegalStateException.class, backwards::assemble).getMessage().contains("backwards"));

        var dangling = new BpfAssembler();
        var end = dangling.label("end");
        dangling.jumpIfEqual(1, end, null).ret(ALLOW).bind(end);
        assertThrows(IllegalStateException.class, dangling::assemble);

        var twice = new BpfAssembler();
        var label = twice.label("twice");
        twice.bind(label);
        assertThrows(IllegalStateException.class, () -> twice.bind(label));
        assertThrows(IllegalArgumentException.class, () -> new BpfAssembler().bind(label), "another assembler's label");
    }

    @Test
    void programsMustEndWithAReturnAndFitTheKernelsLimit() {
        assertThrows(IllegalStateException.class, () -> new BpfAssembler().assemble(), "empty");
        assertThrows(IllegalStateException.class, () -> new BpfAssembler().loadData(0).assemble(), "no return");
        var huge = new BpfAssembler();
        for (int i = 0; i < 4097; i++) huge.ret(ALLOW);
        assertThrows(IllegalStateException.class, huge::assemble);
    }

    @Test
    void jumpsGoThroughLabelsOnly() {
        // BPF_JMP | BPF_JA as a statement would carry an unchecked offset in k.
        assertThrows(IllegalArgumentException.class, () -> new BpfAssembler().stmt(0x05, 3));
        assertThrows(IllegalArgumentException.class, () -> new BpfAssembler().stmt(0x15, 3));
        // BPF_JA is not a conditional jump.
        assertThrows(IllegalArgumentException.class, () -> new BpfAssembler().jump(0x00, 3, null, null));
    }
}
