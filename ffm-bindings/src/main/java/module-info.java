/**
 * halt's raw bindings to the kernel and the C library, in jextract's layout: a holder class per
 * header group, a class per struct. No logic: core decides what to call.
 */
module dev.halt.ffm {
    exports dev.halt.ffm.linux;
    exports dev.halt.ffm.macos;
}
