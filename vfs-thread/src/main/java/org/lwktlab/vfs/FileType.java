package org.lwktlab.vfs;

/** What an inode is. Fixed at creation; directory entries carry it ({@code d_type}). */
public enum FileType {
    /** A regular file: bytes in 4 KiB pages. */
    REGULAR,
    /** A directory: names mapped to inode numbers. */
    DIRECTORY
}
