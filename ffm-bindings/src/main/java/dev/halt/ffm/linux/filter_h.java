// Generated in jextract's layout from <linux/filter.h>, <linux/bpf_common.h>; regenerate with jextract.sh at the repository root.
// Constants that the installed headers may predate are written by hand and marked with their source.
package dev.halt.ffm.linux;

/**
 * Classic BPF instruction classes, fields and limits for seccomp filters.
 */
public final class filter_h {

    private filter_h() {}

    private static final int BPF_LD = 0;
    /** {@snippet lang=c : #define BPF_LD 0 } */
    public static int BPF_LD() { return BPF_LD; }
    private static final int BPF_LDX = 1;
    /** {@snippet lang=c : #define BPF_LDX 1 } */
    public static int BPF_LDX() { return BPF_LDX; }
    private static final int BPF_ST = 2;
    /** {@snippet lang=c : #define BPF_ST 2 } */
    public static int BPF_ST() { return BPF_ST; }
    private static final int BPF_STX = 3;
    /** {@snippet lang=c : #define BPF_STX 3 } */
    public static int BPF_STX() { return BPF_STX; }
    private static final int BPF_ALU = 4;
    /** {@snippet lang=c : #define BPF_ALU 4 } */
    public static int BPF_ALU() { return BPF_ALU; }
    private static final int BPF_JMP = 5;
    /** {@snippet lang=c : #define BPF_JMP 5 } */
    public static int BPF_JMP() { return BPF_JMP; }
    private static final int BPF_RET = 6;
    /** {@snippet lang=c : #define BPF_RET 6 } */
    public static int BPF_RET() { return BPF_RET; }
    private static final int BPF_MISC = 7;
    /** {@snippet lang=c : #define BPF_MISC 7 } */
    public static int BPF_MISC() { return BPF_MISC; }
    private static final int BPF_W = 0;
    /** {@snippet lang=c : #define BPF_W 0 } */
    public static int BPF_W() { return BPF_W; }
    private static final int BPF_H = 0x08;
    /** {@snippet lang=c : #define BPF_H 0x08 } */
    public static int BPF_H() { return BPF_H; }
    private static final int BPF_B = 0x10;
    /** {@snippet lang=c : #define BPF_B 0x10 } */
    public static int BPF_B() { return BPF_B; }
    private static final int BPF_IMM = 0;
    /** {@snippet lang=c : #define BPF_IMM 0 } */
    public static int BPF_IMM() { return BPF_IMM; }
    private static final int BPF_ABS = 0x20;
    /** {@snippet lang=c : #define BPF_ABS 0x20 } */
    public static int BPF_ABS() { return BPF_ABS; }
    private static final int BPF_IND = 0x40;
    /** {@snippet lang=c : #define BPF_IND 0x40 } */
    public static int BPF_IND() { return BPF_IND; }
    private static final int BPF_MEM = 0x60;
    /** {@snippet lang=c : #define BPF_MEM 0x60 } */
    public static int BPF_MEM() { return BPF_MEM; }
    private static final int BPF_LEN = 0x80;
    /** {@snippet lang=c : #define BPF_LEN 0x80 } */
    public static int BPF_LEN() { return BPF_LEN; }
    private static final int BPF_MSH = 0xa0;
    /** {@snippet lang=c : #define BPF_MSH 0xa0 } */
    public static int BPF_MSH() { return BPF_MSH; }
    private static final int BPF_ADD = 0;
    /** {@snippet lang=c : #define BPF_ADD 0 } */
    public static int BPF_ADD() { return BPF_ADD; }
    private static final int BPF_SUB = 0x10;
    /** {@snippet lang=c : #define BPF_SUB 0x10 } */
    public static int BPF_SUB() { return BPF_SUB; }
    private static final int BPF_MUL = 0x20;
    /** {@snippet lang=c : #define BPF_MUL 0x20 } */
    public static int BPF_MUL() { return BPF_MUL; }
    private static final int BPF_DIV = 0x30;
    /** {@snippet lang=c : #define BPF_DIV 0x30 } */
    public static int BPF_DIV() { return BPF_DIV; }
    private static final int BPF_OR = 0x40;
    /** {@snippet lang=c : #define BPF_OR 0x40 } */
    public static int BPF_OR() { return BPF_OR; }
    private static final int BPF_AND = 0x50;
    /** {@snippet lang=c : #define BPF_AND 0x50 } */
    public static int BPF_AND() { return BPF_AND; }
    private static final int BPF_LSH = 0x60;
    /** {@snippet lang=c : #define BPF_LSH 0x60 } */
    public static int BPF_LSH() { return BPF_LSH; }
    private static final int BPF_RSH = 0x70;
    /** {@snippet lang=c : #define BPF_RSH 0x70 } */
    public static int BPF_RSH() { return BPF_RSH; }
    private static final int BPF_NEG = 0x80;
    /** {@snippet lang=c : #define BPF_NEG 0x80 } */
    public static int BPF_NEG() { return BPF_NEG; }
    private static final int BPF_MOD = 0x90;
    /** {@snippet lang=c : #define BPF_MOD 0x90 } */
    public static int BPF_MOD() { return BPF_MOD; }
    private static final int BPF_XOR = 0xa0;
    /** {@snippet lang=c : #define BPF_XOR 0xa0 } */
    public static int BPF_XOR() { return BPF_XOR; }
    private static final int BPF_JA = 0;
    /** {@snippet lang=c : #define BPF_JA 0 } */
    public static int BPF_JA() { return BPF_JA; }
    private static final int BPF_JEQ = 0x10;
    /** {@snippet lang=c : #define BPF_JEQ 0x10 } */
    public static int BPF_JEQ() { return BPF_JEQ; }
    private static final int BPF_JGT = 0x20;
    /** {@snippet lang=c : #define BPF_JGT 0x20 } */
    public static int BPF_JGT() { return BPF_JGT; }
    private static final int BPF_JGE = 0x30;
    /** {@snippet lang=c : #define BPF_JGE 0x30 } */
    public static int BPF_JGE() { return BPF_JGE; }
    private static final int BPF_JSET = 0x40;
    /** {@snippet lang=c : #define BPF_JSET 0x40 } */
    public static int BPF_JSET() { return BPF_JSET; }
    private static final int BPF_K = 0;
    /** {@snippet lang=c : #define BPF_K 0 } */
    public static int BPF_K() { return BPF_K; }
    private static final int BPF_X = 0x08;
    /** {@snippet lang=c : #define BPF_X 0x08 } */
    public static int BPF_X() { return BPF_X; }
    private static final int BPF_A = 0x10;
    /** {@snippet lang=c : #define BPF_A 0x10 } */
    public static int BPF_A() { return BPF_A; }
    private static final int BPF_TAX = 0;
    /** {@snippet lang=c : #define BPF_TAX 0 } */
    public static int BPF_TAX() { return BPF_TAX; }
    private static final int BPF_TXA = 0x80;
    /** {@snippet lang=c : #define BPF_TXA 0x80 } */
    public static int BPF_TXA() { return BPF_TXA; }
    private static final int BPF_MAXINSNS = 4096;
    /** {@snippet lang=c : #define BPF_MAXINSNS 4096 } */
    public static int BPF_MAXINSNS() { return BPF_MAXINSNS; }

}
