package org.lwktlab.vfs;

/**
 * Path validation and component scanning, done in place on the path string so a lookup allocates
 * nothing: a component is a {@code [start, end)} range of the path.
 *
 * <p>Rules (the syscall layer applies them before any VOP runs): paths are absolute (there is no working
 * directory); an empty path is {@link VfsError#ENOENT}; a null path, a relative path or one holding a NUL
 * character is {@link VfsError#EINVAL}; a path longer than {@link #PATH_MAX} characters or a component
 * longer than {@link #NAME_MAX} is {@link VfsError#ENAMETOOLONG}. Repeated and trailing slashes are
 * ignored; {@code .} and {@code ..} are resolved during the walk. Lengths count UTF-16 characters.
 */
public final class PathName {
    /** Longest component, in characters ({@code NAME_MAX}). */
    public static final int NAME_MAX = 255;
    /** Longest path, in characters ({@code PATH_MAX}). */
    public static final int PATH_MAX = 1024;

    private PathName() {}

    /** Checks {@code path} against the rules above; {@link VfsError#OK} when it may be walked. */
    public static VfsError check(String path) {
        if (path == null) {
            return VfsError.EINVAL;
        }
        int n = path.length();
        if (n == 0) {
            return VfsError.ENOENT;
        }
        if (n > PATH_MAX) {
            return VfsError.ENAMETOOLONG;
        }
        if (path.charAt(0) != '/') {
            return VfsError.EINVAL;
        }
        int compStart = 1;
        for (int i = 1; i <= n; i++) {
            char c = i < n ? path.charAt(i) : '/';
            if (c == 0) {
                return VfsError.EINVAL;
            }
            if (c == '/') {
                if (i - compStart > NAME_MAX) {
                    return VfsError.ENAMETOOLONG;
                }
                compStart = i + 1;
            }
        }
        return VfsError.OK;
    }

    /** The first non-slash index at or after {@code pos} (or the path's length). */
    public static int skipSlashes(String path, int pos) {
        int n = path.length();
        while (pos < n && path.charAt(pos) == '/') {
            pos++;
        }
        return pos;
    }

    /** The end of the component starting at {@code start}: the next slash or the path's end. */
    public static int componentEnd(String path, int start) {
        int i = path.indexOf('/', start);
        return i < 0 ? path.length() : i;
    }

    /** End of the last component (trailing slashes dropped); 0 when the path names the root. */
    public static int lastEnd(String path) {
        int e = path.length();
        while (e > 0 && path.charAt(e - 1) == '/') {
            e--;
        }
        return e;
    }

    /** Start of the last component, given its {@link #lastEnd}. */
    public static int lastStart(String path, int lastEnd) {
        int s = lastEnd;
        while (s > 0 && path.charAt(s - 1) != '/') {
            s--;
        }
        return s;
    }

    /** True if {@code [s, e)} is {@code "."}. */
    public static boolean isDot(String path, int s, int e) {
        return e - s == 1 && path.charAt(s) == '.';
    }

    /** True if {@code [s, e)} is {@code ".."}. */
    public static boolean isDotDot(String path, int s, int e) {
        return e - s == 2 && path.charAt(s) == '.' && path.charAt(s + 1) == '.';
    }

    /** {@link String#hashCode()} of {@code path.substring(s, e)}, without making the substring. */
    public static int hash(String path, int s, int e) {
        int h = 0;
        for (int i = s; i < e; i++) {
            h = 31 * h + path.charAt(i);
        }
        return h;
    }

    /** True if {@code name} equals {@code path.substring(s, e)}. */
    public static boolean matches(String name, String path, int s, int e) {
        return name.length() == e - s && name.regionMatches(0, path, s, e - s);
    }
}
