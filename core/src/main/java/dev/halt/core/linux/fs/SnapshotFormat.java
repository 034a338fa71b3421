package dev.halt.core.linux.fs;

import dev.halt.core.linux.fs.ProtectedSnapshot.Dir;
import dev.halt.core.linux.fs.ProtectedSnapshot.Entry;
import dev.halt.core.linux.fs.ProtectedSnapshot.File;
import dev.halt.core.linux.fs.ProtectedSnapshot.Link;
import dev.halt.core.linux.fs.ProtectedSnapshot.Pinned;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import static dev.halt.core.linux.fs.ProtectedSnapshot.MAX_ENTRIES;
import static dev.halt.core.linux.fs.ProtectedSnapshot.MAX_FILE_BYTES;

/**
 * A {@link ProtectedSnapshot} as the run record ({@link RunRecord}) holds it, contents included:
 * the next halt repairs from it when the run's halt was killed.
 */
final class SnapshotFormat {
    private static final int FORMAT = 1;

    private SnapshotFormat() {}

    /** Writes the snapshot, contents included, for {@link #read}. */
    static void write(ProtectedSnapshot snapshot, DataOutputStream out) throws IOException {
        out.writeInt(FORMAT);
        writePaths(out, snapshot.scanRoots());
        writePaths(out, snapshot.roots());
        out.writeInt(snapshot.entries().size());
        for (var e : snapshot.entries().values()) {
            out.writeUTF(e.path().toString());
            if (e instanceof Dir d) {
                out.writeByte('d');
                out.writeInt(d.mode());
            } else if (e instanceof File f) {
                out.writeByte('f');
                out.writeInt(f.mode());
                out.writeLong(f.size());
                out.writeLong(f.inode());
                out.writeLong(f.modifiedNanos());
                out.writeInt(f.content() == null ? -1 : f.content().length);
                if (f.content() != null) out.write(f.content());
            } else if (e instanceof Link l) {
                out.writeByte('l');
                out.writeUTF(l.target());
            }
        }
        out.writeInt(snapshot.pinned().size());
        for (var p : snapshot.pinned()) {
            out.writeUTF(p.path().toString());
            out.writeLong(p.device());
            out.writeLong(p.inode());
        }
        writePaths(out, snapshot.absent());
    }

    /** Reads what {@link #write} wrote. */
    static ProtectedSnapshot read(DataInputStream in) throws IOException {
        int format = in.readInt();
        if (format != FORMAT) throw new IOException("unknown snapshot format " + format);
        var scanRoots = readPaths(in);
        var roots = readPaths(in);
        int count = in.readInt();
        if (count < 0 || count > MAX_ENTRIES + 1) throw new IOException("bad entry count " + count);
        var entries = new LinkedHashMap<Path, Entry>();
        for (int i = 0; i < count; i++) {
            var path = Path.of(in.readUTF());
            int kind = in.readByte();
            Entry e = switch (kind) {
                case 'd' -> new Dir(path, in.readInt());
                case 'f' -> {
                    int mode = in.readInt();
                    long size = in.readLong();
                    long inode = in.readLong();
                    long modified = in.readLong();
                    int length = in.readInt();
                    if (length > MAX_FILE_BYTES) throw new IOException("bad content length " + length);
                    byte[] content = null;
                    if (length >= 0) {
                        content = new byte[length];
                        in.readFully(content);
                    }
                    yield new File(path, mode, size, inode, modified, content);
                }
                case 'l' -> new Link(path, in.readUTF());
                default -> throw new IOException("bad entry kind " + kind);
            };
            entries.put(path, e);
        }
        int pins = in.readInt();
        var pinned = new ArrayList<Pinned>();
        for (int i = 0; i < pins; i++) pinned.add(new Pinned(Path.of(in.readUTF()), in.readLong(), in.readLong()));
        var absent = readPaths(in);
        return new ProtectedSnapshot(scanRoots, roots, entries, pinned, absent, List.of());
    }

    private static void writePaths(DataOutputStream out, List<Path> paths) throws IOException {
        out.writeInt(paths.size());
        for (var p : paths) out.writeUTF(p.toString());
    }

    private static List<Path> readPaths(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 100_000) throw new IOException("bad path count " + n);
        var paths = new ArrayList<Path>();
        for (int i = 0; i < n; i++) paths.add(Path.of(in.readUTF()));
        return paths;
    }
}
